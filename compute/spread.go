package compute

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

// SpreadOptions says which lines take part in [Spread] and [Discount]. The
// zero value spreads over every line.
type SpreadOptions struct {
	// Exclude reports whether line i takes no share, for example a delivery
	// line that an order coupon must not reduce. nil excludes none.
	Exclude func(i int) bool
}

func (o SpreadOptions) excluded(i int) bool { return o.Exclude != nil && o.Exclude(i) }

// Spread divides amount (a coupon, loyalty points, a promotion, a discount
// a marketplace pays for) over lines with the given sums, in proportion to
// the sums, in whole kopecks. It returns one share per line, 0.00 for
// excluded lines; the shares add up to amount exactly and no share exceeds
// its line's sum, so no line goes below zero.
//
// The method is largest remainder: each line first gets its exact share
// amount × sum ÷ Σ sums rounded down to kopecks, and the kopecks still
// missing go one each to the lines with the largest remainders. Equal
// remainders go to the earlier line (the lower index), so the result
// depends only on the input.
//
// Spread returns an [*Error] wrapping [ErrNegative], [ErrScale] or
// [ErrRange] for an amount or sum below zero, not in whole kopecks, or
// beyond any the format allows (paths amount, sums[i]), and [ErrExceeds]
// when amount is larger than the sum of the lines that take part.
func Spread(amount model.Money, sums []model.Money, opts SpreadOptions) ([]model.Money, error) {
	return spread(amount, sums, opts, func(i int) string { return "sums[" + strconv.Itoa(i) + "]" })
}

func spread(amount model.Money, sums []model.Money, opts SpreadOptions,
	path func(int) string) ([]model.Money, error) {
	if err := checkKopecks("amount", amount); err != nil {
		return nil, err
	}
	weights := make([]decimal.Decimal, len(sums))
	skip := make([]bool, len(sums))
	capacity := decimal.Zero
	for i, s := range sums {
		if opts.excluded(i) {
			skip[i] = true
			continue
		}
		if err := checkKopecks(path(i), s); err != nil {
			return nil, err
		}
		weights[i] = s.Decimal()
		capacity = capacity.Add(weights[i])
	}
	if amount.Decimal().GreaterThan(capacity) {
		return nil, errorf("amount", ErrExceeds, "%s is more than the %s the lines hold:",
			amount, capacity.StringFixed(2))
	}
	shares := allocate(amount.Decimal(), weights, skip)
	out := make([]model.Money, len(shares))
	for i, s := range shares {
		out[i] = model.NewMoney(s)
	}
	return out, nil
}

// checkKopecks returns an [*Error] at path unless m is at least zero and in
// whole kopecks.
func checkKopecks(path string, m model.Money) error {
	if m.Decimal().Sign() < 0 {
		return errorf(path, ErrNegative, "%s", show(m))
	}
	if _, err := units(m.Decimal(), 2, maxKopecks); err != nil {
		return errorf(path, err, "%s", show(m))
	}
	return nil
}

var kopeck = decimal.New(1, -2)

// allocate divides amount (whole kopecks, ≥ 0) over weights (≥ 0) by
// largest remainder, skipping lines marked in skip (which may be nil). Every
// share has two decimals. When the weights add up to zero nothing can be
// divided and every share is zero.
func allocate(amount decimal.Decimal, weights []decimal.Decimal, skip []bool) []decimal.Decimal {
	shares := make([]decimal.Decimal, len(weights))
	total := decimal.Zero
	for i, w := range weights {
		shares[i] = decimal.New(0, -2)
		if skip == nil || !skip[i] {
			total = total.Add(w)
		}
	}
	if total.Sign() <= 0 || amount.IsZero() {
		return shares
	}
	type rest struct {
		i int
		r decimal.Decimal
	}
	rests := make([]rest, 0, len(weights))
	given := decimal.Zero
	for i, w := range weights {
		if (skip != nil && skip[i]) || w.IsZero() {
			continue
		}
		// q is amount × w ÷ total rounded down to kopecks; r, the part cut
		// off, is compared between lines over the same divisor total.
		q, r := amount.Mul(w).QuoRem(total, 2)
		shares[i] = q
		given = given.Add(q)
		rests = append(rests, rest{i, r})
	}
	missing := amount.Sub(given).Shift(2).IntPart()
	slices.SortFunc(rests, func(a, b rest) int {
		if c := b.r.Cmp(a.r); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	for k := int64(0); k < missing; k++ {
		i := rests[k].i
		shares[i] = shares[i].Add(kopeck)
	}
	return shares
}
