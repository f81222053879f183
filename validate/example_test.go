package validate_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

func ExampleJSON() {
	body := []byte(`{
	  "timestamp": "04.12.2026 10:15:00",
	  "external_id": "ord-1001-sell-1",
	  "receipt": {
	    "client": {"phone": "+7 (900) 123-45-67"},
	    "company": {"email": "shop@example.test", "sno": "osn", "inn": "7701493822",
	                "payment_address": "https://shop.example.test"},
	    "items": [{"name": "Футболка", "price": 990.00, "quantity": 2, "measure": 0,
	               "sum": 990.00, "payment_method": "full_payment", "payment_object": 1,
	               "vat": {"type": "vat22"}}],
	    "payments": [{"type": 1, "sum": 990.00}],
	    "total": 990.00
	  }
	}`)
	_, res := validate.JSON(body, model.Sell)
	fmt.Println("valid:", res.Valid())
	for _, v := range res.Violations {
		fmt.Println(v.Path, v.Code)
	}
	// Output:
	// valid: false
	// receipt.client.phone phone
	// receipt.items[0].sum sum_price_quantity
}

func ExampleViolation() {
	r := &model.Request{
		Timestamp:  model.NewTimestamp(mustTime("04.12.2026 10:15:00")),
		ExternalID: "ord-1",
		Receipt: &model.Receipt{
			Client: &model.Client{Email: "buyer@example.test"},
			Company: model.Company{Email: "shop@example.test", SNO: model.SNOOsn,
				INN: "7701493822", PaymentAddress: "https://shop.example.test"},
			Items: []model.Item{{Name: "Конфеты", Price: model.MustMoney("13.70"),
				Quantity: model.MustQuantity("0.375"), Measure: model.MeasureKilogram,
				Sum: model.MustMoney("5.1375"), PaymentMethod: model.FullPayment,
				PaymentObject: model.ObjectGoods, Vat: model.ItemVat{Type: model.Vat22}}},
			Payments: []model.Payment{{Type: model.PaymentCash, Sum: model.MustMoney("5.14")}},
			Total:    model.MustMoney("5.14"),
		},
	}
	res := validate.Request(model.Sell, r)
	v := res.Violations[0]
	fmt.Println("code:    ", v.Code)
	fmt.Println("path:    ", v.Path)
	fmt.Println("severity:", v.Severity)
	fmt.Println("expected:", v.Expected)
	fmt.Println("actual:  ", v.Actual)
	// One clause a line, so that the listing below stays narrow.
	clauses := strings.NewReplacer("; ", ";\n          ")
	fmt.Println("ru:      ", clauses.Replace(v.Message(validate.Russian)))
	fmt.Println("en:      ", clauses.Replace(v.Message(validate.English)))
	// Output:
	// code:     money_scale
	// path:     receipt.items[0].sum
	// severity: error
	// expected: 5.14
	// actual:   5.1375
	// ru:       в значении sum больше двух знаков после запятой;
	//           округлите до копеек
	// en:       sum has more than two decimals;
	//           round it to kopecks
}

func ExampleWithSeverity() {
	// An organisation that normalises phones later downgrades the rule, and
	// adds a rule of its own.
	v := validate.New(
		validate.WithSeverity("phone", validate.Warning),
		validate.WithCheck(validate.CheckFunc(cashierNamed)),
	)
	r := base()
	r.Receipt.Client.Phone = "8 900 123-45-67"
	res := v.Request(model.Sell, r)
	fmt.Println("valid:", res.Valid())
	for _, vi := range res.Violations {
		fmt.Printf("%s %s %s %q\n", vi.Path, vi.Severity, vi.Code, vi.Expected)
	}
	// Output:
	// valid: false
	// receipt.cashier error org_cashier ""
	// receipt.client.phone warning phone "+79001234567"
}

// cashierNamed is an organisation's rule: every receipt names its cashier.
func cashierNamed(op model.Operation, r *model.Request) []validate.Violation {
	if r.Receipt != nil && r.Receipt.Cashier == "" {
		return []validate.Violation{{Code: "org_cashier", Path: "receipt.cashier",
			Severity: validate.Error, MessageRU: "укажите кассира", MessageEN: "name the cashier"}}
	}
	return nil
}

func mustTime(s string) time.Time { return ts(s).Time() }
