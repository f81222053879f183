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
type Money struct{ d decimal.Decimal }

// Quantity is an exact quantity of goods (up to three decimals in the format).
// The zero value is 0.
type Quantity struct{ d decimal.Decimal }

// NewMoney returns d as Money.
func NewMoney(d decimal.Decimal) Money { return Money{d} }

// NewQuantity returns d as a Quantity.
func NewQuantity(d decimal.Decimal) Quantity { return Quantity{d} }

// ParseMoney reads a decimal number written in the JSON number syntax, or in
// the looser syntax decimal.NewFromString accepts (a leading plus, no leading
// digit). It rejects empty text, NaN and infinities.
func ParseMoney(s string) (Money, error) {
	d, err := parseDecimal(s)
	return Money{d}, err
}

// ParseQuantity is [ParseMoney] for quantities.
func ParseQuantity(s string) (Quantity, error) {
	d, err := parseDecimal(s)
	return Quantity{d}, err
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

// errNotNumber is returned for text that is not a decimal number.
var errNotNumber = errors.New("not a decimal number")

// maxNumberLen bounds the text of one number. Longer text is refused before it
// reaches math/big: a number of a million digits is an attack, not an amount.
const maxNumberLen = 64

func parseDecimal(s string) (decimal.Decimal, error) {
	if s == "" || len(s) > maxNumberLen {
		return decimal.Decimal{}, errNotNumber
	}
	// decimal.NewFromString accepts exponents of any size; an exponent
	// like 1e999999999 would make later arithmetic allocate without bound.
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp := strings.TrimLeft(s[i+1:], "+-")
		if len(exp) > 3 {
			return decimal.Decimal{}, errNotNumber
		}
	}
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return decimal.Decimal{}, errNotNumber
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, errNotNumber
	}
	return d, nil
}

// Decimal returns the amount as a decimal.Decimal.
func (m Money) Decimal() decimal.Decimal { return m.d }

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

// UnmarshalJSON reads a JSON number exactly. A quoted number is refused; use
// [Decode] with [DecodeOptions.NumericStrings] to accept one.
func (m *Money) UnmarshalJSON(b []byte) error {
	d, err := unmarshalNumber(b)
	if err == nil {
		m.d = d
	}
	return err
}

// UnmarshalJSON reads a JSON number exactly.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	d, err := unmarshalNumber(b)
	if err == nil {
		q.d = d
	}
	return err
}

func unmarshalNumber(b []byte) (decimal.Decimal, error) {
	s := string(b)
	if s == "" || s[0] == '"' || !validJSONNumber(s) {
		return decimal.Decimal{}, fmt.Errorf("model: %q is not a JSON number", s)
	}
	return parseDecimal(s)
}

// MarshalText writes the amount, so that text encoders (YAML, CSV) get the
// same digits as JSON.
func (m Money) MarshalText() ([]byte, error) { return []byte(formatDecimal(m.d)), nil }

// UnmarshalText reads a decimal written as text.
func (m *Money) UnmarshalText(b []byte) error {
	d, err := parseDecimal(string(b))
	if err != nil {
		return fmt.Errorf("model: %q is not a decimal number", b)
	}
	m.d = d
	return nil
}

// MarshalText writes the quantity.
func (q Quantity) MarshalText() ([]byte, error) { return []byte(formatDecimal(q.d)), nil }

// UnmarshalText reads a quantity written as text.
func (q *Quantity) UnmarshalText(b []byte) error {
	d, err := parseDecimal(string(b))
	if err != nil {
		return fmt.Errorf("model: %q is not a decimal number", b)
	}
	q.d = d
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
