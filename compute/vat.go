package compute

import (
	"slices"
	"strconv"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// VatAmount returns the VAT contained in a VAT-inclusive amount at rate v:
// sum × r / (100 + r), rounded half away from zero to kopecks. vat0, none and
// unknown rates give 0.00. A rate and its calculated twin (vat22, vat122)
// give the same amount; they differ only in the fiscal tag.
func VatAmount(sum model.Money, v model.VatType) model.Money {
	r := v.Rate()
	if r == 0 {
		return model.NewMoney(decimal.New(0, -2))
	}
	if k, ok := wholeKopecks(sum.Decimal()); ok {
		// The common case, a sum in whole kopecks well inside int64, is
		// done in integers: same result, no big-number allocations.
		return model.NewMoney(decimal.New(divRoundHalfAway(k*r, 100+r), -2))
	}
	return model.NewMoney(divRoundKopecks(sum.Decimal().Mul(decimal.NewFromInt(r)),
		decimal.NewFromInt(100+r)))
}

// maxFastKopecks bounds the integer path: k × 122 must not overflow int64.
const maxFastKopecks = 1 << 55

// wholeKopecks returns d in kopecks when d has at most two decimals and is
// small enough for integer arithmetic.
func wholeKopecks(d decimal.Decimal) (int64, bool) {
	e := d.Exponent()
	if e < -2 || e > 2 {
		return 0, false
	}
	c := d.Coefficient()
	if !c.IsInt64() {
		return 0, false
	}
	k := c.Int64()
	if k > maxFastKopecks/1000 || k < -maxFastKopecks/1000 {
		return 0, false
	}
	for ; e > -2; e-- {
		k *= 10
	}
	return k, true
}

// divRoundHalfAway returns n / d rounded half away from zero, for d > 0.
func divRoundHalfAway(n, d int64) int64 {
	q, r := n/d, n%d
	if r < 0 {
		r = -r
	}
	if 2*r >= d {
		if n < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// divRoundKopecks returns n / d rounded half away from zero to kopecks,
// exactly: the division is done on whole kopecks with a remainder, so no
// intermediate rounding can push a value across the half.
func divRoundKopecks(n, d decimal.Decimal) decimal.Decimal {
	// Scale n so that the quotient's integer part is in kopecks. n may carry
	// more than two decimals; QuoRem with precision 0 needs the fraction
	// handled, so work on n×100 and keep the remainder.
	q, rem := n.Mul(hundred).QuoRem(d, 0)
	if rem.Abs().Mul(decimal.NewFromInt(2)).Cmp(d.Abs()) >= 0 {
		if n.Sign()*d.Sign() < 0 {
			q = q.Sub(decimal.NewFromInt(1))
		} else {
			q = q.Add(decimal.NewFromInt(1))
		}
	}
	return q.Shift(-2).Round(2)
}

// ReceiptVat returns the receipt-level VAT at type t (vats[].sum) for
// items: the VAT of the sum of the sums of the items at t, rounded once,
// VatAmount(Σ sums at t, t). See the package documentation for why this
// formula and not the sum of rounded item VATs; [VatAcceptable] accepts
// both. Items at other types, a rate's calculated twin included, do not
// count: vat22 and vat122 are separate entries of vats[].
func ReceiptVat(items []model.Item, t model.VatType) model.Money {
	return VatAmount(sumAt(items, t), t)
}

// sumAt returns the sum of the sums of the items at type t.
func sumAt(items []model.Item, t model.VatType) model.Money {
	s := decimal.Zero
	for i := range items {
		if items[i].Vat.Type == t {
			s = s.Add(items[i].Sum.Decimal())
		}
	}
	return model.NewMoney(s)
}

// Vats returns vats[] for items: one entry per VAT type that an item
// carries, in the order the types first appear, each with [ReceiptVat].
// Entries for vat0 and none are 0.00, as public integrations send them
// (the tags they map to, 1104 and 1105, are defined as turnover; see
// [VatAcceptable]).
//
// An item whose type the format does not know gives an [*Error] wrapping
// [ErrUnknownRate] at items[i].vat.type, and no entries. Vats does not
// check the limit of 6 entries; [Complete] does.
func Vats(items []model.Item) ([]model.Vat, error) {
	var types []model.VatType
	for i := range items {
		t := items[i].Vat.Type
		if !t.Known() {
			return nil, errorf("items["+strconv.Itoa(i)+"].vat.type", ErrUnknownRate, "%q", t)
		}
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	out := make([]model.Vat, len(types))
	for k, t := range types {
		out[k] = model.Vat{Type: t, Sum: ReceiptVat(items, t)}
	}
	return out, nil
}

// AcceptableVats returns the amounts that [VatAcceptable] accepts for the
// vats[] entry of type t, smallest first, without repeats.
func AcceptableVats(items []model.Item, t model.VatType) []model.Money {
	if !t.Known() {
		return nil
	}
	zero := model.NewMoney(decimal.New(0, -2))
	turnover := sumAt(items, t)
	if t.Rate() == 0 {
		return distinct(zero, RoundMoney(turnover.Decimal()))
	}
	perItem := decimal.Zero
	for i := range items {
		if items[i].Vat.Type == t {
			perItem = perItem.Add(VatAmount(items[i].Sum, t).Decimal())
		}
	}
	return distinct(VatAmount(turnover, t), model.NewMoney(perItem.Round(2)))
}

func distinct(a, b model.Money) []model.Money {
	switch c := a.Decimal().Cmp(b.Decimal()); {
	case c == 0:
		return []model.Money{a}
	case c > 0:
		a, b = b, a
	}
	return []model.Money{a, b}
}

// VatAcceptable reports whether v is a receipt-level VAT sum (a vats[]
// entry) that the service can be expected to accept for items. As the
// service's own method is not documented (reference §12), it accepts the
// values of both formulas in use:
//
//   - the VAT of the sum of the items' sums at v.Type, rounded once
//     ([ReceiptVat], what [Vats] and [Complete] write);
//   - the sum of the items' VATs, each rounded to kopecks.
//
// They differ by at most half a kopeck per item, and agree for one item.
// Values between them are not accepted. For vat0 and none, whose tags 1104
// and 1105 are defined as turnover at 0% and without VAT, it accepts 0 (what
// integrations send) and the turnover, the sum of the items' sums. For a
// type no item carries only 0 is accepted, and for a type the format does
// not know nothing is. Amounts are compared by value (540.980 = 540.98);
// checking their scale is the validator's business.
func VatAcceptable(items []model.Item, v model.Vat) bool {
	for _, m := range AcceptableVats(items, v.Type) {
		if m.Equal(v.Sum) {
			return true
		}
	}
	return false
}
