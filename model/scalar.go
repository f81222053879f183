package model

import "github.com/shopspring/decimal"

func decimalFromInt(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func (m *Money) decodeNumber(text string) (string, string) {
	d, err := parseDecimal(text)
	if err != nil {
		return CodeBadNumber, "number " + text + " is out of the range this library reads"
	}
	m.d = d
	return "", ""
}

func (m *Money) decodeString(s string, numericStrings bool) (string, string) {
	if !numericStrings {
		return CodeWrongType, "want a number, got a string; write the amount without quotes"
	}
	return m.decodeNumber(s)
}

func (*Money) expected() string { return "number" }

func (q *Quantity) decodeNumber(text string) (string, string) {
	d, err := parseDecimal(text)
	if err != nil {
		return CodeBadNumber, "number " + text + " is out of the range this library reads"
	}
	q.d = d
	return "", ""
}

func (q *Quantity) decodeString(s string, numericStrings bool) (string, string) {
	if !numericStrings {
		return CodeWrongType, "want a number, got a string; write the quantity without quotes"
	}
	return q.decodeNumber(s)
}

func (*Quantity) expected() string { return "number" }

func (t *Timestamp) decodeNumber(string) (string, string) {
	return CodeWrongType, "want a string dd.mm.yyyy HH:MM:SS, got a number"
}

func (t *Timestamp) decodeString(s string, _ bool) (string, string) {
	v, err := ParseTimestamp(s)
	if err != nil {
		return CodeBadFormat, "timestamp " + quote(s) + " is not dd.mm.yyyy HH:MM:SS"
	}
	*t = v
	return "", ""
}

func (*Timestamp) expected() string { return "dd.mm.yyyy HH:MM:SS" }

func (dt *Date) decodeNumber(string) (string, string) {
	return CodeWrongType, "want a string dd.mm.yyyy, got a number"
}

func (dt *Date) decodeString(s string, _ bool) (string, string) {
	v, err := ParseDate(s)
	if err != nil {
		return CodeBadFormat, "date " + quote(s) + " is not dd.mm.yyyy"
	}
	*dt = v
	return "", ""
}

func (*Date) expected() string { return "dd.mm.yyyy" }

func quote(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return "\"" + s + "\""
}
