package compute_test

import (
	"strconv"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

// benchRequest returns a sell request of n lines with prices and
// quantities but no sums, VAT, total or payments, and one line in five
// whose given sum needs a split.
func benchRequest(n int) *model.Request {
	items := make([]model.Item, n)
	rates := []model.VatType{model.Vat22, model.Vat10, model.Vat0, model.Vat22, model.VatNone}
	for i := range items {
		price := strconv.Itoa(100+i*7) + "." + strconv.Itoa(10+i%89)
		items[i] = item("Товар "+strconv.Itoa(i), price, strconv.Itoa(1+i%4), "")
		items[i].Vat.Type = rates[i%len(rates)]
		if i%5 == 4 {
			items[i].Quantity = q("3")
			items[i].Sum = m("100.00")
		}
	}
	return newRequest(items)
}

func benchmarkComplete(b *testing.B, n int) {
	req := benchRequest(n)
	opts := compute.Options{ItemVat: true, Vats: true, Payment: true, Split: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := compute.Complete(model.Sell, req, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComplete10(b *testing.B)  { benchmarkComplete(b, 10) }
func BenchmarkComplete100(b *testing.B) { benchmarkComplete(b, 100) }
