package model_test

import (
	"errors"
	"fmt"

	"github.com/evoreceipt/evoreceipt/model"
)

// A request is read strictly, as the service reads it: every problem is
// listed with its JSON path and position.
func ExampleDecodeRequest() {
	in := []byte(`{
  "timestamp": "05.01.2026 10:15:00",
  "external_id": "order-123",
  "receipt": {
    "company": {"email": "shop@example.com", "sno": "osn", "inn": "5544332219",
                "payment_address": "https://shop.example"},
    "items": [{"name": "Товар", "price": "61.00", "quantity": 2, "measure": 0,
               "sum": 122.00, "payment_method": "full_payment", "payment_object": 1,
               "vat": {"type": "vat22"}, "nomenclature_code": "x"}],
    "payments": [{"type": 1, "sum": 122.00}]
  }
}`)
	_, err := model.DecodeRequest(in, model.DecodeOptions{})
	var de *model.DecodeError
	if errors.As(err, &de) {
		for _, fe := range de.Errors {
			fmt.Printf("%d:%d %s %s\n", fe.Line, fe.Column, fe.Code, fe.Path)
		}
	}
	// Output:
	// 7:42 wrong_type receipt.items[0].price
	// 9:42 unknown_field receipt.items[0].nomenclature_code
	// 4:14 missing_field receipt.total
}

// Money keeps the scale it is given and is written as a plain JSON number.
func ExampleMoney() {
	var item struct {
		Price model.Money    `json:"price"`
		Qty   model.Quantity `json:"quantity"`
		Sum   model.Money    `json:"sum"`
	}
	in := []byte(`{"price": 100.10, "quantity": 0.350, "sum": 35.035e0}`)
	if err := model.Decode(in, &item, model.DecodeOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	out, _ := model.Marshal(item)
	fmt.Println(string(out))
	fmt.Println(item.Price.Equal(model.MustMoney("100.1")), item.Price.Scale())
	// Output:
	// {"price":100.10,"quantity":0.350,"sum":35.035}
	// true 2
}

// A timestamp reads the ISO form that Evotor's API page shows, converts it to
// Moscow time and writes the documented form.
func ExampleParseTimestamp() {
	ts, err := model.ParseTimestamp("2025-05-31T12:56:26.042Z")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := model.Marshal(ts)
	fmt.Println(ts, ts.ISO())
	fmt.Println(string(out))
	// Output:
	// 31.05.2025 15:56:26 true
	// "31.05.2025 15:56:26"
}

// Lenient options read looser input: unknown keys, quoted numbers and nulls.
func ExampleDecodeOptions() {
	var p model.Payment
	in := []byte(`{"type": 1, "sum": "122.00", "comment": null}`)
	err := model.Decode(in, &p, model.Lenient)
	fmt.Println(p.Type, p.Sum, err)
	// Output:
	// 1 122.00 <nil>
}
