package compute

import (
	"errors"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

// Line is the arithmetic of one receipt line: price × quantity = sum.
type Line struct {
	Price    model.Money
	Quantity model.Quantity
	Sum      model.Money
}

// LineOf returns the price, quantity and sum of it.
func LineOf(it *model.Item) Line { return Line{it.Price, it.Quantity, it.Sum} }

// String writes "2 × 88.74 = 177.48".
func (l Line) String() string {
	return l.Quantity.String() + " × " + l.Price.String() + " = " + l.Sum.String()
}

// LineSplit reports what [Split] or [Discount] did to one line: a new price
// (After has one line) or a split into two lines (After has two).
type LineSplit struct {
	// Index is the line's index in the input, At the index of its first
	// part in the output.
	Index, At int
	// Before is the line as it was given.
	Before Line
	// After lists the lines it became, in order.
	After []Line
}

// String writes "items[2]: 3 × 99.90 = 299.70 → 2 × 88.74 = 177.48 + 1 × 88.75 = 88.75".
func (s LineSplit) String() string {
	var b strings.Builder
	b.WriteString("items[" + strconv.Itoa(s.Index) + "]: " + s.Before.String() + " → ")
	for i, l := range s.After {
		if i > 0 {
			b.WriteString(" + ")
		}
		b.WriteString(l.String())
	}
	return b.String()
}

// Split makes price × quantity equal the sum on every line of items, keeping
// the sums: the sum is taken as the amount settled (after discounts), the
// quantity as fixed, and the price is derived. See [SplitItem] for how one
// line is handled. Lines that already agree are kept as they are.
//
// Split returns a new slice of deep copies; items is not modified. Lines it
// cannot handle are kept unchanged and reported in the error, a join of
// [*Error] values with paths items[i]; the other lines are still done.
func Split(items []model.Item) ([]model.Item, []LineSplit, error) {
	out := make([]model.Item, 0, len(items))
	var splits []LineSplit
	var errs []error
	for i := range items {
		it := &items[i]
		if lineAgrees(it) {
			out = append(out, cloneItem(it))
			continue
		}
		parts, err := SplitItem(*it)
		if err != nil {
			errs = append(errs, prefixPath("items["+strconv.Itoa(i)+"]", err))
			out = append(out, cloneItem(it))
			continue
		}
		splits = append(splits, report(i, len(out), it, parts))
		out = append(out, parts...)
	}
	return out, splits, errors.Join(errs...)
}

// lineAgrees reports whether it needs no new price: its price is in whole
// kopecks and price × quantity rounds to its sum.
func lineAgrees(it *model.Item) bool {
	return isKopecks(it.Price) && ItemSum(it.Price, it.Quantity).Equal(it.Sum)
}

func isKopecks(m model.Money) bool { return m.Decimal().Truncate(2).Equal(m.Decimal()) }

func report(index, at int, before *model.Item, parts []model.Item) LineSplit {
	s := LineSplit{Index: index, At: at, Before: LineOf(before)}
	for i := range parts {
		s.After = append(s.After, LineOf(&parts[i]))
	}
	return s
}

// SplitItem returns it with a price such that price × quantity, rounded to
// kopecks as the format does, equals its sum; or, when no single price
// does, two lines that share its quantity and sum. Every other attribute
// (name, payment method, VAT type, agent data, ...) is copied to each part.
// A re-priced line keeps its sum and VAT amount as given; when a line is
// split, a VAT amount that was set is recomputed for each part, and an
// excise amount is spread over the parts in proportion to their sums.
//
// The price chosen is the one nearest to sum ÷ quantity. For a split:
//
//   - a whole quantity n with sum S (in kopecks) becomes n − r units at
//     p = ⌊S/n⌋ and r units at p + 0.01, r = S mod n, so both products are
//     exact; 3 × 99.90 discounted to 266.23 becomes 2 × 88.74 and 1 × 88.75;
//   - a fractional quantity n + f keeps the fraction on the first line: it
//     becomes n − r + f units at p = ⌊S/(n+f)⌋ and r units at p + 0.01,
//     with r chosen so that the sums add up; 12.345 kg at 33.99 sold for
//     400.00 becomes 10.345 × 32.40 and 2 × 32.41. Every price stays
//     within a kopeck of S/(n+f).
//
// A quantity below 1 never needs a split: some price always fits.
//
// SplitItem refuses (with [ErrMarked]) to split a line with a marking code;
// such a line has quantity 1 and is only re-priced. It also refuses a
// quantity that is not above zero ([ErrQuantity]), a negative sum
// ([ErrNegative]), a sum not in whole kopecks or a quantity not in whole
// thousandths ([ErrScale]), and values beyond any the format allows
// ([ErrRange]). Errors are [*Error] values with paths relative to the item
// (sum, quantity).
func SplitItem(it model.Item) ([]model.Item, error) {
	s, q, err := lineUnits(&it)
	if err != nil {
		return nil, err
	}
	parts := plan(s, q)
	if len(parts) > 1 && it.MarkCode != nil {
		return nil, &Error{Path: "mark_code", Err: ErrMarked}
	}
	if len(parts) > 1 && it.Excise != nil {
		if err := checkKopecks("excise", *it.Excise); err != nil {
			return nil, err
		}
	}
	out := make([]model.Item, len(parts))
	sums := make([]decimal.Decimal, len(parts))
	for i, p := range parts {
		part := cloneItem(&it)
		part.Price = model.NewMoney(decimal.New(p.price, -2))
		part.Quantity = model.NewQuantity(millisDecimal(p.qty))
		part.Sum = ItemSum(part.Price, part.Quantity)
		if len(parts) == 1 {
			part.Sum = it.Sum // the same amount, as the caller wrote it
		} else if part.Vat.Sum != nil {
			v := VatAmount(part.Sum, part.Vat.Type)
			part.Vat.Sum = &v
		}
		sums[i] = part.Sum.Decimal()
		out[i] = part
	}
	if it.Excise != nil && len(parts) > 1 {
		shares := allocate(it.Excise.Decimal(), sums, nil)
		for i := range out {
			e := model.NewMoney(shares[i])
			out[i].Excise = &e
		}
	}
	return out, nil
}

// lineUnits returns the sum in kopecks and the quantity in thousandths.
func lineUnits(it *model.Item) (sum, qty int64, err error) {
	if it.Quantity.Decimal().Sign() <= 0 {
		return 0, 0, errorf("quantity", ErrQuantity, "%s", show(it.Quantity))
	}
	if it.Sum.Decimal().Sign() < 0 {
		return 0, 0, errorf("sum", ErrNegative, "%s", show(it.Sum))
	}
	if sum, err = units(it.Sum.Decimal(), 2, maxKopecks); err != nil {
		return 0, 0, errorf("sum", err, "%s", show(it.Sum))
	}
	if qty, err = units(it.Quantity.Decimal(), 3, maxMillis); err != nil {
		return 0, 0, errorf("quantity", err, "%s", show(it.Quantity))
	}
	return sum, qty, nil
}

// part is one line of a plan: a price in kopecks and a quantity in
// thousandths.
type part struct{ price, qty int64 }

// plan returns the lines (one or two) that carry sum s kopecks over q
// thousandths, each with round(price × qty) equal to its share. s ≥ 0 and
// q > 0 are at most maxKopecks and maxMillis, so no product overflows.
func plan(s, q int64) []part {
	if p, ok := priceFor(s, q); ok {
		return []part{{p, q}}
	}
	// q ≥ 1000 here: below one unit some price always fits.
	n, f := q/1000, q%1000
	p := s * 1000 / q // ⌊S/Q⌋ in kopecks
	// The fraction f at p carries round(p·f); r whole units move up a kopeck
	// to make up the rest, the others stay at p with the fraction. As
	// p·Q ≤ S < (p+1)·Q, 0 ≤ r ≤ n + 1; r = 0 would make p fit and r = n + 1
	// would make p + 1 fit (then (p+1)·f lies between round(p·f) + 1 and
	// round(p·f) + 1.5), and priceFor found neither, so 1 ≤ r ≤ n.
	r := s - n*p - roundDiv(p*f, 1000)
	return []part{{p, q - r*1000}, {p + 1, r * 1000}}
}

// priceFor returns the price p in kopecks, nearest to s/q, for which
// p × q thousandths rounds half away from zero to s kopecks, if there is one.
// round(p·q/1000) = s ⟺ 1000s − 500 ≤ p·q < 1000s + 500.
func priceFor(s, q int64) (int64, bool) {
	lo := ceilDiv(max(0, 1000*s-500), q)
	hi := ceilDiv(1000*s+500, q) - 1
	if lo > hi {
		return 0, false
	}
	return min(max(roundDiv(1000*s, q), lo), hi), true
}

// ceilDiv returns ⌈a/b⌉ for a ≥ 0, b > 0.
func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// roundDiv returns a/b rounded half up, for a ≥ 0, b > 0.
func roundDiv(a, b int64) int64 { return (2*a + b) / (2 * b) }

// millisDecimal writes m thousandths with no trailing zeros: 2000 → 2,
// 10345 → 10.345, 500 → 0.5.
func millisDecimal(m int64) decimal.Decimal {
	exp := int32(-3)
	for exp < 0 && m%10 == 0 {
		m /= 10
		exp++
	}
	return decimal.New(m, exp)
}

// prefixPath puts prefix before the path of an [*Error] (or wraps another
// error in one at prefix).
func prefixPath(prefix string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		p := prefix
		if e.Path != "" {
			p += "." + e.Path
		}
		return &Error{Path: p, Err: e.Err}
	}
	return &Error{Path: prefix, Err: err}
}
