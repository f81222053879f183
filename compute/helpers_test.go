package compute_test

import (
	"errors"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

func m(s string) model.Money    { return model.MustMoney(s) }
func q(s string) model.Quantity { return model.MustQuantity(s) }

// item returns a full_payment goods line at vat22. An empty price or sum
// leaves it out.
func item(name, price, qty, sum string) model.Item {
	return model.Item{Name: name, Price: given(price), Quantity: q(qty), Sum: given(sum),
		PaymentMethod: model.FullPayment, PaymentObject: model.ObjectGoods,
		Vat: model.ItemVat{Type: model.Vat22}}
}

// given is m, or the zero value (not given) for "".
func given(s string) model.Money {
	if s == "" {
		return model.Money{}
	}
	return m(s)
}

func itemAt(t model.VatType, sum string) model.Item {
	it := item("x", sum, "1", sum)
	it.Vat.Type = t
	return it
}

func decimalKopecks(k int64) decimal.Decimal { return decimal.New(k, -2) }

// errorIsAt reports whether err wraps target in a *compute.Error at path.
func errorIsAt(err, target error, path string) bool {
	for _, e := range unjoin(err) {
		var ce *compute.Error
		if errors.As(e, &ce) && ce.Path == path && errors.Is(ce, target) {
			return true
		}
	}
	return false
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}
