package compute

import (
	"errors"
	"strconv"

	"github.com/evoreceipt/evoreceipt/model"
)

// Discount lowers the sums of items by amount in all, spread over the lines
// by [Spread], and then gives every line it lowered a price that fits its
// new sum, splitting the line in two where no single price does (see
// [SplitItem]). An order coupon, loyalty points paid by the seller, a
// promotion or a discount a marketplace pays for are all discounts in the
// receipt: the buyer's price is what the receipt shows.
//
// A VAT amount that was set on a lowered line is recomputed from its new
// sum. It returns a new slice of deep copies (items is not modified) and one
// [LineSplit] per line it lowered; lines that got no share are copied as
// they are. Errors are [*Error] values with paths amount and items[i].sum,
// as for Spread, or from splitting; on error no items are returned.
func Discount(items []model.Item, amount model.Money,
	opts SpreadOptions) ([]model.Item, []LineSplit, error) {
	sums := make([]model.Money, len(items))
	for i := range items {
		sums[i] = items[i].Sum
	}
	shares, err := spread(amount, sums, opts, func(i int) string {
		return "items[" + strconv.Itoa(i) + "].sum"
	})
	if err != nil {
		return nil, nil, err
	}
	out := make([]model.Item, 0, len(items))
	var splits []LineSplit
	var errs []error
	for i := range items {
		it := &items[i]
		if shares[i].IsZero() {
			out = append(out, cloneItem(it))
			continue
		}
		lowered := cloneItem(it)
		lowered.Sum = model.NewMoney(it.Sum.Decimal().Sub(shares[i].Decimal()))
		if lowered.Vat.Sum != nil {
			v := VatAmount(lowered.Sum, lowered.Vat.Type)
			lowered.Vat.Sum = &v
		}
		parts, err := SplitItem(lowered)
		if err != nil {
			errs = append(errs, prefixPath("items["+strconv.Itoa(i)+"]", err))
			continue
		}
		splits = append(splits, report(i, len(out), it, parts))
		out = append(out, parts...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return out, splits, nil
}

// Fit lowers the sums of items so that they add up to target, by a
// [Discount] of Σ sums − target. It cannot raise them: a target above the
// items' total is an [*Error] wrapping [ErrExceeds] at path target.
func Fit(items []model.Item, target model.Money,
	opts SpreadOptions) ([]model.Item, []LineSplit, error) {
	if err := checkKopecks("target", target); err != nil {
		return nil, nil, err
	}
	total := Total(items)
	if target.Decimal().GreaterThan(total.Decimal()) {
		return nil, nil, errorf("target", ErrExceeds, "%s is above the items' total %s:",
			target, total.StringFixed(2))
	}
	return Discount(items, model.NewMoney(total.Decimal().Sub(target.Decimal())), opts)
}
