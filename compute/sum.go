package compute

import (
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

// RoundMoney rounds d half away from zero to kopecks.
func RoundMoney(d decimal.Decimal) model.Money { return model.NewMoney(d.Round(2)) }

// ItemSum returns price × quantity rounded half away from zero to kopecks:
// the sum (tag 1043) the format expects for the line.
func ItemSum(price model.Money, qty model.Quantity) model.Money {
	return RoundMoney(price.Decimal().Mul(qty.Decimal()))
}

// Total returns the sum of the items' sums, as they stand: the receipt total
// (tag 1020) the format expects.
func Total(items []model.Item) model.Money {
	t := decimal.Zero
	for i := range items {
		t = t.Add(items[i].Sum.Decimal())
	}
	return model.NewMoney(t)
}

// PaymentsTotal returns the sum of the payments.
func PaymentsTotal(ps []model.Payment) model.Money {
	t := decimal.Zero
	for i := range ps {
		t = t.Add(ps[i].Sum.Decimal())
	}
	return model.NewMoney(t)
}
