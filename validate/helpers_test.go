package validate_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

func m(s string) model.Money     { return model.MustMoney(s) }
func mp(s string) *model.Money   { v := model.MustMoney(s); return &v }
func q(s string) model.Quantity  { return model.MustQuantity(s) }
func intp(n int) *int            { return &n }
func b64(s string) string        { return base64.StdEncoding.EncodeToString([]byte(s)) }
func runes(r rune, n int) string { return strings.Repeat(string(r), n) }

func ts(s string) model.Timestamp {
	t, err := model.ParseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return t
}

func date(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// markCode returns the Base64 of a GS1 DataMatrix code of a water bottle
// with the given 6-character serial: 01 GTIN 21 serial GS 93 tail.
func markCode(serial string) string {
	return b64("0104601234567893" + "21" + serial + "\x1d93" + "XyZw")
}

// validGS1M is the base64_once value of case bug23.
const validGS1M = "MDEwNDYwMTIzNDU2Nzg5MzIxNWFCY0RlHTkzWHladw=="

func baseItem() model.Item {
	return model.Item{Name: "Товар", Price: m("1220.00"), Quantity: q("1"), Measure: 0,
		Sum: m("1220.00"), PaymentMethod: model.FullPayment, PaymentObject: model.ObjectGoods,
		Vat: model.ItemVat{Type: model.Vat22, Sum: mp("220.00")}}
}

// markedItem is a piece of a marked good sold with its code.
func markedItem(gs1m string) model.Item {
	it := baseItem()
	it.Name = "Вода 0.33"
	it.PaymentObject = model.ObjectMarked
	it.MarkCode = &model.MarkCode{GS1M: gs1m}
	it.MarkProcessingMode = "0"
	return it
}

// base is a valid sell request of 04.12.2026.
func base() *model.Request {
	return &model.Request{
		Timestamp:  ts("04.12.2026 10:15:00"),
		ExternalID: "ord-1001-sell-1",
		Receipt: &model.Receipt{
			Client: &model.Client{Email: "buyer@example.test"},
			Company: model.Company{Email: "shop@example.test", SNO: model.SNOOsn,
				INN: "7701493822", PaymentAddress: "https://shop.example.test"},
			Items:    []model.Item{baseItem()},
			Payments: []model.Payment{{Type: model.PaymentElectronic, Sum: m("1220.00")}},
			Vats:     []model.Vat{{Type: model.Vat22, Sum: m("220.00")}},
			Total:    m("1220.00"),
		},
	}
}

// baseCorrection is a valid sell_correction of a settlement of 01.12.2026.
func baseCorrection() *model.Request {
	r := base()
	body := *r.Receipt
	body.Client = nil
	r.Receipt = nil
	r.Correction = &model.Correction{Receipt: body, CorrectionInfo: model.CorrectionInfo{
		Type: model.CorrectionSelf, BaseDate: date("01.12.2026")}}
	return r
}

// recompute makes the arithmetic of r right again after a change of
// prices, quantities or rates: sums, VATs, vats[], total, one payment.
func recompute(r *model.Request) {
	b := r.Body()
	var order []model.VatType
	per := map[model.VatType][]model.Item{}
	for i := range b.Items {
		it := &b.Items[i]
		it.Sum = compute.ItemSum(it.Price, it.Quantity)
		v := compute.VatAmount(it.Sum, it.Vat.Type)
		it.Vat.Sum = &v
		if _, ok := per[it.Vat.Type]; !ok {
			order = append(order, it.Vat.Type)
		}
		per[it.Vat.Type] = append(per[it.Vat.Type], *it)
	}
	b.Vats = nil
	for _, t := range order {
		b.Vats = append(b.Vats, model.Vat{Type: t,
			Sum: compute.VatAmount(compute.Total(per[t]), t)})
	}
	b.Total = compute.Total(b.Items)
	b.Payments = []model.Payment{{Type: model.PaymentElectronic, Sum: b.Total}}
}

// requestJSON renders r as the body a client would send.
func requestJSON(t testing.TB, r *model.Request) []byte {
	t.Helper()
	data, err := model.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// editJSON decodes data into generic JSON (numbers kept as text), lets f
// change it and encodes it again.
func editJSON(t testing.TB, data []byte, f func(doc map[string]any)) []byte {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	f(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// obj walks a generic JSON document by keys and indexes.
func obj(doc any, path ...any) map[string]any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			doc = doc.(map[string]any)[k]
		case int:
			doc = doc.([]any)[k]
		}
	}
	return doc.(map[string]any)
}

// has reports whether res has a violation of code at path.
func has(res validate.Result, code, path string) bool {
	for _, v := range res.Violations {
		if v.Code == code && v.Path == path {
			return true
		}
	}
	return false
}

func find(res validate.Result, code, path string) (validate.Violation, bool) {
	for _, v := range res.Violations {
		if v.Code == code && v.Path == path {
			return v, true
		}
	}
	return validate.Violation{}, false
}

func dump(res validate.Result) string {
	var b strings.Builder
	for _, v := range res.Violations {
		fmt.Fprintf(&b, "\n  %s", v)
	}
	if b.Len() == 0 {
		return " (none)"
	}
	return b.String()
}

// checkMessages fails when a message was built with the wrong arguments.
// englishWords matches two lower-case Latin words in a row, which values
// (codes, amounts, enumerations such as full_payment) never are.
var englishWords = regexp.MustCompile(`\b[a-z]{2,} [a-z]{2,}\b`)

func checkMessages(t *testing.T, res validate.Result) {
	t.Helper()
	for _, v := range res.Violations {
		// A description a rule gives must have a Russian form (words.go):
		// two English words in a row in the Russian listing mean one is
		// missing. The test inputs hold no such text of their own.
		for _, s := range []string{v.JSON(validate.Russian).Expected,
			v.JSON(validate.Russian).Actual} {
			if w := englishWords.FindString(s); w != "" {
				t.Errorf("%s at %s: %q is not translated (%q)", v.Code, v.Path, s, w)
			}
		}
		for _, msg := range []string{v.MessageRU, v.MessageEN} {
			if msg == "" || strings.Contains(msg, "%!") || strings.Contains(msg, "%s") ||
				strings.Contains(msg, "%d") {
				t.Errorf("bad message for %s at %s: %q", v.Code, v.Path, msg)
			}
		}
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
