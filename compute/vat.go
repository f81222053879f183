package compute

import (
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
	return model.NewMoney(divRoundKopecks(sum.Decimal().Mul(decimal.NewFromInt(r)),
		decimal.NewFromInt(100+r)))
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
