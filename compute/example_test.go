package compute_test

import (
	"errors"
	"fmt"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

func ExampleItemSum() {
	price, qty := model.MustMoney("33.99"), model.MustQuantity("12.345")
	fmt.Println(compute.ItemSum(price, qty)) // 419.60655, rounded once
	fmt.Println(compute.ItemSum(model.MustMoney("1.15"), model.MustQuantity("3")))
	// Output:
	// 419.61
	// 3.45
}

func ExampleVatAmount() {
	sum := model.MustMoney("3000.00")
	fmt.Println(compute.VatAmount(sum, model.Vat22))
	fmt.Println(compute.VatAmount(sum, model.Vat122))
	fmt.Println(compute.VatAmount(model.MustMoney("0.03"), model.Vat20)) // 0.005: a half
	fmt.Println(compute.VatAmount(sum, model.Vat0))
	// Output:
	// 540.98
	// 540.98
	// 0.01
	// 0.00
}

func ExampleSpread() {
	// A coupon of 290.02 over three lines; the delivery line is left out.
	sums := []model.Money{model.MustMoney("998.00"), model.MustMoney("1299.00"),
		model.MustMoney("299.70"), model.MustMoney("350.00")}
	shares, err := compute.Spread(model.MustMoney("290.02"), sums, compute.SpreadOptions{
		Exclude: func(i int) bool { return i == 3 },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(shares)
	_, err = compute.Spread(model.MustMoney("3000.00"), sums, compute.SpreadOptions{})
	var ce *compute.Error
	fmt.Println(errors.Is(err, compute.ErrExceeds), errors.As(err, &ce), ce.Path)
	// Output:
	// [111.47 145.08 33.47 0.00]
	// true true amount

}

func ExampleSplit() {
	items := []model.Item{
		{Name: "Салфетки", Price: model.MustMoney("99.90"), Quantity: model.MustQuantity("3"),
			Sum: model.MustMoney("266.23"), Vat: model.ItemVat{Type: model.Vat22}},
		{Name: "Сыр, кг", Price: model.MustMoney("33.99"), Quantity: model.MustQuantity("12.345"),
			Sum: model.MustMoney("400.00"), Vat: model.ItemVat{Type: model.Vat22}},
	}
	out, splits, err := compute.Split(items)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range splits {
		fmt.Println(s)
	}
	for i := range out {
		fmt.Println(out[i].Name, compute.LineOf(&out[i]))
	}
	// Output:
	// items[0]: 3 × 99.90 = 266.23 → 2 × 88.74 = 177.48 + 1 × 88.75 = 88.75
	// items[1]: 12.345 × 33.99 = 400.00 → 10.345 × 32.40 = 335.18 + 2 × 32.41 = 64.82
	// Салфетки 2 × 88.74 = 177.48
	// Салфетки 1 × 88.75 = 88.75
	// Сыр, кг 10.345 × 32.40 = 335.18
	// Сыр, кг 2 × 32.41 = 64.82
}

func ExampleComplete() {
	req, err := model.DecodeRequest([]byte(`{
		"timestamp": "04.12.2026 10:15:00", "external_id": "ord-1",
		"receipt": {
			"client": {"email": "buyer@example.test"},
			"company": {"email": "shop@example.test", "sno": "osn", "inn": "7701493822",
				"payment_address": "https://shop.example.test"},
			"items": [{"name": "Карандаш", "price": 250.00, "quantity": 3, "measure": 0,
				"sum": 250.00, "payment_method": "full_payment", "payment_object": 1,
				"vat": {"type": "vat22"}}],
			"payments": [], "total": 0}}`), model.DecodeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, changes, err := compute.Complete(model.Sell, req, compute.Options{
		Overwrite: true, ItemVat: true, Payment: true, PaymentType: model.PaymentElectronic,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		fmt.Println(c)
	}
	fmt.Println(req.Receipt.Items[0].Sum, "stays in the input;",
		out.Receipt.Items[0].Sum, "in the result")
	// Output:
	// receipt.items[0].sum: 250.00 → 750.00 (overwritten: price × quantity, rounded to kopecks)
	// receipt.items[0].vat.sum: (absent) → 135.25 (filled: 750.00 × 22/122, rounded to kopecks)
	// receipt.total: 0 → 750.00 (overwritten: Σ items[].sum)
	// receipt.payments[0]: (absent) → {"type":1,"sum":750.00} (filled: one payment for the total)
	// 250.00 stays in the input; 750.00 in the result
}
