package compute_test

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

func TestRoundMoney(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.005", "1.01"}, {"2.675", "2.68"}, {"1.004999", "1.00"}, {"-1.005", "-1.01"},
		{"0.005", "0.01"}, {"0.0049", "0.00"}, {"419.60655", "419.61"}, {"5.1375", "5.14"},
		{"42949672.945", "42949672.95"}, {"7", "7.00"}, {"0", "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := compute.RoundMoney(m(tt.in).Decimal()); got.String() != tt.want {
				t.Errorf("RoundMoney(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestItemSum(t *testing.T) {
	tests := []struct{ price, qty, want string }{
		{"1.15", "3", "3.45"},         // bug08: no float truncation to 3.44
		{"33.99", "12.345", "419.61"}, // bug01: 419.60655
		{"13.7", "0.375", "5.14"},     // bug06: 5.1375
		{"250.00", "3", "750.00"},     // bug04
		{"0.01", "0.001", "0.00"},     // 0.00001
		{"0.01", "0.5", "0.01"},       // 0.005, a half: away from zero
		{"10.10", "0.05", "0.51"},     // 0.505
		{"42949672.95", "1", "42949672.95"},
		{"429496.72", "99999.999", "42949671570.50"},
		{"0", "5", "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.price+"×"+tt.qty, func(t *testing.T) {
			if got := compute.ItemSum(m(tt.price), q(tt.qty)); got.String() != tt.want {
				t.Errorf("ItemSum(%s, %s) = %s, want %s", tt.price, tt.qty, got, tt.want)
			}
		})
	}
}

func TestTotals(t *testing.T) {
	items := []model.Item{item("a", "1.15", "3", "3.45"), item("b", "0.10", "1", "0.10"),
		item("c", "99.99", "1", "99.99")}
	if got := compute.Total(items); got.String() != "103.54" {
		t.Errorf("Total = %s, want 103.54", got)
	}
	if got := compute.Total(nil); !got.IsZero() {
		t.Errorf("Total(nil) = %s, want 0", got)
	}
	ps := []model.Payment{{Type: model.PaymentCash, Sum: m("0.10")},
		{Type: model.PaymentElectronic, Sum: m("0.20")}}
	if got := compute.PaymentsTotal(ps); got.String() != "0.30" {
		t.Errorf("PaymentsTotal = %s, want 0.30 (exactly, not 0.30000000000000004)", got)
	}
}
