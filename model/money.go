package model

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an exact amount of rubles. The zero value is 0.
//
// Money keeps the scale it was given: 100.10 is written back as 100.10 and
// 100 as 100. It never converts through a binary float.
//
// What a JSON number becomes:
//   - any number in the JSON grammar is read exactly from its digits: 0.1 is
//     one tenth, 42949672.95 and twenty-digit integers keep every digit;
//   - an exponent is applied and then forgotten: 1e2 is 100 (scale 0) and
//     1.5e-2 is 0.015, written back without an exponent;
//   - -0 is 0 (a decimal has no negative zero), and -0.00 is 0.00;
//   - negative and out-of-range amounts are read as they are; range limits are
//     business rules that the validate package reports;
//   - a number longer than 64 characters, as written or as expanded from its
//     exponent (1e64 has 65 digits), is refused: it is an attack on memory
//     rather than an amount, and the limit ensures that every amount read
//     can be written and read again.
//
// An amount also knows whether it was given: read from a document, parsed,
// or made by [NewMoney]. The zero value was not given, though it reads as 0.
// That lets a field the caller left out be told from an explicit 0 (see
// [Money.Given]); it does not change arithmetic, equality or output.
type Money struct {
	d     decimal.Decimal
	given bool
}

// Quantity is an exact quantity of goods (up to three decimals in the format).
// The zero value is 0, not given. It reads and writes numbers as [Money] does.
type Quantity struct {
	d     decimal.Decimal
	given bool
}

// NewMoney returns d as Money, given.
func NewMoney(d decimal.Decimal) Money { return Money{d, true} }

// NewQuantity returns d as a Quantity, given.
func NewQuantity(d decimal.Decimal) Quantity { return Quantity{d, true} }

// ParseMoney reads a decimal number written in the JSON number syntax, or in
// the looser syntax decimal.NewFromString accepts (a leading plus, no leading
// digit). It rejects empty text, spaces, NaN, infinities, and numbers longer
// than 64 characters as written or without their exponent. [Decode] is
// stricter: there a number must follow the JSON grammar.
func ParseMoney(s string) (Money, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return Money{}, fmt.Errorf("model: amount %s cannot be read: %w", quoteText(s), err)
	}
	return Money{d, true}, nil
}

// ParseQuantity is [ParseMoney] for quantities.
func ParseQuantity(s string) (Quantity, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return Quantity{}, fmt.Errorf("model: quantity %s cannot be read: %w", quoteText(s), err)
	}
	return Quantity{d, true}, nil
}

// MustMoney is ParseMoney that panics on error; for constants in tests and
// examples.
func MustMoney(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// MustQuantity is ParseQuantity that panics on error.
func MustQuantity(s string) Quantity {
	q, err := ParseQuantity(s)
	if err != nil {
		panic(err)
	}
	return q
}

// Reasons parseDecimal gives for refusing text. They complete a sentence such
// as "number 1e999999 cannot be read: ...".
var (
	errNotNumber        = errors.New("not a decimal number")
	errNumberTooLong    = fmt.Errorf("longer than %d characters", maxNumberLen)
	errExpandsTooLong   = fmt.Errorf("longer than %d characters without its exponent", maxNumberLen)
	errExponentTooLarge = fmt.Errorf("exponent beyond ±%d", maxExponent)
)

// maxNumberLen bounds the text of one number, and the same number written
// without an exponent, as Money writes it. Longer text is refused before it
// reaches math/big: a number of a million digits is an attack, not an amount.
// Bounding the written form too means that whatever is read can be written
// and read again.
const maxNumberLen = 64

// maxExponent bounds the exponent of a number before it is expanded.
// decimal.NewFromString accepts any exponent that fits an int32, and
// expanding 1e999999999 would allocate a billion digits.
const maxExponent = 999

func parseDecimal(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, errNotNumber
	}
	if len(s) > maxNumberLen {
		return decimal.Decimal{}, errNumberTooLong
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return decimal.Decimal{}, errNotNumber
		}
	}
	i := strings.IndexAny(s, "eE")
	if i >= 0 {
		exp := strings.TrimLeft(strings.TrimLeft(s[i+1:], "+-"), "0")
		if len(exp) > 3 || (len(exp) == 3 && exp > "999") {
			return decimal.Decimal{}, errExponentTooLarge
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, errNotNumber
	}
	// Without an exponent the written form is at most one character longer
	// than the text (.5 is written 0.5), so only an exponent or text of the
	// full length needs the check, and the number is not formatted twice on
	// the common path.
	if (i >= 0 || len(s) == maxNumberLen) && len(formatDecimal(d)) > maxNumberLen {
		return decimal.Decimal{}, errExpandsTooLong
	}
	return d, nil
}

// Decimal returns the amount as a decimal.Decimal.
func (m Money) Decimal() decimal.Decimal { return m.d }

// Given reports whether the amount was given rather than left as the zero
// value: a document that holds "sum": 0 gives it, one without "sum" does not.
// A null read by a lenient decoder is not given either.
func (m Money) Given() bool { return m.given }

// Given reports whether the quantity was given; see [Money.Given].
func (q Quantity) Given() bool { return q.given }

// Decimal returns the quantity as a decimal.Decimal.
func (q Quantity) Decimal() decimal.Decimal { return q.d }

// String writes the amount with the scale it carries, never with an exponent.
func (m Money) String() string { return formatDecimal(m.d) }

// String writes the quantity with the scale it carries, never with an exponent.
func (q Quantity) String() string { return formatDecimal(q.d) }

// StringFixed writes the amount rounded half away from zero to places decimals.
func (m Money) StringFixed(places int32) string { return m.d.StringFixed(places) }

// IsZero reports whether the amount is zero (at any scale).
func (m Money) IsZero() bool { return m.d.IsZero() }

// IsZero reports whether the quantity is zero.
func (q Quantity) IsZero() bool { return q.d.IsZero() }

// Equal reports whether m and o are the same amount; 1.0 equals 1.00.
func (m Money) Equal(o Money) bool { return m.d.Equal(o.d) }

// Equal reports whether q and o are the same quantity.
func (q Quantity) Equal(o Quantity) bool { return q.d.Equal(o.d) }

// Scale returns the number of decimals the amount carries (0 for 1e2).
func (m Money) Scale() int32 { return scale(m.d) }

// Scale returns the number of decimals the quantity carries.
func (q Quantity) Scale() int32 { return scale(q.d) }

func scale(d decimal.Decimal) int32 {
	if e := d.Exponent(); e < 0 {
		return -e
	}
	return 0
}

// formatDecimal prints d with exactly the scale it carries. decimal's own
// String trims trailing zeros, which would turn 100.10 into 100.1.
func formatDecimal(d decimal.Decimal) string {
	if e := d.Exponent(); e < 0 {
		return d.StringFixed(-e)
	}
	return d.String()
}

// MarshalJSON writes the amount as a JSON number, never quoted. It does not
// depend on decimal's package-level MarshalJSONWithoutQuotes setting.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(formatDecimal(m.d)), nil }

// MarshalJSON writes the quantity as a JSON number, never quoted.
func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(formatDecimal(q.d)), nil }

// UnmarshalJSON reads a JSON number exactly, for encoding/json. A quoted
// number is refused; use [Decode] with [DecodeOptions.NumericStrings] to
// accept one. null leaves m unchanged, as encoding/json expects of its
// Unmarshalers.
func (m *Money) UnmarshalJSON(b []byte) error {
	d, err := unmarshalNumber(b)
	if err == nil && d != nil {
		m.d, m.given = *d, true
	}
	return err
}

// UnmarshalJSON reads a JSON number exactly, as [Money.UnmarshalJSON] does.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	d, err := unmarshalNumber(b)
	if err == nil && d != nil {
		q.d, q.given = *d, true
	}
	return err
}

// unmarshalNumber reads the raw JSON value b; it returns nil for null.
func unmarshalNumber(b []byte) (*decimal.Decimal, error) {
	s := string(b)
	switch {
	case s == "null":
		return nil, nil
	case s != "" && s[0] == '"':
		return nil, fmt.Errorf("model: want a JSON number, got the string %s", clip(s, 40))
	case !validJSONNumber(s):
		return nil, fmt.Errorf("model: %s is not a JSON number", clip(s, 40))
	}
	d, err := parseDecimal(s)
	if err != nil {
		return nil, fmt.Errorf("model: number %s cannot be read: %w", clip(s, 40), err)
	}
	return &d, nil
}

// MarshalText writes the amount, so that text encoders (YAML, CSV) get the
// same digits as JSON.
func (m Money) MarshalText() ([]byte, error) { return []byte(formatDecimal(m.d)), nil }

// UnmarshalText reads a decimal written as text, in the syntax [ParseMoney]
// accepts.
func (m *Money) UnmarshalText(b []byte) error {
	d, err := parseDecimal(string(b))
	if err != nil {
		return fmt.Errorf("model: amount %s cannot be read: %w", quoteText(string(b)), err)
	}
	m.d, m.given = d, true
	return nil
}

// MarshalText writes the quantity.
func (q Quantity) MarshalText() ([]byte, error) { return []byte(formatDecimal(q.d)), nil }

// UnmarshalText reads a quantity written as text.
func (q *Quantity) UnmarshalText(b []byte) error {
	d, err := parseDecimal(string(b))
	if err != nil {
		return fmt.Errorf("model: quantity %s cannot be read: %w", quoteText(string(b)), err)
	}
	q.d, q.given = d, true
	return nil
}

// validJSONNumber reports whether s follows the JSON number grammar
// (RFC 8259 §6): no leading plus, no leading zeros, digits on both sides of
// the point.
func validJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	switch {
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}
