package compute_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

func lines(items []model.Item) string {
	var s []string
	for i := range items {
		s = append(s, compute.LineOf(&items[i]).String())
	}
	return strings.Join(s, "; ")
}

func TestSplitItem(t *testing.T) {
	tests := []struct {
		name, price, qty, sum string
		want                  string
	}{
		{"agrees", "99.90", "3", "299.70", "3 × 99.90 = 299.70"},
		{"reprice whole", "315.00", "2", "600.00", "2 × 300.00 = 600.00"},
		{"split whole", "499.00", "2", "886.53", "1 × 443.26 = 443.26; 1 × 443.27 = 443.27"},
		{"split three", "99.90", "3", "266.23", "2 × 88.74 = 177.48; 1 × 88.75 = 88.75"},
		{"bug01", "33.99", "12.345", "400.00", "10.345 × 32.40 = 335.18; 2 × 32.41 = 64.82"},
		{"below one unit", "13.70", "0.375", "5.00", "0.375 × 13.33 = 5.00"},
		{"one thousandth", "1.00", "0.001", "0.01", "0.001 × 10.00 = 0.01"},
		{"zero sum", "10.00", "2", "0.00", "2 × 0.00 = 0.00"},
		{"one kopeck over three", "0.00", "3", "0.01", "2 × 0.00 = 0.00; 1 × 0.01 = 0.01"},
		{"price with three decimals", "1.005", "1", "1.01", "1 × 1.01 = 1.01"},
		{"all at p+1", "1.00", "2.5", "2.52", "0.5 × 1.00 = 0.50; 2 × 1.01 = 2.02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := compute.SplitItem(item("x", tt.price, tt.qty, tt.sum))
			if err != nil {
				t.Fatal(err)
			}
			if s := lines(got); s != tt.want {
				t.Errorf("SplitItem = %s, want %s", s, tt.want)
			}
		})
	}
}

func TestSplitItemKeepsAttributes(t *testing.T) {
	it := item("Салфетки", "99.90", "3", "266.23")
	it.Vat = model.ItemVat{Type: model.Vat10, Sum: ptr(m("26.66"))}
	it.Excise = ptr(m("3.01"))
	it.UserData = "sku-C"
	it.CountryCode = "643"
	it.AgentInfo = &model.AgentInfo{Type: model.AgentCommission}
	it.SupplierInfo = &model.SupplierInfo{INN: "7709364346", Phones: []string{"+79990000000"}}
	before := lines([]model.Item{it})
	got, err := compute.SplitItem(it)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d lines, want 2", len(got))
	}
	excise := []string{"2.01", "1.00"} // 3.01 over 177.48 and 88.75
	vats := []string{"16.13", "8.07"}  // 177.48 × 10/110, 88.75 × 10/110
	for i, p := range got {
		if p.Name != it.Name || p.UserData != it.UserData || p.CountryCode != it.CountryCode ||
			p.PaymentMethod != it.PaymentMethod || p.Vat.Type != model.Vat10 ||
			p.AgentInfo.Type != model.AgentCommission || p.SupplierInfo.INN != "7709364346" {
			t.Errorf("part %d lost an attribute: %+v", i, p)
		}
		if p.Excise.String() != excise[i] || p.Vat.Sum.String() != vats[i] {
			t.Errorf("part %d: excise %s vat %s, want %s and %s", i, p.Excise, p.Vat.Sum,
				excise[i], vats[i])
		}
		if p.SupplierInfo == it.SupplierInfo ||
			&p.SupplierInfo.Phones[0] == &it.SupplierInfo.Phones[0] {
			t.Errorf("part %d shares memory with the input", i)
		}
	}
	if lines([]model.Item{it}) != before || it.Vat.Sum.String() != "26.66" {
		t.Error("SplitItem modified its argument")
	}
}

func TestSplitItemReprice(t *testing.T) {
	// A re-priced line keeps its sum as written and its VAT amount.
	it := item("x", "10", "2", "30")
	it.Vat.Sum = ptr(m("5.41"))
	got, err := compute.SplitItem(it)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Price.String() != "15.00" || got[0].Sum.String() != "30" ||
		got[0].Vat.Sum.String() != "5.41" {
		t.Errorf("SplitItem = %s vat %s", lines(got), got[0].Vat.Sum)
	}
}

func TestSplitItemErrors(t *testing.T) {
	marked := item("Обувь", "1000.00", "2", "1999.99")
	marked.PaymentObject = model.ObjectMarked
	marked.MarkCode = &model.MarkCode{GS1M: "MDEwNDYwNzQyODc5MzE1OTIxSmZ3"}
	markedOne := marked
	markedOne.Quantity = q("1")
	tests := []struct {
		name string
		it   model.Item
		want error
		path string
	}{
		{"marked qty 2", marked, compute.ErrMarked, "mark_code"},
		{"zero quantity", item("x", "1", "0", "1.00"), compute.ErrQuantity, "quantity"},
		{"negative quantity", item("x", "1", "-1", "1.00"), compute.ErrQuantity, "quantity"},
		{"negative sum", item("x", "1", "1", "-1.00"), compute.ErrNegative, "sum"},
		{"sum scale", item("x", "13.7", "0.375", "5.1375"), compute.ErrScale, "sum"},
		{"quantity scale", item("x", "1", "0.0001", "1.00"), compute.ErrScale, "quantity"},
		{"huge", withSum(item("x", "1", "1", "0"), decimal.New(1, 20)), compute.ErrRange, "sum"},
		{"huge exponent", withSum(item("x", "1", "1", "0"), decimal.New(1, 1<<30)),
			compute.ErrRange, "sum"},
		{"tiny exponent", withSum(item("x", "1", "1", "0"), decimal.New(1, -1<<30)),
			compute.ErrRange, "sum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compute.SplitItem(tt.it)
			var ce *compute.Error
			if !errors.Is(err, tt.want) || !errors.As(err, &ce) || ce.Path != tt.path {
				t.Errorf("err = %v, want %v at %s", err, tt.want, tt.path)
			}
		})
	}
	// A marked piece has quantity 1: it is only re-priced.
	got, err := compute.SplitItem(markedOne)
	if err != nil || len(got) != 1 || got[0].Price.String() != "1999.99" ||
		got[0].MarkCode.GS1M != marked.MarkCode.GS1M {
		t.Errorf("marked piece: %s, %v", lines(got), err)
	}
}

func TestSplit(t *testing.T) {
	marked := item("Обувь", "1000.00", "2", "1999.99")
	marked.MarkCode = &model.MarkCode{Short: "abc"}
	items := []model.Item{
		item("A", "499.00", "2", "886.53"),
		item("B", "1153.92", "1", "1153.92"),
		marked,
		item("C", "99.90", "3", "266.23"),
	}
	got, splits, err := compute.Split(items)
	var ce *compute.Error
	if !errors.Is(err, compute.ErrMarked) || !errors.As(err, &ce) || ce.Path != "items[2].mark_code" {
		t.Errorf("err = %v, want ErrMarked at items[2].mark_code", err)
	}
	want := "1 × 443.26 = 443.26; 1 × 443.27 = 443.27; 1 × 1153.92 = 1153.92; " +
		"2 × 1000.00 = 1999.99; 2 × 88.74 = 177.48; 1 × 88.75 = 88.75"
	if s := lines(got); s != want {
		t.Errorf("Split = %s\nwant    %s", s, want)
	}
	wantSplits := []string{
		"items[0]: 2 × 499.00 = 886.53 → 1 × 443.26 = 443.26 + 1 × 443.27 = 443.27",
		"items[3]: 3 × 99.90 = 266.23 → 2 × 88.74 = 177.48 + 1 × 88.75 = 88.75",
	}
	if len(splits) != len(wantSplits) {
		t.Fatalf("splits = %v", splits)
	}
	for i, s := range splits {
		if s.String() != wantSplits[i] {
			t.Errorf("split %d = %s, want %s", i, s, wantSplits[i])
		}
	}
	if splits[1].Index != 3 || splits[1].At != 4 {
		t.Errorf("split 1 Index, At = %d, %d; want 3, 4", splits[1].Index, splits[1].At)
	}
}

func ptr[T any](v T) *T { return &v }

func withSum(it model.Item, d decimal.Decimal) model.Item {
	it.Sum = model.NewMoney(d)
	return it
}
