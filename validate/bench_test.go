package validate_test

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// benchRequest is a valid sell receipt of n lines: every fifth a marked good
// with its own code, one an agent's line, the rest plain goods and services
// with VAT amounts, and a payment split in two.
func benchRequest(n int) *model.Request {
	r := base()
	items := make([]model.Item, n)
	for i := range items {
		switch {
		case i%5 == 0:
			items[i] = markedItem(markCode(serial(i)))
		default:
			items[i] = baseItem()
			items[i].Name = "Товар для теста производительности"
			items[i].Price, items[i].Quantity = m("199.90"), q("1.5")
			if i%2 == 0 {
				items[i].PaymentObject = model.ObjectService
			}
		}
	}
	if n > 1 {
		items[1].AgentInfo = &model.AgentInfo{Type: model.AgentCommission}
		items[1].SupplierInfo = &model.SupplierInfo{INN: "7709364346", Name: "ООО Комитент",
			Phones: []string{"+74951234567"}}
	}
	withItems(r, items...)
	half := r.Receipt.Total.Decimal().Div(model.MustMoney("2").Decimal()).Round(2)
	r.Receipt.Payments = []model.Payment{
		{Type: model.PaymentElectronic, Sum: model.NewMoney(half)},
		{Type: model.PaymentPrepaid, Sum: model.NewMoney(r.Receipt.Total.Decimal().Sub(half))}}
	return r
}

func benchValidate(b *testing.B, n int) {
	r := benchRequest(n)
	if res := validate.Request(model.Sell, r); len(res.Violations) > 0 {
		b.Fatalf("benchmark request is not valid:%s", dump(res))
	}
	b.ReportAllocs()
	for b.Loop() {
		validate.Request(model.Sell, r)
	}
}

func BenchmarkRequest10(b *testing.B)  { benchValidate(b, 10) }
func BenchmarkRequest100(b *testing.B) { benchValidate(b, 100) }

// BenchmarkJSON100 includes decoding, as the CLI does.
func BenchmarkJSON100(b *testing.B) {
	data := requestJSON(b, benchRequest(100))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		validate.JSON(data, model.Sell)
	}
}
