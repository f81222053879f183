package compute_test

import (
	"errors"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

func TestDiscount(t *testing.T) {
	items := []model.Item{
		item("Кружка", "499.00", "2", "998.00"),
		item("Чайник", "1299.00", "1", "1299.00"),
		item("Салфетки", "99.90", "3", "299.70"),
	}
	items[1].Vat.Sum = ptr(m("234.25"))
	got, splits, err := compute.Discount(items, m("290.02"), compute.SpreadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := "1 × 443.26 = 443.26; 1 × 443.27 = 443.27; 1 × 1153.92 = 1153.92; " +
		"2 × 88.74 = 177.48; 1 × 88.75 = 88.75"
	if s := lines(got); s != want {
		t.Errorf("Discount = %s\nwant       %s", s, want)
	}
	if got[2].Vat.Sum.String() != "208.08" { // 1153.92 × 22/122
		t.Errorf("VAT of the lowered line = %s, want 208.08", got[2].Vat.Sum)
	}
	if len(splits) != 3 || splits[1].Before.Sum.String() != "1299.00" || splits[2].At != 3 {
		t.Errorf("splits = %v", splits)
	}
	if items[0].Sum.String() != "998.00" || items[1].Vat.Sum.String() != "234.25" {
		t.Error("Discount modified its argument")
	}

	_, _, err = compute.Discount(items, m("2596.71"), compute.SpreadOptions{})
	if !errors.Is(err, compute.ErrExceeds) {
		t.Errorf("too large a discount: err = %v, want ErrExceeds", err)
	}
	bad := append([]model.Item(nil), items...)
	bad[1].Sum = m("-1")
	_, _, err = compute.Discount(bad, m("1"), compute.SpreadOptions{})
	var ce *compute.Error
	if !errors.As(err, &ce) || ce.Path != "items[1].sum" {
		t.Errorf("negative line: err = %v, want one at items[1].sum", err)
	}
}

func TestDiscountMarked(t *testing.T) {
	shoes := item("Кроссовки", "3000.00", "1", "3000.00")
	shoes.PaymentObject = model.ObjectMarked
	shoes.MarkCode = &model.MarkCode{Short: "0104607428793159"}
	twice := shoes
	twice.Quantity, twice.Sum = q("2"), m("6000.00")
	got, _, err := compute.Discount([]model.Item{shoes, item("Носки", "100.00", "1", "100.00")},
		m("310.00"), compute.SpreadOptions{}) // 300.00 and 10.00
	if err != nil || lines(got) != "1 × 2700.00 = 2700.00; 1 × 90.00 = 90.00" ||
		got[0].MarkCode.Short != shoes.MarkCode.Short {
		t.Errorf("Discount = %s, %v", lines(got), err)
	}
	_, _, err = compute.Discount([]model.Item{twice}, m("0.01"), compute.SpreadOptions{})
	var ce *compute.Error
	if !errors.Is(err, compute.ErrMarked) || !errors.As(err, &ce) || ce.Path != "items[0].mark_code" {
		t.Errorf("marked line of two: err = %v, want ErrMarked at items[0].mark_code", err)
	}
}

func TestFit(t *testing.T) {
	items := []model.Item{item("a", "10.00", "3", "30.00"), item("b", "5.00", "1", "5.00")}
	got, _, err := compute.Fit(items, m("34.00"), compute.SpreadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := lines(got); s != "2 × 9.71 = 19.42; 1 × 9.72 = 9.72; 1 × 4.86 = 4.86" {
		t.Errorf("Fit = %s", s)
	}
	if _, _, err := compute.Fit(items, m("35.01"), compute.SpreadOptions{}); !errors.Is(err,
		compute.ErrExceeds) {
		t.Errorf("Fit above the total: err = %v, want ErrExceeds", err)
	}
	if _, _, err := compute.Fit(items, m("-1"), compute.SpreadOptions{}); !errors.Is(err,
		compute.ErrNegative) {
		t.Errorf("Fit below zero: err = %v, want ErrNegative", err)
	}
}
