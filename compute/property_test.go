package compute_test

import (
	"math/rand/v2"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

// linesFrom reads receipt lines from data, six bytes a line: three for the
// price in kopecks (up to 167 772.15), three for the quantity in
// thousandths (0.001 to 16 777.216). At most 20 lines, each within the
// format's limit for a line, and together within its limit for a receipt.
func linesFrom(data []byte) []model.Item {
	var items []model.Item
	for len(data) >= 6 && len(items) < 20 {
		price := int64(data[0])<<16 | int64(data[1])<<8 | int64(data[2])
		qty := int64(data[3])<<16 | int64(data[4])<<8 | int64(data[5]) + 1
		data = data[6:]
		it := item("line", "0", "1", "0")
		it.Price = model.NewMoney(decimal.New(price, -2))
		it.Quantity = model.NewQuantity(decimal.New(qty, -3))
		it.Sum = compute.ItemSum(it.Price, it.Quantity)
		if it.Sum.Decimal().GreaterThan(maxLine) {
			continue // beyond the format: price × quantity ≤ 42 949 672.95
		}
		if compute.Total(append(items, it)).Decimal().GreaterThan(maxTotal) {
			break
		}
		items = append(items, it)
	}
	return items
}

var (
	maxLine  = decimal.RequireFromString("42949672.95")
	maxTotal = decimal.NewFromInt(100_000_000)
)

// checkDiscount checks the promises of Spread and Discount for a discount
// of pick mod (total + 1) kopecks over items: the shares add up to the
// discount and stay within their lines; after Discount every line's price ×
// quantity is its sum (exactly, for whole quantities), every input line
// keeps its quantity, and the sums add up to total − discount.
func checkDiscount(t *testing.T, items []model.Item, pick uint64, skipOdd bool) {
	t.Helper()
	total := compute.Total(items)
	kopecks := total.Decimal().Shift(2).BigInt().Uint64()
	discount := model.NewMoney(decimal.New(int64(pick%(kopecks+1)), -2))
	sums := make([]model.Money, len(items))
	for i := range items {
		sums[i] = items[i].Sum
	}
	var opts compute.SpreadOptions
	if skipOdd {
		opts.Exclude = func(i int) bool { return i%2 == 1 }
		capacity := decimal.Zero
		for i := 0; i < len(items); i += 2 {
			capacity = capacity.Add(items[i].Sum.Decimal())
		}
		if discount.Decimal().GreaterThan(capacity) {
			discount = model.NewMoney(capacity)
		}
	}
	shares, err := compute.Spread(discount, sums, opts)
	if err != nil {
		t.Fatalf("Spread(%s): %v", discount, err)
	}
	got := decimal.Zero
	for i, s := range shares {
		if s.Decimal().Sign() < 0 || s.Decimal().GreaterThan(sums[i].Decimal()) ||
			(skipOdd && i%2 == 1 && !s.IsZero()) {
			t.Fatalf("share %d = %s of a line of %s", i, s, sums[i])
		}
		got = got.Add(s.Decimal())
	}
	if !got.Equal(discount.Decimal()) {
		t.Fatalf("shares add up to %s, want %s", got, discount)
	}
	out, splits, err := compute.Discount(items, discount, opts)
	if err != nil {
		t.Fatalf("Discount(%s): %v", discount, err)
	}
	for i := range out {
		it := &out[i]
		if it.Sum.Decimal().Sign() < 0 || !compute.ItemSum(it.Price, it.Quantity).Equal(it.Sum) {
			t.Fatalf("line %d: %s", i, compute.LineOf(it))
		}
		if it.Quantity.Decimal().IsInteger() &&
			!it.Price.Decimal().Mul(it.Quantity.Decimal()).Equal(it.Sum.Decimal()) {
			t.Fatalf("line %d: %s is not exact", i, compute.LineOf(it))
		}
	}
	want := total.Decimal().Sub(discount.Decimal())
	if s := compute.Total(out); !s.Decimal().Equal(want) {
		t.Fatalf("Σ sums = %s, want %s", s, want)
	}
	for _, s := range splits {
		qty := decimal.Zero
		for _, l := range s.After {
			qty = qty.Add(l.Quantity.Decimal())
		}
		if len(s.After) > 2 || !qty.Equal(s.Before.Quantity.Decimal()) {
			t.Fatalf("%s changes the quantity", s)
		}
	}
}

func TestDiscountProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 3000; n++ {
		data := make([]byte, 6*(1+r.IntN(8)))
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		if r.IntN(3) == 0 { // many whole quantities
			for i := 3; i < len(data); i += 6 {
				data[i], data[i+1], data[i+2] = 0, byte(r.UintN(40)), 0
			}
		}
		checkDiscount(t, linesFrom(data), r.Uint64(), n%4 == 0)
	}
}

func FuzzDiscount(f *testing.F) {
	f.Add([]byte{0x01, 0x86, 0x9f, 0x00, 0x07, 0xcf, 0x01, 0xfb, 0x7b, 0x00, 0x03, 0xe7},
		uint64(29002), false)
	f.Add([]byte{0x00, 0x0d, 0x47, 0x00, 0x30, 0x38}, uint64(1961), true)
	f.Fuzz(func(t *testing.T, data []byte, pick uint64, skipOdd bool) {
		items := linesFrom(data)
		if len(items) == 0 {
			return
		}
		checkDiscount(t, items, pick, skipOdd)
	})
}
