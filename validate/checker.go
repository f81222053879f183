package validate

import (
	"strconv"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

// checker runs the built-in rules over one request.
type checker struct {
	op      model.Operation
	req     *model.Request
	decoded []Violation // from decoding, kept first
	out     []Violation
	// bad holds paths whose value could not be decoded; rules skip them
	// rather than report a second, derived violation.
	bad map[string]bool
}

func (c *checker) add(v Violation) { c.out = append(c.out, v) }

func (c *checker) run() {
	c.out = append(c.out, c.decoded...)
	c.bad = map[string]bool{}
	for _, v := range c.decoded {
		c.bad[v.Path] = true
	}
	body := c.req.Body()
	if body == nil {
		return
	}
	root := c.req.RootKey()
	c.arithmetic(root, body)
}

func itemPath(root string, i int, field string) string {
	p := root + ".items[" + strconv.Itoa(i) + "]"
	if field != "" {
		p += "." + field
	}
	return p
}

// arithmetic checks sum = price × quantity for every item, total = Σ sums
// and Σ payments = total.
func (c *checker) arithmetic(root string, b *model.Receipt) {
	itemsOK := true
	for i := range b.Items {
		it := &b.Items[i]
		if c.bad[itemPath(root, i, "price")] || c.bad[itemPath(root, i, "quantity")] ||
			c.bad[itemPath(root, i, "sum")] {
			itemsOK = false
			continue
		}
		want := compute.ItemSum(it.Price, it.Quantity)
		if !want.Equal(it.Sum) {
			c.add(newViolation("sum_price_quantity", itemPath(root, i, "sum"),
				want.StringFixed(2), it.Sum.String()))
		}
	}
	if itemsOK && !c.bad[root+".total"] {
		if want := compute.Total(b.Items); !want.Equal(b.Total) {
			c.add(newViolation("total_items", root+".total", want.StringFixed(2), b.Total.String()))
		}
	}
	if !c.bad[root+".total"] && len(b.Payments) > 0 {
		paid := compute.PaymentsTotal(b.Payments)
		if !paid.Equal(b.Total) {
			note := ""
			if paid.Decimal().GreaterThan(b.Total.Decimal()) {
				note = "; an online receipt cannot give change"
			}
			v := newViolation("payments_total", root+".payments", b.Total.StringFixed(2),
				paid.String(), note)
			if note != "" {
				v.MessageRU = "сумма оплат должна равняться итогу чека; " +
					"в онлайн-чеке нельзя указать сдачу"
			}
			c.add(v)
		}
	}
}
