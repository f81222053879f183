package compute_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// caseFile is one file of testdata/cases: a bug report's input and the
// outcome it should have. The tests below read the input and use the
// expected numbers written out in each test.
type caseFile struct {
	Summary string                     `json:"summary"`
	Input   map[string]json.RawMessage `json:"input"`
}

func readCase(t *testing.T, id string) caseFile {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join("testdata", "cases", id+"-*.json"))
	if len(names) != 1 {
		t.Fatalf("case %s: %d files", id, len(names))
	}
	data, err := os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	var c caseFile
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// caseRequest decodes a case whose input is a request with its operation
// beside it, strictly, as the service reads it.
func caseRequest(t *testing.T, id string) (model.Operation, *model.Request) {
	t.Helper()
	in := readCase(t, id).Input
	var op model.Operation
	if err := json.Unmarshal(in["operation"], &op); err != nil {
		t.Fatal(err)
	}
	delete(in, "operation")
	data, _ := json.Marshal(in)
	req, err := model.DecodeRequest(data, model.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return op, req
}

// newRequest wraps items and payments in the seller and buyer of the cases.
func newRequest(items []model.Item, payments ...model.Payment) *model.Request {
	ts, _ := model.ParseTimestamp("04.12.2026 10:15:00")
	return &model.Request{Timestamp: ts, ExternalID: "ord-1001-sell-1",
		Receipt: &model.Receipt{
			Client: &model.Client{Email: "buyer@example.test"},
			Company: model.Company{Email: "shop@example.test", SNO: model.SNOOsn,
				INN: "7701493822", PaymentAddress: "https://shop.example.test"},
			Items: items, Payments: payments,
		}}
}

// mustValid fails unless the validator accepts req.
func mustValid(t *testing.T, op model.Operation, req *model.Request) {
	t.Helper()
	if r := validate.Request(op, req); !r.Valid() {
		t.Errorf("validator refuses the result: %v", r.Errors())
	}
}

// invalidAt fails unless the validator refuses req at each of these paths
// (and maybe others: which derived errors it reports is its business).
func invalidAt(t *testing.T, op model.Operation, req *model.Request, paths ...string) {
	t.Helper()
	var got []string
	for _, v := range validate.Request(op, req).Errors() {
		got = append(got, v.Path)
	}
	for _, p := range paths {
		if !slices.Contains(got, p) {
			t.Errorf("validator refuses at %v, want also %s", got, p)
		}
	}
}

func complete(t *testing.T, op model.Operation, req *model.Request,
	opts compute.Options) (*model.Request, []compute.Change) {
	t.Helper()
	out, changes, err := compute.Complete(op, req, opts)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	return out, changes
}

func changeList(cs []compute.Change) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.String()
	}
	return strings.Join(s, "\n")
}

// orderItems builds full_payment goods lines at vat22 from name, unit price
// and quantity triples; each sum is price × quantity.
func orderItems(lines ...[3]string) []model.Item {
	var items []model.Item
	for _, l := range lines {
		sum := compute.ItemSum(m(l[1]), q(l[2]))
		items = append(items, item(l[0], l[1], l[2], sum.String()))
	}
	return items
}

func pay(t model.PaymentType, sum string) model.Payment {
	return model.Payment{Type: t, Sum: m(sum)}
}

var caseTests = map[string]func(*testing.T){
	"bug01": func(t *testing.T) {
		op, req := caseRequest(t, "bug01")
		// Without Split nothing the caller gave changes, and the line stays
		// wrong: round(33.99 × 12.345) = 419.61, not 400.0.
		out, changes := complete(t, op, req, compute.Options{})
		if len(changes) != 0 {
			t.Errorf("changes without options:\n%s", changeList(changes))
		}
		invalidAt(t, op, out, "receipt.items[0].sum")
		// With Split the sum 400.00 is kept and the line is split; the
		// case's example (12 × 32.41 + 0.345 × 32.12) is one answer, this is
		// another with both prices within a kopeck of 400 / 12.345.
		out, changes = complete(t, op, req, compute.Options{Split: true})
		if s := lines(out.Receipt.Items); s != "10.345 × 32.40 = 335.18; 2 × 32.41 = 64.82" {
			t.Errorf("split into %s", s)
		}
		qty := out.Receipt.Items[0].Quantity.Decimal().Add(out.Receipt.Items[1].Quantity.Decimal())
		if qty.String() != "12.345" || compute.Total(out.Receipt.Items).String() != "400.00" {
			t.Errorf("Σ quantity %s, Σ sums %s", qty, compute.Total(out.Receipt.Items))
		}
		if len(changes) != 1 || changes[0].Kind != compute.KindSplit ||
			changes[0].Path != "receipt.items[0]" {
			t.Errorf("changes:\n%s", changeList(changes))
		}
		mustValid(t, op, out)
	},
	"bug02": func(t *testing.T) {
		items := orderItems([3]string{"Кружка", "499.00", "2"},
			[3]string{"Чайник", "1299.00", "1"},
			[3]string{"Салфетки", "99.90", "3"})
		if got := compute.Total(items).String(); got != "2596.70" {
			t.Errorf("before_total = %s, want 2596.70", got)
		}
		shares, err := compute.Spread(m("290.02"), []model.Money{items[0].Sum, items[1].Sum,
			items[2].Sum}, compute.SpreadOptions{})
		if err != nil || join(shares) != "111.47 145.08 33.47" {
			t.Errorf("discount_per_line = %s, %v; want 111.47 145.08 33.47", join(shares), err)
		}
		got, splits, err := compute.Discount(items, m("290.02"), compute.SpreadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Кружка 1 × 443.26 = 443.26", "Кружка 1 × 443.27 = 443.27",
			"Чайник 1 × 1153.92 = 1153.92", "Салфетки 2 × 88.74 = 177.48",
			"Салфетки 1 × 88.75 = 88.75"}
		for i := range got {
			if s := got[i].Name + " " + compute.LineOf(&got[i]).String(); i >= len(want) ||
				s != want[i] {
				t.Errorf("receipt_items[%d] = %s", i, s)
			}
		}
		after := []string{"886.53", "1153.92", "266.23"}
		for i, s := range splits {
			var sum model.Money
			for _, l := range s.After {
				sum = model.NewMoney(sum.Decimal().Add(l.Sum.Decimal()))
			}
			if sum.StringFixed(2) != after[i] {
				t.Errorf("line_sums_after[%d] = %s, want %s", i, sum, after[i])
			}
		}
		out, _ := complete(t, model.Sell, newRequest(got), compute.Options{Payment: true,
			PaymentType: model.PaymentElectronic})
		if b := out.Receipt; b.Total.String() != "2306.68" || len(b.Payments) != 1 ||
			b.Payments[0].Sum.String() != "2306.68" || b.Payments[0].Type != 1 {
			t.Errorf("total %s, payments %v; want 2306.68 paid by type 1", b.Total, b.Payments)
		}
		mustValid(t, model.Sell, out)
	},
	"bug03": func(t *testing.T) {
		items := orderItems([3]string{"Рюкзак", "3490.00", "1"},
			[3]string{"Доставка курьером", "350.00", "1"})
		items[1].PaymentObject = model.ObjectService
		// The free-delivery coupon lowers the delivery line only.
		got, _, err := compute.Discount(items, m("350.00"), compute.SpreadOptions{
			Exclude: func(i int) bool { return i != 1 }})
		if err != nil {
			t.Fatal(err)
		}
		if s := lines(got); s != "1 × 3490.00 = 3490.00; 1 × 0.00 = 0.00" {
			t.Errorf("after the coupon: %s", s)
		}
		// emit_when_zero: false drops the free line; that is the mapper's rule.
		got = slices.DeleteFunc(got, func(it model.Item) bool { return it.Sum.IsZero() })
		out, _ := complete(t, model.Sell, newRequest(got), compute.Options{Payment: true,
			PaymentType: model.PaymentElectronic})
		if b := out.Receipt; len(b.Items) != 1 || b.Total.String() != "3490.00" ||
			b.Payments[0].Sum.String() != "3490.00" {
			t.Errorf("items %s, total %s, payments %v", lines(b.Items), b.Total, b.Payments)
		}
		mustValid(t, model.Sell, out)
		// An order coupon that excludes delivery never reaches it.
		got, _, err = compute.Discount(items, m("100.00"), compute.SpreadOptions{
			Exclude: func(i int) bool { return i == 1 }})
		if err != nil || lines(got) != "1 × 3390.00 = 3390.00; 1 × 350.00 = 350.00" {
			t.Errorf("coupon without delivery: %s, %v", lines(got), err)
		}
	},
	"bug04": func(t *testing.T) {
		op, req := caseRequest(t, "bug04")
		out, changes := complete(t, op, req, compute.Options{})
		if len(changes) != 0 {
			t.Errorf("changes without options:\n%s", changeList(changes))
		}
		invalidAt(t, op, out, "receipt.items[0].sum", "receipt.total")
		// Overwrite takes price × quantity as the truth, as the payment of
		// 750.00 says it is.
		out, changes = complete(t, op, req, compute.Options{Overwrite: true})
		want := "receipt.items[0].sum: 250.0 → 750.00 (overwritten: " +
			"price × quantity, rounded to kopecks)"
		if changeList(changes) != want {
			t.Errorf("changes:\n%s\nwant\n%s", changeList(changes), want)
		}
		mustValid(t, op, out)
		// Split would keep the sum 250 and re-price, which the payment
		// contradicts: the result stays invalid, as it should.
		out, _ = complete(t, op, req, compute.Options{Split: true, Overwrite: true})
		invalidAt(t, op, out, "receipt.payments")
	},
	"bug06": func(t *testing.T) {
		op, req := caseRequest(t, "bug06")
		out, changes := complete(t, op, req, compute.Options{})
		if len(changes) != 0 {
			t.Errorf("changes without options:\n%s", changeList(changes))
		}
		invalidAt(t, op, out, "receipt.items[0].sum", "receipt.total")
		out, changes = complete(t, op, req, compute.Options{Overwrite: true, Split: true})
		want := "receipt.items[0].sum: 5.1375 → 5.14 (overwritten: price × quantity, " +
			"rounded to kopecks)\n" +
			"receipt.total: 5.1375 → 5.14 (overwritten: Σ items[].sum)"
		if changeList(changes) != want {
			t.Errorf("changes:\n%s\nwant\n%s", changeList(changes), want)
		}
		mustValid(t, op, out)
		// Split alone cannot take 5.1375 as an amount settled.
		_, _, err := compute.Complete(op, req, compute.Options{Split: true})
		if !errorIsAt(err, compute.ErrScale, "receipt.items[0].sum") {
			t.Errorf("Split alone: err = %v, want ErrScale at receipt.items[0].sum", err)
		}
	},
	"bug08": func(t *testing.T) {
		op, req := caseRequest(t, "bug08")
		it := req.Receipt.Items[0]
		if k := it.Price.Decimal().Shift(2).IntPart(); k != 115 {
			t.Errorf("price_kopecks = %d, want 115", k)
		}
		if k := compute.ItemSum(it.Price, it.Quantity).Decimal().Shift(2).IntPart(); k != 345 {
			t.Errorf("sum_kopecks = %d, want 345", k)
		}
		out, changes := complete(t, op, req, compute.Options{Overwrite: true, Split: true})
		if len(changes) != 0 {
			t.Errorf("changes:\n%s", changeList(changes))
		}
		mustValid(t, op, out)
	},
	"bug09": func(t *testing.T) {
		// A line discount of 30.00 is for the whole line of two.
		got, _, err := compute.Discount(orderItems([3]string{"Кроссовки", "315.00", "2"}),
			m("30.00"), compute.SpreadOptions{})
		if err != nil || lines(got) != "2 × 300.00 = 600.00" {
			t.Errorf("receipt_item = %s, %v; want 2 × 300.00 = 600.00", lines(got), err)
		}
	},
	"bug29": func(t *testing.T) {
		items := []model.Item{itemAt(model.Vat0, "1000.00"), itemAt(model.VatNone, "500.00")}
		out, _ := complete(t, model.Sell, newRequest(items, pay(1, "1500.00")),
			compute.Options{ItemVat: true, Vats: true, Rates: true})
		b := out.Receipt
		if v := b.Items[0].Vat; v.Type != model.Vat0 || v.Sum == nil || v.Sum.String() != "0.00" {
			t.Errorf("items[0].vat = %s %v, want vat0 0.00", v.Type, v.Sum)
		}
		if v := b.Items[1].Vat; v.Type != model.VatNone || v.Sum != nil {
			t.Errorf("items[1].vat = %s %v, want none without a sum", v.Type, v.Sum)
		}
		if s := jsonString(b.Vats); s != `[{"type":"vat0","sum":0.00},{"type":"none","sum":0.00}]` {
			t.Errorf("vats = %s", s)
		}
		mustValid(t, model.Sell, out)
	},
	"bug30": func(t *testing.T) {
		at, _ := model.ParseTimestamp("04.12.2026 10:15:00")
		sale, _ := model.ParseDate("15.12.2025")
		if compute.RateAllowed(model.Sell, model.Vat20, at.Time()) ||
			compute.RateAt(model.Vat20, at.Time()) != model.Vat22 {
			t.Error("checks[0]: vat20 in a 2026 sale must be refused, vat22 offered")
		}
		if !compute.InForce(model.Vat20, sale.Time()) ||
			!compute.RateAllowed(model.SellRefund, model.Vat20, at.Time()) {
			t.Error("checks[1]: a refund of a 2025 sale keeps vat20")
		}
		if !compute.RateAllowed(model.Sell, model.Vat22, at.Time()) {
			t.Error("checks[2]: vat22 in a 2026 sale is right")
		}
		items := []model.Item{itemAt(model.Vat20, "100.00")}
		req := newRequest(items, pay(1, "100.00"))
		req.Receipt.Total = m("100.00")
		_, changes := complete(t, model.Sell, req, compute.Options{Rates: true})
		if len(changes) != 1 || changes[0].New != `"vat22"` {
			t.Errorf("sell, Rates:\n%s", changeList(changes))
		}
		_, changes = complete(t, model.SellRefund, req, compute.Options{Rates: true})
		if len(changes) != 0 {
			t.Errorf("sell_refund, Rates:\n%s", changeList(changes))
		}
	},
	"bug32": func(t *testing.T) {
		items := orderItems([3]string{"Пылесос", "3000.00", "1"})
		req := newRequest(items, pay(model.PaymentElectronic, "2000.00"),
			pay(model.PaymentPrepaid, "1000.00"))
		out, changes := complete(t, model.Sell, req, compute.Options{ItemVat: true,
			Payment: true, Rates: true})
		want := "receipt.items[0].vat.sum: (absent) → 540.98 (filled: 3000.00 × 22/122, " +
			"rounded to kopecks)\n" +
			"receipt.total: (absent) → 3000.00 (filled: Σ items[].sum)"
		if changeList(changes) != want {
			t.Errorf("changes:\n%s\nwant\n%s", changeList(changes), want)
		}
		mustValid(t, model.Sell, out)
		// The earlier sale of the advance itself is at the calculated rate.
		adv := orderItems([3]string{"Аванс", "1000.00", "1"})
		adv[0].PaymentMethod, adv[0].PaymentObject = model.Advance, model.ObjectPayment
		out, _ = complete(t, model.Sell, newRequest(adv), compute.Options{Rates: true,
			ItemVat: true})
		if v := out.Receipt.Items[0].Vat; v.Type != model.Vat122 || v.Sum.String() != "180.33" {
			t.Errorf("advance: vat %s %s, want vat122 180.33", v.Type, v.Sum)
		}
	},
	"bug33": func(t *testing.T) {
		// Seller's loyalty points are a discount, not a payment.
		got, _, err := compute.Discount(orderItems([3]string{"Футболка", "500.00", "1"}),
			m("200.00"), compute.SpreadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := complete(t, model.Sell, newRequest(got), compute.Options{Payment: true,
			PaymentType: model.PaymentCash})
		b := out.Receipt
		if lines(b.Items) != "1 × 300.00 = 300.00" || b.Total.String() != "300.00" ||
			jsonString(b.Payments) != `[{"type":0,"sum":300.00}]` {
			t.Errorf("items %s, total %s, payments %s", lines(b.Items), b.Total,
				jsonString(b.Payments))
		}
		mustValid(t, model.Sell, out)
	},
	"bug35": func(t *testing.T) {
		op, req := caseRequest(t, "bug35")
		all := compute.Options{ItemVat: true, Vats: true, Payment: true, Overwrite: true,
			Split: true, Rates: true}
		out, changes, err := compute.Complete(op, req, all)
		if err != nil {
			t.Fatal(err)
		}
		// Complete hides nothing: the zero total and payment stay, and the
		// validator refuses them. (Item VAT 0.00 and vats[] are filled.)
		for _, c := range changes {
			if strings.Contains(c.Path, "total") || strings.Contains(c.Path, "payments") {
				t.Errorf("changed %s", c)
			}
		}
		invalidAt(t, op, out, "receipt.payments[0].sum", "receipt.total")
		// Asked for a payment where there is none, it refuses a zero one.
		req.Receipt.Payments = nil
		_, _, err = compute.Complete(op, req, all)
		if !errorIsAt(err, compute.ErrZeroTotal, "receipt.payments") {
			t.Errorf("payment for a zero total: err = %v, want ErrZeroTotal", err)
		}
	},
}

func TestCases(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "cases", "*.json"))
	for _, f := range files {
		id, _, _ := strings.Cut(filepath.Base(f), "-")
		if caseTests[id] == nil {
			t.Errorf("%s has no test", f)
		}
	}
	ids := make([]string, 0, len(caseTests))
	for id := range caseTests {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		t.Run(id, caseTests[id])
	}
}

func jsonString(v any) string {
	b, err := model.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
