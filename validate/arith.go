package validate

import (
	"strconv"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

// sumsOK reports whether every item's price, quantity and sum decoded, so
// that rules over the items' sums judge real values.
func (c *checker) sumsOK() bool {
	if len(c.bad) == 0 {
		return true
	}
	if c.underBad(c.path("items")) {
		return false
	}
	for i := range c.body.Items {
		if c.underBad(c.itemPath(i, "price")) || c.underBad(c.itemPath(i, "quantity")) ||
			c.underBad(c.itemPath(i, "sum")) {
			return false
		}
	}
	return true
}

// arithmetic checks sum = price × quantity for every item, total = Σ sums,
// Σ payments = total, and that the total and every payment are above zero.
func (c *checker) arithmetic() {
	b := c.body
	for i := range b.Items {
		it := &b.Items[i]
		if len(c.bad) > 0 && (c.underBad(c.itemPath(i, "price")) ||
			c.underBad(c.itemPath(i, "quantity")) || c.underBad(c.itemPath(i, "sum"))) {
			continue
		}
		want := compute.ItemSum(it.Price, it.Quantity)
		if !want.Equal(it.Sum) {
			c.add(newViolation("sum_price_quantity", c.itemPath(i, "sum"),
				want.StringFixed(2), it.Sum.String()))
		}
	}
	totalOK := len(c.bad) == 0 || !c.underBad(c.path("total"))
	if totalOK && c.sumsOK() && len(b.Items) > 0 {
		if want := compute.Total(b.Items); !want.Equal(b.Total) {
			c.add(newViolation("total_items", c.path("total"), want.StringFixed(2),
				b.Total.String()))
		}
	}
	if totalOK && b.Total.IsZero() {
		c.add(newViolation("total_positive", c.path("total"), "> 0", b.Total.String()))
	}
	paysOK := true
	for j := range b.Payments {
		p := c.path("payments[" + strconv.Itoa(j) + "].sum")
		if len(c.bad) > 0 && c.underBad(p) {
			paysOK = false
			continue
		}
		if b.Payments[j].Sum.IsZero() {
			c.add(newViolation("payment_positive", p, "> 0", b.Payments[j].Sum.String()))
		}
	}
	// A total or payment with fractions of a kopeck is reported as
	// money_scale; comparing it here would only repeat that.
	if !totalOK || !paysOK || len(b.Payments) == 0 || !kopecks(b.Total) {
		return
	}
	for j := range b.Payments {
		if !kopecks(b.Payments[j].Sum) {
			return
		}
	}
	paid := compute.PaymentsTotal(b.Payments)
	if paid.Equal(b.Total) {
		return
	}
	diff := paid.Decimal().Sub(b.Total.Decimal())
	ru, en := "; не хватает "+diff.Neg().StringFixed(2), "; short by "+diff.Neg().StringFixed(2)
	if diff.Sign() > 0 {
		// The cloud register prints no change: a cash payment larger than
		// the total is an overpayment, not change given back.
		ru = "; переплата " + diff.StringFixed(2) +
			": сдачу в онлайн-чеке не указывают, уменьшите " +
			"оплату до итога"
		en = "; overpaid by " + diff.StringFixed(2) +
			": an online receipt shows no change, reduce the payment to the total"
	}
	c.add(newViolation2("payments_total", c.path("payments"), b.Total.StringFixed(2),
		paid.String(), []any{ru}, []any{en}))
}

// kopecks reports whether m is a whole number of kopecks.
func kopecks(m model.Money) bool {
	d := m.Decimal()
	return m.Scale() <= 2 || d.Equal(d.Round(2))
}
