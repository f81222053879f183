package compute_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func TestCompleteFills(t *testing.T) {
	a := item("Чай", "120.00", "2", "")
	b := item("Сахар", "", "3", "100.00") // no price: 33.33 × 3 ≠ 100.00
	c := item("Мёд", "", "0.5", "250.00") // no price: 500.00 × 0.5 fits
	d := item("Доставка", "300.00", "1", "300.00")
	d.Vat.Type = model.VatNone
	req := newRequest([]model.Item{a, b, c, d})
	before := jsonString(req)
	out, changes := complete(t, model.Sell, req, compute.Options{ItemVat: true, Vats: true,
		Payment: true, PaymentType: model.PaymentElectronic})
	want := `receipt.items[0].sum: (absent) → 240.00 (filled: price × quantity)
receipt.items[2].price: (absent) → 500.00 (filled: sum ÷ quantity)
receipt.items[0].vat.sum: (absent) → 43.28 (filled: 240.00 × 22/122, rounded to kopecks)
receipt.items[1].vat.sum: (absent) → 18.03 (filled: 100.00 × 22/122, rounded to kopecks)
receipt.items[2].vat.sum: (absent) → 45.08 (filled: 250.00 × 22/122, rounded to kopecks)
receipt.total: (absent) → 890.00 (filled: Σ items[].sum)
receipt.vats[0]: (absent) → {"type":"vat22","sum":106.39} (filled: VAT of Σ sums at vat22)
receipt.vats[1]: (absent) → {"type":"none","sum":0.00} (filled: none carries no VAT)
receipt.payments[0]: (absent) → {"type":1,"sum":890.00} (filled: one payment for the total)`
	if got := changeList(changes); got != want {
		t.Errorf("changes:\n%s\nwant\n%s", got, want)
	}
	if jsonString(req) != before {
		t.Error("Complete modified its argument")
	}
	// Item 1 still has no price: filling it needs Split.
	if out.Receipt.Items[1].Price.Given() {
		t.Errorf("items[1].price = %s, want it left absent", out.Receipt.Items[1].Price)
	}
	out, changes = complete(t, model.Sell, out, compute.Options{Split: true})
	if s := lines(out.Receipt.Items[1:3]); s != "2 × 33.33 = 66.66; 1 × 33.34 = 33.34" ||
		len(changes) != 1 || changes[0].Kind != compute.KindSplit {
		t.Errorf("Split: %s\n%s", s, changeList(changes))
	}
}

func TestCompleteKeepsWhatWasGiven(t *testing.T) {
	it := item("x", "10.00", "3", "25.00")
	it.Vat.Sum = ptr(m("1.00"))
	req := newRequest([]model.Item{it}, pay(0, "99.00"))
	req.Receipt.Total = m("50.00")
	req.Receipt.Vats = []model.Vat{{Type: model.Vat10, Sum: m("7")}}
	out, changes := complete(t, model.Sell, req, compute.Options{ItemVat: true, Vats: true,
		Payment: true})
	if len(changes) != 0 || jsonString(out) != jsonString(req) {
		t.Errorf("changed what was given:\n%s", changeList(changes))
	}
}

// An explicit 0 is a value the caller gave: Complete fills only what was
// left out, and replaces a given 0 only with Overwrite, saying so.
func TestCompleteExplicitZero(t *testing.T) {
	tests := []struct {
		name      string
		price     string
		sum       string
		total     string
		overwrite bool
		want      string
	}{
		{name: "sum and total left out", price: "120.00",
			want: "receipt.items[0].sum: (absent) → 240.00 (filled: price × quantity)\n" +
				"receipt.total: (absent) → 240.00 (filled: Σ items[].sum)"},
		{name: "sum 0 and total 0 kept", price: "120.00", sum: "0", total: "0.00"},
		{name: "sum 0 kept, total filled", price: "120.00", sum: "0",
			want: "receipt.total: (absent) → 0 (filled: Σ items[].sum)"},
		{name: "sum 0 and total 0 overwritten", price: "120.00", sum: "0", total: "0",
			overwrite: true,
			want: "receipt.items[0].sum: 0 → 240.00 (overwritten: price × quantity, " +
				"rounded to kopecks)\nreceipt.total: 0 → 240.00 (overwritten: Σ items[].sum)"},
		{name: "price left out", sum: "240.00", total: "240.00",
			want: "receipt.items[0].price: (absent) → 120.00 (filled: sum ÷ quantity)"},
		{name: "price 0 kept", price: "0", sum: "240.00", total: "240.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest([]model.Item{item("Чай", tc.price, "2", tc.sum)})
			req.Receipt.Total = given(tc.total)
			out, changes := complete(t, model.Sell, req, compute.Options{Overwrite: tc.overwrite})
			if got := changeList(changes); got != tc.want {
				t.Errorf("changes:\n%s\nwant\n%s", got, tc.want)
			}
			if tc.want == "" && jsonString(out) != jsonString(req) {
				t.Errorf("no change reported, but the request changed:\n%s", jsonString(out))
			}
		})
	}
}

func TestCompleteOverwrite(t *testing.T) {
	items := []model.Item{itemAt(model.Vat20, "0.03"), itemAt(model.Vat20, "0.03"),
		itemAt(model.Vat20, "0.03"), itemAt(model.Vat10, "11.00")}
	items[3].Vat.Sum = ptr(m("2.00"))
	req := newRequest(items, pay(1, "11.09"))
	req.Receipt.Total = m("11.09")
	req.Receipt.Vats = []model.Vat{
		{Type: model.Vat20, Sum: m("0.03")},   // Σ of item VATs: accepted
		{Type: model.Vat22, Sum: m("1.00")},   // no item at vat22: removed
		{Type: model.Vat20, Sum: m("0.02")},   // listed twice: removed
		{Type: model.Vat0, Sum: m("0.00")},    // no item at vat0: removed
		{Type: model.VatNone, Sum: m("0.00")}, // ditto
	}
	_, changes := complete(t, model.Sell, req, compute.Options{Overwrite: true})
	want := `receipt.items[3].vat.sum: 2.00 → 1.00 (overwritten: 11.00 × 10/110, rounded to kopecks)
receipt.vats[1]: {"type":"vat22","sum":1.00} → (removed) (removed: no item is at vat22)
receipt.vats[2]: {"type":"vat20","sum":0.02} → (removed) (removed: vat20 is listed twice ` +
		`(the path is the input's))
receipt.vats[3]: {"type":"vat0","sum":0.00} → (removed) (removed: no item is at vat0 ` +
		`(the path is the input's))
receipt.vats[4]: {"type":"none","sum":0.00} → (removed) (removed: no item is at none ` +
		`(the path is the input's))
receipt.vats[1]: (absent) → {"type":"vat10","sum":1.00} (filled: VAT of Σ sums at vat10)`
	if got := changeList(changes); got != want {
		t.Errorf("changes:\n%s\nwant\n%s", got, want)
	}
	req.Receipt.Vats[0].Sum = m("0.04")
	_, changes = complete(t, model.Sell, req, compute.Options{Overwrite: true})
	if changes[1].String() != "receipt.vats[0].sum: 0.04 → 0.02 (overwritten: "+
		"VAT of Σ sums at vat20)" {
		t.Errorf("changes:\n%s", changeList(changes))
	}
	// An entry that moves up after a removal is named by its place in the
	// result, and says where it was.
	req.Receipt.Vats = []model.Vat{{Type: model.Vat22, Sum: m("1.00")},
		{Type: model.Vat20, Sum: m("0.04")}, {Type: model.Vat10, Sum: m("1.00")}}
	_, changes = complete(t, model.Sell, req, compute.Options{Overwrite: true})
	want = `receipt.items[3].vat.sum: 2.00 → 1.00 (overwritten: 11.00 × 10/110, rounded to kopecks)
receipt.vats[0]: {"type":"vat22","sum":1.00} → (removed) (removed: no item is at vat22)
receipt.vats[0].sum: 0.04 → 0.02 (overwritten: VAT of Σ sums at vat20 (vats[1] of the input))`
	if got := changeList(changes); got != want {
		t.Errorf("changes:\n%s\nwant\n%s", got, want)
	}
}

func TestCompleteRates(t *testing.T) {
	items := []model.Item{itemAt(model.Vat20, "120.00"), itemAt(model.Vat22, "122.00"),
		itemAt(model.Vat10, "110.00")}
	items[1].PaymentMethod = model.Prepayment
	items[2].PaymentMethod = model.FullPrepayment
	req := newRequest(items)
	ts, _ := model.ParseTimestamp("31.12.2025 23:59:59")
	req.Timestamp = ts
	_, changes := complete(t, model.Sell, req, compute.Options{Rates: true})
	want := `receipt.items[1].vat.type: "vat22" → "vat120" (rate: ` +
		`vat22 is not in force on 31.12.2025; payment method prepayment takes vat120)
receipt.items[2].vat.type: "vat10" → "vat110" (rate: payment method full_prepayment takes vat110)`
	if got := changeList(changes[:2]); got != want {
		t.Errorf("changes:\n%s\nwant\n%s", got, want)
	}
	// A correction takes the rates of its base date.
	corr := &model.Request{Timestamp: ts, Correction: &model.Correction{
		Receipt: *newRequest(items[:1]).Receipt}}
	base, _ := model.ParseDate("10.01.2026")
	corr.Correction.CorrectionInfo = model.CorrectionInfo{Type: model.CorrectionSelf, BaseDate: base}
	_, changes = complete(t, model.SellCorrection, corr, compute.Options{Rates: true})
	if len(changes) == 0 || changes[0].Path != "correction.items[0].vat.type" ||
		changes[0].New != `"vat22"` {
		t.Errorf("correction:\n%s", changeList(changes))
	}
	// Without an operation the rules that need one are skipped.
	_, changes = complete(t, "", req, compute.Options{Rates: true})
	for _, c := range changes {
		if c.Kind == compute.KindRate {
			t.Errorf("op \"\": %s", c)
		}
	}
}

func TestCompleteErrors(t *testing.T) {
	marked := item("Обувь", "1000.00", "2", "1999.99")
	marked.MarkCode = &model.MarkCode{Short: "abc"}
	odd := itemAt("vat99", "1.00")
	many := []model.Item{itemAt(model.Vat0, "1"), itemAt(model.Vat5, "1"), itemAt(model.Vat7, "1"),
		itemAt(model.Vat10, "1"), itemAt(model.Vat22, "1"), itemAt(model.Vat122, "1"),
		itemAt(model.VatNone, "1")}
	huge := item("x", "1", "1", "1")
	huge.Price = model.NewMoney(decimal.New(1, 1<<30))
	tests := []struct {
		name  string
		req   *model.Request
		opts  compute.Options
		want  error
		path  string
		noOut bool
	}{
		{"marked", newRequest([]model.Item{marked}), compute.Options{Split: true},
			compute.ErrMarked, "receipt.items[0].mark_code", false},
		{"unknown rate", newRequest([]model.Item{odd}), compute.Options{ItemVat: true},
			compute.ErrUnknownRate, "receipt.items[0].vat.type", false},
		{"unknown rate in vats", newRequest([]model.Item{odd}), compute.Options{Vats: true},
			compute.ErrUnknownRate, "receipt.items[0].vat.type", false},
		{"too many vats", newRequest(many), compute.Options{Vats: true},
			compute.ErrTooManyVats, "receipt.vats", false},
		{"range", newRequest([]model.Item{huge}), compute.Options{},
			compute.ErrRange, "receipt.items[0]", true},
		{"negative total", newRequest([]model.Item{item("x", "1", "1", "-1")}),
			compute.Options{Payment: true}, compute.ErrNegative, "receipt.payments", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := compute.Complete(model.Sell, tt.req, tt.opts)
			if !errorIsAt(err, tt.want, tt.path) {
				t.Errorf("err = %v, want %v at %s", err, tt.want, tt.path)
			}
			if (out == nil) != tt.noOut {
				t.Errorf("result = %v, want a result: %v", out, !tt.noOut)
			}
		})
	}
	for _, req := range []*model.Request{nil, {}} {
		if out, _, err := compute.Complete(model.Sell, req, compute.Options{}); err == nil ||
			out != nil {
			t.Errorf("Complete(%v) = %v, %v; want an error", req, out, err)
		}
	}
	_, _, err := compute.Complete(model.Sell, newRequest(nil), compute.Options{Payment: true,
		PaymentType: 10})
	if err == nil || !strings.Contains(err.Error(), "payment type 10") {
		t.Errorf("payment type 10: err = %v", err)
	}
}

// TestCompleteGolden completes the requests of the cases with every option
// and compares request and changes with testdata/golden; go test -update
// rewrites them.
func TestCompleteGolden(t *testing.T) {
	all := compute.Options{ItemVat: true, Vats: true, Payment: true, Split: true,
		Overwrite: true, Rates: true}
	for _, id := range []string{"bug01", "bug04", "bug06", "bug08", "bug35"} {
		t.Run(id, func(t *testing.T) {
			op, req := caseRequest(t, id)
			out, changes, err := compute.Complete(op, req, all)
			got := struct {
				Request *model.Request   `json:"request"`
				Changes []compute.Change `json:"changes"`
				Error   string           `json:"error,omitempty"`
			}{out, changes, ""}
			if err != nil {
				got.Error = err.Error()
			}
			data, err := model.MarshalIndent(got, "  ")
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, '\n')
			name := filepath.Join("testdata", "golden", id+".json")
			if *update {
				if err := os.WriteFile(name, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, want) {
				t.Errorf("%s differs; got:\n%s", name, data)
			}
		})
	}
}
