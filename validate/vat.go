package validate

import (
	"strconv"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

// itemVat checks one line's rate against the settlement date, the payment
// method and the tax system, and its VAT amount against compute.
func (c *checker) itemVat(i int, it *model.Item) {
	v := it.Vat.Type
	if !v.Known() {
		return // enum reports it
	}
	switch {
	case v.Legacy():
		if !(c.correction && !c.settle.IsZero() && c.settle.Before(compute.Vat20From)) {
			want := model.Vat22
			if !c.settle.IsZero() {
				want = compute.RateAt(compute.Plain(v), c.settle)
			}
			if v.Calculated() {
				want = compute.Calculated(want)
			}
			c.add(newViolation("vat_legacy", c.itemPath(i, "vat.type"), string(want),
				string(v), v))
		}
	case !c.settle.IsZero() && !compute.RateAllowed(c.rateOp(), v, c.settle):
		ru, en := "", ""
		if c.correction {
			ru, en = " (дата корректируемого расчёта)", " (the corrected settlement's date)"
		}
		date := model.NewDate(c.settle).String()
		c.add(newViolation2("vat_rate_date", c.itemPath(i, "vat.type"),
			string(compute.RateAt(v, c.settle)), string(v),
			[]any{v, date, ru}, []any{v, date, en}))
	}
	if it.PaymentMethod.IsPrepayment() && !v.Legacy() && compute.Calculated(v) != v {
		calc := compute.Calculated(v)
		c.add(newViolation("vat_calculated_rate", c.itemPath(i, "vat.type"), string(calc),
			string(v), calc, v))
	}
	if usnRate(v) && c.body.Company.SNO.Valid() && !c.body.Company.SNO.IsUSN() {
		c.add(newViolation("vat_usn_rate", c.itemPath(i, "vat.type"), "usn_income or "+
			"usn_income_outcome", string(c.body.Company.SNO), v, c.body.Company.SNO))
	}
	if it.Vat.Sum != nil && (len(c.bad) == 0 || !c.underBad(c.itemPath(i, "sum"))) {
		want := compute.VatAmount(it.Sum, v)
		if !want.Equal(*it.Vat.Sum) {
			r := v.Rate()
			c.add(newViolation("vat_item_sum", c.itemPath(i, "vat.sum"), want.StringFixed(2),
				it.Vat.Sum.String(), r, 100+r, v))
		}
	}
}

// rateOp is the operation whose rate rules apply. A correction's settle is
// the corrected settlement's date, so it is judged as that settlement: a
// sale or purchase needs the rate in force then, a refund keeps the rate of
// the sale it returns (vat20 in a 2026 refund of a 2025 sale). An unknown
// operation is judged as leniently as a refund.
func (c *checker) rateOp() model.Operation {
	if !c.opOK {
		return model.SellRefund
	}
	return c.op.Base()
}

func usnRate(v model.VatType) bool {
	switch v {
	case model.Vat5, model.Vat7, model.Vat105, model.Vat107:
		return true
	}
	return false
}

// vats checks receipt-level VAT sums against the items. The service uses
// only vats[] when it is given, so each entry must agree with the items
// (compute.VatAcceptable: the rate applied to the rate's total, or the
// items' VATs rounded one by one; 0 or the turnover for vat0 and none), the
// rates must be the items' rates, once each, and every rate of the items
// needs an entry.
func (c *checker) vats() {
	b := c.body
	if len(b.Vats) == 0 || !c.sumsOK() {
		return
	}
	var rates [16]model.VatType
	listed := [16]bool{}
	n := 0
	for i := range b.Items {
		t := b.Items[i].Vat.Type
		if !t.Known() {
			return // enum reports it; the totals would mean nothing
		}
		k := 0
		for k < n && rates[k] != t {
			k++
		}
		if k == n {
			if n == len(rates) {
				return
			}
			rates[n] = t
			n++
		}
	}
	for j := range b.Vats {
		e := &b.Vats[j]
		if !e.Type.Known() {
			continue
		}
		at := c.path("vats[" + strconv.Itoa(j) + "]")
		dup := -1
		for k := 0; k < j; k++ {
			if b.Vats[k].Type == e.Type {
				dup = k
				break
			}
		}
		if dup >= 0 {
			c.add(newViolation2("vats_rates", at+".type",
				"one entry per rate", "repeats vats["+strconv.Itoa(dup)+"]",
				[]any{"ставка " + string(e.Type) + " указана дважды"},
				[]any{"rate " + string(e.Type) + " is listed twice"}))
			continue
		}
		k := 0
		for k < n && rates[k] != e.Type {
			k++
		}
		if k == n {
			c.add(newViolation2("vats_rates", at+".type",
				"a rate of the items", string(e.Type),
				[]any{"ставки " + string(e.Type) + " нет ни в одной позиции"},
				[]any{"no item has the rate " + string(e.Type)}))
			continue
		}
		listed[k] = true
		// The common case, the rate applied to the rate's total, first:
		// it is one VAT computation, the full check is one per item.
		want := compute.ReceiptVat(b.Items, e.Type)
		if !want.Equal(e.Sum) && !compute.VatAcceptable(b.Items, *e) {
			c.add(newViolation("vats_sum", at+".sum", want.StringFixed(2), e.Sum.String(),
				e.Type))
		}
	}
	for k := 0; k < n; k++ {
		if !listed[k] {
			t := string(rates[k])
			c.add(newViolation2("vats_rates", c.path("vats"), "an entry for "+t, "absent",
				[]any{"нет записи для ставки " + t + ", которая есть в позициях"},
				[]any{"no entry for the rate " + t + " that the items have"}))
		}
	}
}
