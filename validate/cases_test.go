package validate_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// The cases in testdata/cases are copied from shared/cases (public bug
// reports distilled to input and expected outcome). Each test below takes
// the case's own values.

type caseFile struct {
	Input  map[string]json.RawMessage `json:"input"`
	Expect map[string]json.RawMessage `json:"expect"`
}

func loadCase(t *testing.T, name string) caseFile {
	t.Helper()
	var c caseFile
	if err := json.Unmarshal(readFile(t, "testdata/cases/"+name), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// caseRequest returns the case's request body (input without its
// "operation" key) and the operation.
func caseRequest(t *testing.T, c caseFile) ([]byte, model.Operation) {
	t.Helper()
	in := map[string]json.RawMessage{}
	var op string
	for k, v := range c.Input {
		if k == "operation" {
			if err := json.Unmarshal(v, &op); err != nil {
				t.Fatal(err)
			}
			continue
		}
		in[k] = v
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return data, model.Operation(op)
}

// strictErrors reads expect.errors or expect.strict_errors: the paths at
// which the case wants a rejection.
func strictErrors(t *testing.T, c caseFile) []string {
	t.Helper()
	raw := c.Expect["errors"]
	if raw == nil {
		raw = c.Expect["strict_errors"]
	}
	var errs []struct{ Path string }
	if err := json.Unmarshal(raw, &errs); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range errs {
		paths = append(paths, e.Path)
	}
	return paths
}

func mustHave(t *testing.T, res validate.Result, code, path string) validate.Violation {
	t.Helper()
	v, ok := find(res, code, path)
	if !ok {
		t.Fatalf("want %s at %s; got:%s", code, path, dump(res))
	}
	if res.Valid() {
		t.Fatalf("result is valid despite %s", code)
	}
	return v
}

func mustBeValid(t *testing.T, res validate.Result) {
	t.Helper()
	if len(res.Violations) > 0 {
		t.Fatalf("want no violations; got:%s", dump(res))
	}
}

func TestCaseBug11PhoneWithSpaces(t *testing.T) {
	c := loadCase(t, "bug11-phone-with-spaces-and-brackets.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	path := strictErrors(t, c)[0]
	v := mustHave(t, res, "phone", path)
	var norm map[string]string
	if err := json.Unmarshal(c.Expect["normalized"], &norm); err != nil {
		t.Fatal(err)
	}
	// Normalising is not validate's job; it names the fixed value.
	if v.Expected != norm[path] {
		t.Errorf("expected %q, want the normalised %q", v.Expected, norm[path])
	}
	if len(res.Violations) != 1 {
		t.Errorf("want only the phone violation; got:%s", dump(res))
	}
	var also map[string]string
	if err := json.Unmarshal(c.Expect["also"], &also); err != nil {
		t.Fatal(err)
	}
	for in, want := range also {
		r := base()
		r.Receipt.Client = &model.Client{Phone: in}
		v := mustHave(t, validate.Request(op, r), "phone", path)
		if fixed, _, _ := strings.Cut(want, " "); strings.HasPrefix(fixed, "+") {
			if v.Expected != fixed {
				t.Errorf("%q: expected %q, want %q", in, v.Expected, fixed)
			}
			r.Receipt.Client.Phone = fixed
			mustBeValid(t, validate.Request(op, r))
		}
	}
}

func TestCaseBug13INN(t *testing.T) {
	c := loadCase(t, "bug13-inn10-checksum-and-length.json")
	var checks struct {
		Checks []struct{ Path, Value string }
	}
	raw, _ := json.Marshal(c.Input)
	if err := json.Unmarshal(raw, &checks); err != nil {
		t.Fatal(err)
	}
	var results map[string]string
	if err := json.Unmarshal(c.Expect["results"], &results); err != nil {
		t.Fatal(err)
	}
	codeFor := map[string]string{"control digit": "inn_checksum", "length": "inn_format",
		"all zeros": "inn_zero"}
	for _, ch := range checks.Checks {
		r := base()
		r.Receipt.Company.INN = ch.Value
		res := validate.Request(model.Sell, r)
		want := results[ch.Value]
		if strings.HasPrefix(want, "accept") {
			mustBeValid(t, res)
			continue
		}
		found := false
		for reason, code := range codeFor {
			if strings.Contains(want, reason) {
				mustHave(t, res, code, ch.Path)
				found = true
			}
		}
		if !found {
			t.Fatalf("no code known for %q", want)
		}
	}
}

func TestCaseBug14SupplierINNPadded(t *testing.T) {
	c := loadCase(t, "bug14-supplier-inn-no-padding.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	path := strictErrors(t, c)[0]
	mustHave(t, res, "inn_format", path)
	if len(res.Violations) != 1 {
		t.Errorf("want only the INN violation; got:%s", dump(res))
	}
	// The trimmed INN passes; padding to 12 digits (the driver's TLV habit)
	// does not.
	var norm map[string]string
	if err := json.Unmarshal(c.Expect["normalized"], &norm); err != nil {
		t.Fatal(err)
	}
	fixed := editJSON(t, data, func(d map[string]any) {
		obj(d, "receipt", "items", 0, "supplier_info")["inn"] = norm[path]
	})
	_, res = validate.JSON(fixed, op)
	mustBeValid(t, res)
	for padded, code := range map[string]string{norm[path] + "00": "inn_checksum",
		"00" + norm[path]: "inn_format", norm[path] + "  ": "inn_format"} {
		bad := editJSON(t, data, func(d map[string]any) {
			obj(d, "receipt", "items", 0, "supplier_info")["inn"] = padded
		})
		_, res = validate.JSON(bad, op)
		mustHave(t, res, code, path)
	}
}

func TestCaseBug15SupplierWithoutAgent(t *testing.T) {
	c := loadCase(t, "bug15-supplier-without-agent.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	mustHave(t, res, "supplier_without_agent", strictErrors(t, c)[0])
	if len(res.Violations) != 1 {
		t.Errorf("want one violation; got:%s", dump(res))
	}
}

func TestCaseBug16AgentWithoutSupplier(t *testing.T) {
	c := loadCase(t, "bug16-agent-without-supplier-data.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	v := mustHave(t, res, "agent_without_supplier", strictErrors(t, c)[0])
	if !strings.Contains(v.MessageEN, "INN") || !strings.Contains(v.MessageEN, "name") {
		t.Errorf("message should ask for INN and name: %s", v.MessageEN)
	}
	fixed := editJSON(t, data, func(d map[string]any) {
		var variant map[string]any
		if err := json.Unmarshal(c.Expect["accept_variant"], &variant); err != nil {
			t.Fatal(err)
		}
		obj(d, "receipt", "items", 0)["supplier_info"] = variant["supplier_info"]
	})
	_, res = validate.JSON(fixed, op)
	mustBeValid(t, res)
}

func TestCaseBug20SNO(t *testing.T) {
	c := loadCase(t, "bug20-sno-not-in-enum.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	var errs []struct {
		Path    string
		Allowed []string
	}
	if err := json.Unmarshal(c.Expect["errors"], &errs); err != nil {
		t.Fatal(err)
	}
	v := mustHave(t, res, "enum", errs[0].Path)
	if v.Expected != strings.Join(errs[0].Allowed, ", ") {
		t.Errorf("expected %q, want the allowed list %v", v.Expected, errs[0].Allowed)
	}
	// The notes: envd is obsolete, reject it too.
	setSNO := func(sno string) []byte {
		return editJSON(t, data, func(d map[string]any) {
			obj(d, "receipt", "company")["sno"] = sno
		})
	}
	envd := setSNO("envd")
	_, res = validate.JSON(envd, op)
	mustHave(t, res, "sno_abolished", errs[0].Path)
	for _, sno := range errs[0].Allowed {
		_, res = validate.JSON(setSNO(sno), op)
		mustBeValid(t, res)
	}
}

func TestCaseBug22GSAsHTMLEntity(t *testing.T) {
	c := loadCase(t, "bug22-gs-as-html-entity.json")
	var in struct {
		Items []struct {
			MarkCode struct {
				Raw string `json:"gs1m_raw"`
			} `json:"mark_code"`
		}
	}
	raw, _ := json.Marshal(c.Input)
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	var norm map[string]string
	if err := json.Unmarshal(c.Expect["normalized"], &norm); err != nil {
		t.Fatal(err)
	}
	path := strictErrors(t, c)[0]
	code := in.Items[0].MarkCode.Raw
	check := func(gs1m string) validate.Result {
		r := base()
		withItems(r, markedItem(gs1m))
		return validate.Request(model.Sell, r)
	}
	// Sent as is: neither Base64 nor a GS; both are named.
	res := check(code)
	mustHave(t, res, "gs1m_not_base64", path)
	v := mustHave(t, res, "gs1m_gs_escaped", path)
	if v.Actual != "&#x1D;" {
		t.Errorf("actual %q, want the entity", v.Actual)
	}
	// Encoded, with the entity still inside.
	res = check(b64(code))
	mustHave(t, res, "gs1m_gs_escaped", path)
	if len(res.Violations) != 1 {
		t.Errorf("want one violation; got:%s", dump(res))
	}
	// The other spellings of the same mistake.
	for _, esc := range []string{"&#29;", `\u001d`, `\x1d`, "&#x1d;"} {
		mustHave(t, check(b64(strings.Replace(code, "&#x1D;", esc, 1))), "gs1m_gs_escaped", path)
	}
	// The normalised code, encoded, is accepted.
	mustBeValid(t, check(b64(norm["gs1m_raw"])))
}

func TestCaseBug23GS1MBase64(t *testing.T) {
	c := loadCase(t, "bug23-gs1m-base64.json")
	var in struct{ Candidates map[string]string }
	raw, _ := json.Marshal(c.Input)
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	const path = "receipt.items[0].mark_code.gs1m"
	check := func(gs1m string) validate.Result {
		r := base()
		withItems(r, markedItem(gs1m))
		return validate.Request(model.Sell, r)
	}
	once := in.Candidates["base64_once"]
	mustBeValid(t, check(once))
	v := mustHave(t, check(in.Candidates["raw_string"]), "gs1m_not_base64", path)
	if v.Expected != once {
		t.Errorf("raw: expected %q, want the base64_once value %q", v.Expected, once)
	}
	v = mustHave(t, check(in.Candidates["base64_twice"]), "gs1m_double_base64", path)
	if v.Expected != once {
		t.Errorf("twice: expected %q, want %q", v.Expected, once)
	}
}

func TestCaseBug24MarkedPieceQuantity(t *testing.T) {
	c := loadCase(t, "bug24-marked-piece-qty-must-be-1.json")
	var computed struct {
		ReceiptItems []json.RawMessage `json:"receipt_items"`
	}
	if err := json.Unmarshal(c.Expect["computed"], &computed); err != nil {
		t.Fatal(err)
	}
	// The case's computed lines, with real codes for its placeholders and
	// the keys the case leaves to the mapping.
	var items []model.Item
	for i, raw := range computed.ReceiptItems {
		s := strings.Replace(string(raw), `"<b64(code-`+string(rune('1'+i))+`)>"`,
			`"`+markCode("00000"+string(rune('1'+i)))+`"`, 1)
		var it model.Item
		if err := json.Unmarshal([]byte(s), &it); err != nil {
			t.Fatal(err)
		}
		it.PaymentMethod, it.PaymentObject, it.MarkProcessingMode = model.FullPayment, 33, "0"
		items = append(items, it)
	}
	r := base()
	r.Receipt.Items = items
	r.Receipt.Vats = []model.Vat{{Type: model.Vat22, Sum: m("1514.76")}}
	r.Receipt.Total = m("8400.00")
	r.Receipt.Payments = []model.Payment{{Type: 1, Sum: m("8400.00")}}
	mustBeValid(t, validate.Request(model.Sell, r))
	// Rejected: quantity 2 with one code.
	one := items[0]
	one.Quantity, one.Sum = q("2"), m("8400.00")
	one.Vat.Sum = mp("1514.75")
	r.Receipt.Items = []model.Item{one}
	r.Receipt.Vats = nil
	res := validate.Request(model.Sell, r)
	mustHave(t, res, "marked_piece_quantity", "receipt.items[0].quantity")
	if len(res.Violations) != 1 {
		t.Errorf("want one violation; got:%s", dump(res))
	}
}

func TestCaseBug26MarkingOnlySellAndRefund(t *testing.T) {
	c := loadCase(t, "bug26-marking-only-sell-and-refund.json")
	data, op := caseRequest(t, c)
	// The case's "<b64>" placeholder becomes a real code.
	data = editJSON(t, data, func(d map[string]any) {
		obj(d, "receipt", "items", 0, "mark_code")["gs1m"] = validGS1M
	})
	_, res := validate.JSON(data, op)
	mustHave(t, res, "mark_code_operation", strictErrors(t, c)[0])
	// The same line as a proper marked good is fine in sell and sell_refund
	// and their corrections, and rejected in every buy operation.
	fixed := editJSON(t, data, func(d map[string]any) {
		it := obj(d, "receipt", "items", 0)
		it["payment_object"], it["mark_processing_mode"] = 33, "0"
	})
	for _, o := range model.Operations {
		req := fixed
		if o.IsCorrection() {
			req = []byte(strings.Replace(string(fixed), `"receipt":{`,
				`"correction":{"correction_info":{"type":"self","base_date":"01.12.2026"},`, 1))
		}
		_, res = validate.JSON(req, o)
		b := o.Base()
		if b == model.Sell || b == model.SellRefund {
			mustBeValid(t, res)
		} else {
			root := "receipt"
			if o.IsCorrection() {
				root = "correction"
			}
			mustHave(t, res, "mark_code_operation", root+".items[0].mark_code")
		}
	}
}

func TestCaseBug27RefundOfMarkedItem(t *testing.T) {
	c := loadCase(t, "bug27-refund-of-marked-item-keeps-code.json")
	var in struct {
		RefundRequest struct {
			Operation model.Operation
			Items     []struct{ Name string }
		} `json:"refund_request"`
	}
	raw, _ := json.Marshal(c.Input)
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	// Validate cannot see the original sale: it cannot tell which code the
	// refund should carry, nor compare payment types. What it can check is
	// that a refund line that says "marked good with code" carries a code.
	r := base()
	it := markedItem(validGS1M)
	it.Name = in.RefundRequest.Items[0].Name
	it.Price = m("7990.00")
	withItems(r, it)
	r.Receipt.Payments[0].Type = model.PaymentCash
	item0(r).MarkCode = nil
	res := validate.Request(in.RefundRequest.Operation, r)
	mustHave(t, res, "mark_code_required", strictErrors(t, c)[0])
	item0(r).MarkCode = &model.MarkCode{GS1M: validGS1M}
	// A cash refund of an electronic sale is not flagged (not checkable).
	mustBeValid(t, validate.Request(in.RefundRequest.Operation, r))
}

func TestCaseBug36ClientContact(t *testing.T) {
	c := loadCase(t, "bug36-client-contact-required.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	mustHave(t, res, "client_contact", strictErrors(t, c)[0])
	// A correction needs no client.
	r := baseCorrection()
	r.Correction.Client = &model.Client{}
	mustBeValid(t, validate.Request(model.SellCorrection, r))
}

func TestCaseBug39CorrectionFFD12(t *testing.T) {
	c := loadCase(t, "bug39-correction-ffd12.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	var errs []struct{ Path, Rule string }
	if err := json.Unmarshal(c.Expect["errors"], &errs); err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{"required_ffd12": model.CodeMissingField,
		"required": model.CodeMissingField, "date_format_dd.mm.yyyy": "date_format"}
	for _, e := range errs {
		mustHave(t, res, codes[e.Rule], e.Path)
	}
	v, _ := find(res, "date_format", "correction.correction_info.base_date")
	if v.Expected != "30.11.2026 (dd.mm.yyyy)" {
		t.Errorf("expected %q", v.Expected)
	}
	// The accepted variant, with the envelope the case leaves out.
	var corr map[string]any
	if err := json.Unmarshal(c.Expect["accept_variant"], &corr); err != nil {
		t.Fatal(err)
	}
	var orig map[string]any
	if err := json.Unmarshal(c.Input["correction"], &orig); err != nil {
		t.Fatal(err)
	}
	corr["company"] = orig["company"]
	body, _ := json.Marshal(map[string]any{"timestamp": "04.12.2026 10:15:00",
		"external_id": "ord-1001-corr-1", "correction": corr})
	_, res = validate.JSON(body, op)
	mustBeValid(t, res)
	// Its extra rules: base_date not in the future, base_number for an
	// instruction.
	future := editJSON(t, body, func(d map[string]any) {
		obj(d, "correction", "correction_info")["base_date"] = "05.12.2026"
	})
	_, res = validate.JSON(future, op)
	mustHave(t, res, "base_date_future", "correction.correction_info.base_date")
	instr := editJSON(t, body, func(d map[string]any) {
		obj(d, "correction", "correction_info")["type"] = "instruction"
	})
	_, res = validate.JSON(instr, op)
	mustHave(t, res, "base_number_required", "correction.correction_info.base_number")
}

// Three more cases of the shared set that the rules cover.

func TestCaseBug06UnroundedSum(t *testing.T) {
	c := loadCase(t, "bug06-unrounded-fractional-sum.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	v := mustHave(t, res, "money_scale", "receipt.items[0].sum")
	if v.Expected != "5.14" {
		t.Errorf("expected %q, want 5.14", v.Expected)
	}
	mustHave(t, res, "money_scale", "receipt.total")
}

func TestCaseBug35ZeroTotal(t *testing.T) {
	c := loadCase(t, "bug35-zero-total-receipt.json")
	data, op := caseRequest(t, c)
	_, res := validate.JSON(data, op)
	for _, p := range strictErrors(t, c) {
		code := "total_positive"
		if strings.Contains(p, "payments") {
			code = "payment_positive"
		}
		mustHave(t, res, code, p)
	}
}

func TestCaseBug30Vat22From2026(t *testing.T) {
	loadCase(t, "bug30-vat22-from-2026.json")
	check := func(op model.Operation, v model.VatType) validate.Result {
		r := base()
		item0(r).Vat.Type = v
		recompute(r)
		return validate.Request(op, r)
	}
	mustHave(t, check(model.Sell, model.Vat20), "vat_rate_date", "receipt.items[0].vat.type")
	mustBeValid(t, check(model.SellRefund, model.Vat20))
	mustBeValid(t, check(model.Sell, model.Vat22))
	// A correction of a 2025 settlement keeps 20%; of a 2026 one, not.
	r := baseCorrection()
	r.Correction.CorrectionInfo.BaseDate = date("15.12.2025")
	item0(r).Vat.Type = model.Vat20
	recompute(r)
	mustBeValid(t, validate.Request(model.SellCorrection, r))
	r.Correction.CorrectionInfo.BaseDate = date("15.01.2026")
	mustHave(t, validate.Request(model.SellCorrection, r), "vat_rate_date",
		"correction.items[0].vat.type")
	// vat22 before 2026 is wrong everywhere.
	r = base()
	r.Timestamp = ts("30.12.2025 12:00:00")
	mustHave(t, validate.Request(model.SellRefund, r), "vat_rate_date", "receipt.items[0].vat.type")
}
