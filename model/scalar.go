package model

import (
	"strconv"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// This file holds the [Decode] side of the value types: each reads itself
// from the text of one JSON token and answers with a decode error code and
// message, or two empty strings.

func decimalFromInt(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// readNumber reads the text of a JSON number that the scanner has already
// checked against the JSON grammar.
func readNumber(text string) (decimal.Decimal, string, string) {
	d, err := parseDecimal(text)
	if err != nil {
		return d, CodeBadNumber, "number " + clip(text, 40) + " cannot be read: " + err.Error()
	}
	return d, "", ""
}

// readNumericString reads a number written as a JSON string. Only
// [DecodeOptions.NumericStrings] allows it, and then the string must hold
// exactly a JSON number: "12.30" is read, "+1", ".5", "01" and " 1" are not,
// so that quoting a number never loosens its syntax.
func readNumericString(s, what string, numericStrings bool) (decimal.Decimal, string, string) {
	if !numericStrings {
		return decimal.Decimal{}, CodeWrongType,
			"want a number, got a string; write the " + what + " without quotes"
	}
	if !validJSONNumber(s) {
		return decimal.Decimal{}, CodeBadNumber,
			"string " + quote(s) + " does not hold a number in the JSON syntax"
	}
	return readNumber(s)
}

func (m *Money) decodeNumber(text string) (string, string) {
	d, code, msg := readNumber(text)
	if code == "" {
		m.d, m.given = d, true
	}
	return code, msg
}

func (m *Money) decodeString(s string, numericStrings bool) (string, string) {
	d, code, msg := readNumericString(s, "amount", numericStrings)
	if code == "" {
		m.d, m.given = d, true
	}
	return code, msg
}

func (*Money) expected() string { return "number" }

func (q *Quantity) decodeNumber(text string) (string, string) {
	d, code, msg := readNumber(text)
	if code == "" {
		q.d, q.given = d, true
	}
	return code, msg
}

func (q *Quantity) decodeString(s string, numericStrings bool) (string, string) {
	d, code, msg := readNumericString(s, "quantity", numericStrings)
	if code == "" {
		q.d, q.given = d, true
	}
	return code, msg
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

// quote puts s in double quotes for a message, clipped to 40 characters.
func quote(s string) string { return "\"" + clip(s, 40) + "\"" }

// quoteText is quote with Go escapes, for errors that may be printed
// anywhere: control characters and invalid UTF-8 show as escapes.
func quoteText(s string) string { return strconv.Quote(clip(s, 40)) }

// clip shortens s to at most n characters, marking the cut with an ellipsis,
// so that a megabyte of input never ends up in an error message. It cuts on
// a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}
