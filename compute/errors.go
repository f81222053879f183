package compute

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// Errors that callers can branch on with [errors.Is]. They reach the caller
// wrapped in an [*Error] that names the value.
var (
	// ErrNegative is a sum or an amount below zero.
	ErrNegative = errors.New("is negative")
	// ErrScale is money with more than two decimals, or a quantity with
	// more than three, where this package has to work in whole kopecks or
	// thousandths.
	ErrScale = errors.New("has more decimals than the format allows")
	// ErrRange is a value too large for the format (and for this package's
	// arithmetic), far beyond 42 949 672.95 or 99 999.999.
	ErrRange = errors.New("is out of range")
	// ErrQuantity is a quantity that is zero or negative where a price has to
	// be derived from a sum.
	ErrQuantity = errors.New("is not above zero")
	// ErrExceeds is an amount to spread that is larger than what the lines
	// can absorb without going below zero.
	ErrExceeds = errors.New("exceeds what the lines can absorb")
	// ErrMarked is a line with a marking code that would have to be split:
	// one code stands for one unit, and copying it onto two lines would sell
	// it twice.
	ErrMarked = errors.New("carries a marking code and cannot be split")
	// ErrUnknownRate is a VAT type the format does not know, so no VAT can
	// be computed for it.
	ErrUnknownRate = errors.New("is not a VAT type")
	// ErrTooManyVats is a receipt whose items carry more VAT types than
	// vats[] may list (6).
	ErrTooManyVats = errors.New("needs more than 6 vats[] entries")
	// ErrZeroTotal is a payment asked for a receipt whose total is zero:
	// the cash register refuses a receipt with a zero total.
	ErrZeroTotal = errors.New("receipt total is zero")
)

// Error is a problem with one value, named by its path: receipt.items[2].sum
// for [Complete], items[2].sum for [Split] and [Discount], sums[2] or amount
// for [Spread].
type Error struct {
	Path string
	Err  error
}

// Error writes "compute: path: cause".
func (e *Error) Error() string { return "compute: " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the cause, one of the Err values of this package wrapped
// with the value it is about.
func (e *Error) Unwrap() error { return e.Err }

// errorf builds an [*Error] at path whose cause wraps sentinel:
// errorf("amount", ErrNegative, "%s", "-1.00") reads
// "compute: amount: -1.00 is negative".
func errorf(path string, sentinel error, format string, args ...any) *Error {
	return &Error{Path: path, Err: wrapf(sentinel, format, args...)}
}

// wrapf returns an error that reads format's text, then sentinel's, and
// wraps sentinel.
func wrapf(sentinel error, format string, args ...any) error {
	return fmt.Errorf(format+" %w", append(args, sentinel)...)
}

// Bounds of the integer arithmetic in split.go: 10¹² kopecks is ten billion
// rubles, far above the format's 42 949 672.95 for a line and 100 000 000
// for a receipt; 10¹² thousandths is far above 99 999.999.
const (
	maxKopecks = 1_000_000_000_000
	maxMillis  = 1_000_000_000_000
)

// Exponents outside [minExp, maxExp] are refused before any arithmetic:
// rescaling 1e999999 to kopecks would make math/big allocate without
// bound, and writing it out would print a million digits. No amount the
// format allows comes near either bound.
const (
	minExp = -64
	maxExp = 18
)

// inRange reports whether d's exponent is within [minExp, maxExp] (or d is
// zero).
func inRange(d decimal.Decimal) bool {
	e := d.Exponent()
	return d.IsZero() || (e >= minExp && e <= maxExp)
}

// show writes a money or quantity value for a message: as the caller wrote
// it, or as coefficient and exponent when its exponent is out of range.
func show(v interface {
	Decimal() decimal.Decimal
	String() string
}) string {
	if d := v.Decimal(); !inRange(d) {
		return d.Coefficient().String() + "e" + strconv.Itoa(int(d.Exponent()))
	}
	return v.String()
}

// units returns d as a whole number of 10^-places (kopecks for 2,
// thousandths for 3). It refuses values that are not whole in those units
// and values above limit.
func units(d decimal.Decimal, places int32, limit int64) (int64, error) {
	if d.IsZero() {
		return 0, nil
	}
	if !inRange(d) {
		return 0, ErrRange
	}
	if !d.Truncate(places).Equal(d) {
		return 0, ErrScale
	}
	u := d.Shift(places)
	if u.Abs().GreaterThan(decimal.NewFromInt(limit)) {
		return 0, ErrRange
	}
	return u.IntPart(), nil
}
