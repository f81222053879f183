package validate_test

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// TestTwentyFaults: one call reports every fault of a request, each once,
// at its own path.
func TestTwentyFaults(t *testing.T) {
	r := base()
	items := make([]model.Item, 9)
	for i := range items {
		items[i] = baseItem()
	}
	items[1] = markedItem(validGS1M)
	items[8].Price, items[8].Quantity = m("0.01"), q("100000")
	withItems(r, items...)
	b := r.Receipt
	b.Payments = append(b.Payments, model.Payment{Type: model.PaymentCash, Sum: m("0")})

	// In the order the result must come in: by path, indexes numerically.
	want := []struct{ path, code string }{
		{"external_id", "length"},
		{"receipt.cashier_inn", "inn_format"},
		{"receipt.client.email", "email"},
		{"receipt.client.phone", "phone"},
		{"receipt.company.inn", "inn_checksum"},
		{"receipt.company.sno", "sno_abolished"},
		{"receipt.items[0].name", "required"},
		{"receipt.items[0].vat.sum", "vat_item_sum"},
		{"receipt.items[1].mark_code", "mark_code_required"},
		{"receipt.items[2].excise", "excise_required"},
		{"receipt.items[3].country_code", "country_code"},
		{"receipt.items[4].supplier_info", "supplier_without_agent"},
		{"receipt.items[5].mark_quantity", "mark_quantity"},
		{"receipt.items[6].measure", "enum"},
		{"receipt.items[7].mark_code.ean13", "gtin_checksum"},
		{"receipt.items[8].quantity", "quantity_range"},
		{"receipt.payments[1].sum", "payment_positive"},
		{"receipt.timezone", "int_range"},
		{"receipt.vats[1].type", "vats_rates"},
		{"service.callback_url", "callback_url"},
	}
	r.ExternalID = runes('x', 129)
	r.Service = &model.Service{CallbackURL: "shop.example.test/cb"}
	b.Client = &model.Client{Email: "buyer.example.test", Phone: "8 (900) 123-45-67"}
	b.Company.INN = "7701493823"
	b.Company.SNO = model.SNOEnvd
	b.CashierINN = "7701493822"
	b.Timezone = intp(0)
	b.Items[0].Name = ""
	b.Items[0].Vat.Sum = mp("219.99")
	b.Items[1].MarkCode = nil
	b.Items[2].PaymentObject = model.ObjectExcise
	b.Items[3].CountryCode = "RU"
	b.Items[4].SupplierInfo = &model.SupplierInfo{INN: "7709364346", Name: "ООО"}
	b.Items[5].MarkQuantity = &model.MarkQuantity{Numerator: 1, Denominator: 2}
	b.Items[6].Measure = 5
	b.Items[7].MarkCode = &model.MarkCode{EAN13: "4006381333932"}
	b.Vats = append(b.Vats, model.Vat{Type: model.Vat10, Sum: m("0")})

	res := validate.Request(model.Sell, r)
	checkMessages(t, res)
	if len(want) != 20 {
		t.Fatalf("the test lists %d faults", len(want))
	}
	if len(res.Violations) != len(want) {
		t.Errorf("got %d violations, want %d:%s", len(res.Violations), len(want), dump(res))
	}
	for i, w := range want {
		if i >= len(res.Violations) {
			break
		}
		if v := res.Violations[i]; v.Path != w.path || v.Code != w.code {
			t.Errorf("violation %d is %s at %s, want %s at %s", i, v.Code, v.Path, w.code, w.path)
		}
	}
}

// TestEveryElement: the official schema checks only the first element of
// payments, vats, sectoral props and phones; validate checks all of them.
func TestEveryElement(t *testing.T) {
	r := base()
	r.Receipt.Payments = []model.Payment{{Type: 1, Sum: m("1000.00")}, {Type: 12, Sum: m("220.00")}}
	r.Receipt.Vats = []model.Vat{{Type: model.Vat22, Sum: m("220.00")},
		{Type: "vat21", Sum: m("0")}}
	r.Receipt.SectoralCheckProps = []model.SectoralProps{
		{FederalID: "001", Date: date("01.02.2024"), Number: "1", Value: "a"},
		{FederalID: "1", Date: date("01.02.2024"), Number: "1", Value: "a"}}
	agentItem(r, model.AgentPaying, &model.SupplierInfo{INN: "7709364346", Name: "ООО",
		Phones: []string{"+74951234567", "+7 495 123"}})
	res := validate.Request(model.Sell, r)
	for code, path := range map[string]string{
		"enum":       "receipt.payments[1].type",
		"federal_id": "receipt.sectoral_check_props[1].federal_id",
		"phone":      "receipt.items[0].supplier_info.phones[1]",
	} {
		if !has(res, code, path) {
			t.Errorf("missing %s at %s:%s", code, path, dump(res))
		}
	}
	if !has(res, "enum", "receipt.vats[1].type") {
		t.Errorf("vats[1].type not checked:%s", dump(res))
	}
}

// TestCorrectionPaths: the embedded receipt of a correction adds no segment,
// as in JSON.
func TestCorrectionPaths(t *testing.T) {
	r := baseCorrection()
	item0(r).Name = ""
	r.Correction.CorrectionInfo.BaseNumber = runes('1', 33)
	res := validate.Request(model.SellCorrection, r)
	for code, path := range map[string]string{
		"required": "correction.items[0].name",
		"length":   "correction.correction_info.base_number",
	} {
		if !has(res, code, path) {
			t.Errorf("missing %s at %s:%s", code, path, dump(res))
		}
	}
	if len(res.Violations) != 2 {
		t.Errorf("want 2 violations:%s", dump(res))
	}
}

// TestAbsentValues: a rule about a missing value names where it belongs and
// says "absent".
func TestAbsentValues(t *testing.T) {
	r := base()
	r.Receipt.Client = nil
	v, ok := find(validate.Request(model.Sell, r), "client_contact", "receipt.client")
	if !ok || v.Actual != "absent" {
		t.Errorf("client_contact: %+v", v)
	}
}

func TestNilRequest(t *testing.T) {
	res := validate.Request(model.Sell, nil)
	if res.Valid() || !has(res, "required", "") {
		t.Errorf("nil request:%s", dump(res))
	}
}
