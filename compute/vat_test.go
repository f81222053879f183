package compute_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

// vatVectors were worked out with exact fractions, independently of this
// package: sum × r/(100+r), rounded to kopecks.
var vatVectors = []struct {
	sum  string
	rate model.VatType
	want string
}{
	// Smallest amounts.
	{"0.01", model.Vat5, "0.00"}, {"0.01", model.Vat7, "0.00"}, {"0.01", model.Vat10, "0.00"},
	{"0.01", model.Vat20, "0.00"}, {"0.01", model.Vat22, "0.00"},
	{"0.05", model.Vat5, "0.00"}, {"0.05", model.Vat7, "0.00"}, {"0.05", model.Vat10, "0.00"},
	{"0.05", model.Vat20, "0.01"}, {"0.05", model.Vat22, "0.01"},
	{"0.06", model.Vat5, "0.00"}, {"0.06", model.Vat7, "0.00"}, {"0.06", model.Vat10, "0.01"},
	{"0.06", model.Vat20, "0.01"}, {"0.06", model.Vat22, "0.01"},
	{"0.09", model.Vat7, "0.01"}, {"1.00", model.Vat5, "0.05"}, {"1.00", model.Vat22, "0.18"},
	// Exact halves of a kopeck (only 20/120 has them: K/6 for K ≡ 3 mod 6)
	// round away from zero.
	{"0.03", model.Vat20, "0.01"}, {"0.09", model.Vat20, "0.02"}, {"1.05", model.Vat20, "0.18"},
	{"0.03", model.Vat120, "0.01"}, {"0.15", model.Vat20, "0.03"},
	// Just below and just above a half.
	{"0.10", model.Vat5, "0.00"}, {"0.11", model.Vat5, "0.01"},
	{"0.84", model.Vat7, "0.05"}, {"0.23", model.Vat7, "0.02"},
	{"0.05", model.Vat10, "0.00"}, {"0.06", model.Vat110, "0.01"},
	{"0.02", model.Vat20, "0.00"}, {"0.04", model.Vat20, "0.01"},
	{"0.36", model.Vat22, "0.06"}, {"0.25", model.Vat122, "0.05"},
	// Round numbers from the protocol and the cases.
	{"122.00", model.Vat22, "22.00"}, {"3000.00", model.Vat22, "540.98"},
	{"300.00", model.Vat20, "50.00"}, {"100.00", model.Vat10, "9.09"},
	{"120", model.Vat20, "20.00"},
	// Largest line sum (42 949 672.95) and receipt total (100 000 000).
	{"42949672.95", model.Vat5, "2045222.52"}, {"42949672.95", model.Vat7, "2809791.69"},
	{"42949672.95", model.Vat10, "3904515.72"}, {"42949672.95", model.Vat20, "7158278.83"},
	{"42949672.95", model.Vat22, "7745022.99"}, {"42949672.95", model.Vat122, "7745022.99"},
	{"99999999.99", model.Vat22, "18032786.88"}, {"100000000.00", model.Vat22, "18032786.89"},
	{"100000000.00", model.Vat20, "16666666.67"}, {"100000000.00", model.Vat107, "6542056.07"},
	{"100000000.00", model.Vat105, "4761904.76"},
	// No VAT, and an unknown type.
	{"100.00", model.Vat0, "0.00"}, {"100.00", model.VatNone, "0.00"},
	{"100.00", model.VatType("vat99"), "0.00"},
	// More decimals than money has: still exact, rounded once.
	{"1.005", model.Vat20, "0.17"}, {"0.035", model.Vat22, "0.01"},
}

func TestVatAmount(t *testing.T) {
	for _, v := range vatVectors {
		t.Run(string(v.rate)+"/"+v.sum, func(t *testing.T) {
			got := compute.VatAmount(m(v.sum), v.rate)
			if got.String() != v.want {
				t.Errorf("VatAmount(%s, %s) = %s, want %s", v.sum, v.rate, got, v.want)
			}
		})
	}
}

// TestVatAmountOracle compares VatAmount with big.Rat arithmetic for every
// kopeck amount up to 100.00 and every rate.
func TestVatAmountOracle(t *testing.T) {
	for _, rate := range model.VatTypes {
		r := rate.Rate()
		for k := int64(0); k <= 10000; k++ {
			exact := new(big.Rat).SetFrac64(k*r, 100+r) // in kopecks
			num, den := exact.Num(), exact.Denom()
			want := new(big.Int).Quo(new(big.Int).Add(new(big.Int).Lsh(num, 1), den),
				new(big.Int).Lsh(den, 1)) // ⌊x + ½⌋
			sum := model.NewMoney(decimalKopecks(k))
			got := compute.VatAmount(sum, rate)
			if got.Decimal().Shift(2).BigInt().Cmp(want) != 0 {
				t.Fatalf("VatAmount(%s, %s) = %s, want %s kopecks", sum, rate, got, want)
			}
		}
	}
}

func TestReceiptVat(t *testing.T) {
	// Three lines of 0.03 at vat20: each line's VAT is 0.005 → 0.01, so the
	// per-item formula gives 0.03; the VAT of 0.09 is 0.015 → 0.02.
	items := []model.Item{itemAt(model.Vat20, "0.03"), itemAt(model.Vat20, "0.03"),
		itemAt(model.Vat20, "0.03"), itemAt(model.Vat120, "120.00"), itemAt(model.Vat0, "5.00")}
	tests := []struct {
		t          model.VatType
		want       string
		acceptable []string
	}{
		{model.Vat20, "0.02", []string{"0.02", "0.03"}},
		{model.Vat120, "20.00", []string{"20.00"}},
		{model.Vat0, "0.00", []string{"0.00", "5.00"}},
		{model.Vat22, "0.00", []string{"0.00"}},
		{model.VatType("bogus"), "0.00", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.t), func(t *testing.T) {
			if got := compute.ReceiptVat(items, tt.t); got.String() != tt.want {
				t.Errorf("ReceiptVat = %s, want %s", got, tt.want)
			}
			got := compute.AcceptableVats(items, tt.t)
			if len(got) != len(tt.acceptable) {
				t.Fatalf("AcceptableVats = %v, want %v", got, tt.acceptable)
			}
			for i := range got {
				if got[i].String() != tt.acceptable[i] {
					t.Errorf("AcceptableVats = %v, want %v", got, tt.acceptable)
				}
			}
		})
	}
}

func TestVatAcceptable(t *testing.T) {
	items := []model.Item{itemAt(model.Vat20, "0.03"), itemAt(model.Vat20, "0.03"),
		itemAt(model.Vat20, "0.03"), itemAt(model.VatNone, "7.00")}
	tests := []struct {
		v    model.Vat
		want bool
	}{
		{model.Vat{Type: model.Vat20, Sum: m("0.02")}, true},
		{model.Vat{Type: model.Vat20, Sum: m("0.03")}, true},
		{model.Vat{Type: model.Vat20, Sum: m("0.030")}, true},
		{model.Vat{Type: model.Vat20, Sum: m("0.01")}, false},
		{model.Vat{Type: model.Vat20, Sum: m("0.04")}, false},
		{model.Vat{Type: model.Vat120, Sum: m("0.02")}, false},
		{model.Vat{Type: model.Vat120, Sum: m("0")}, true},
		{model.Vat{Type: model.VatNone, Sum: m("0")}, true},
		{model.Vat{Type: model.VatNone, Sum: m("7.00")}, true},
		{model.Vat{Type: model.VatNone, Sum: m("1.00")}, false},
		{model.Vat{Type: "vat99", Sum: m("0")}, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.v.Type)+"="+tt.v.Sum.String(), func(t *testing.T) {
			if got := compute.VatAcceptable(items, tt.v); got != tt.want {
				t.Errorf("VatAcceptable(%v) = %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

func TestVats(t *testing.T) {
	items := []model.Item{itemAt(model.Vat22, "100.00"), itemAt(model.Vat0, "50.00"),
		itemAt(model.Vat22, "22.00"), itemAt(model.Vat122, "61.00")}
	got, err := compute.Vats(items)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"type":"vat22","sum":22.00},{"type":"vat0","sum":0.00},{"type":"vat122","sum":11.00}]`
	if b, _ := model.Marshal(got); string(b) != want {
		t.Errorf("Vats = %s, want %s", b, want)
	}
	items[2].Vat.Type = "vat21"
	_, err = compute.Vats(items)
	var ce *compute.Error
	if !errors.Is(err, compute.ErrUnknownRate) || !errors.As(err, &ce) ||
		ce.Path != "items[2].vat.type" {
		t.Errorf("Vats with vat21: err = %v, want ErrUnknownRate at items[2].vat.type", err)
	}
}
