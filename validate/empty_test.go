package validate_test

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// TestEmptyValues checks that an optional key given "" or [] is reported
// where the official schema rejects the empty value, and only there.
func TestEmptyValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		edit func(d map[string]any)
		path string // "" when nothing must be reported
	}{
		{"client phone", func(d map[string]any) { obj(d, "receipt", "client")["phone"] = "" },
			"receipt.client.phone"},
		{"client inn", func(d map[string]any) { obj(d, "receipt", "client")["inn"] = "" },
			"receipt.client.inn"},
		{"cashier inn", func(d map[string]any) { obj(d, "receipt")["cashier_inn"] = "" },
			"receipt.cashier_inn"},
		{"country code", func(d map[string]any) {
			obj(d, "receipt", "items", 0)["country_code"] = ""
		}, "receipt.items[0].country_code"},
		{"empty kind beside a code", func(d map[string]any) {
			obj(d, "receipt", "items", 0)["mark_code"] = map[string]any{"gs1m": "",
				"ean13": "4601234567893"}
		}, "receipt.items[0].mark_code.gs1m"},
		{"vats", func(d map[string]any) { obj(d, "receipt")["vats"] = []any{} },
			"receipt.vats"},
		{"cashier passes the schema", func(d map[string]any) {
			obj(d, "receipt")["cashier"] = ""
		}, ""},
		{"client name passes the schema", func(d map[string]any) {
			obj(d, "receipt", "client")["name"] = ""
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, res := validate.JSON(editBase(tc.edit)(t), "")
			found := false
			for _, v := range res.Violations {
				if v.Code != validate.CodeEmptyValue {
					continue
				}
				if v.Path != tc.path {
					t.Errorf("empty_value at %q, want %q", v.Path, tc.path)
				}
				found = true
			}
			if found != (tc.path != "") {
				t.Errorf("reported %v, want %v:%s", found, tc.path != "", dump(res))
			}
		})
	}
}

// TestControlCharactersInGo checks a request built in Go, which never went
// through the JSON decoder: a control character is reported at its path.
func TestControlCharactersInGo(t *testing.T) {
	t.Parallel()
	doc, res := validate.JSON(baseJSON(t), "")
	if !res.Valid() {
		t.Fatalf("base is invalid:%s", dump(res))
	}
	doc.Request.Receipt.Items[0].Name = "Кофе\n250 г"
	res = validate.Request(doc.Operation, doc.Request)
	if !has(res, "control_character", "receipt.items[0].name") {
		t.Errorf("no control_character at receipt.items[0].name:%s", dump(res))
	}
	// Deeper: an element of a list of strings, under a pointer, past the
	// hundredth line (beyond the walk's table of index texts).
	r := base()
	for len(r.Receipt.Items) < 130 {
		r.Receipt.Items = append(r.Receipt.Items, baseItem())
	}
	r.Receipt.Items[129].SupplierInfo = &model.SupplierInfo{Phones: []string{"+79001234567",
		"+7900\x001234567"}}
	res = validate.Request(model.Sell, r)
	if !has(res, "control_character", "receipt.items[129].supplier_info.phones[1]") {
		t.Errorf("no control_character at items[129].supplier_info.phones[1]:%s", dump(res))
	}
	// A correction embeds the receipt's fields at its own root.
	c := baseCorrection()
	c.Correction.Company.PaymentAddress = "shop\x7f"
	res = validate.Request(model.SellCorrection, c)
	if !has(res, "control_character", "correction.company.payment_address") {
		t.Errorf("no control_character at correction.company.payment_address:%s", dump(res))
	}
}
