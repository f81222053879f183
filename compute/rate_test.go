package compute_test

import (
	"strings"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

func msk(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, model.Moscow)
}

// Dates on both sides of each switch.
var (
	d2018 = msk(2018, 12, 31, 23, 59, 59)
	d2019 = msk(2019, 1, 1, 0, 0, 0)
	d2024 = msk(2024, 12, 31, 23, 59, 59)
	d2025 = msk(2025, 1, 1, 0, 0, 0)
	dLast = msk(2025, 12, 31, 23, 59, 59)
	d2026 = msk(2026, 1, 1, 0, 0, 0)
	// 21:00 UTC on 31 December 2025 is already 2026 in Moscow.
	dUTC = time.Date(2025, 12, 31, 21, 0, 0, 0, time.UTC)
)

var rateDates = []time.Time{d2018, d2019, d2024, d2025, dLast, d2026, dUTC}

// TestInForceAndRateAt lists, for every rate, which of rateDates it is in
// force on and what RateAt gives there.
func TestInForceAndRateAt(t *testing.T) {
	all := []model.VatType{model.VatNone, model.Vat0, model.Vat5, model.Vat7, model.Vat10,
		model.Vat18, model.Vat20, model.Vat22, model.Vat105, model.Vat107, model.Vat110,
		model.Vat118, model.Vat120, model.Vat122, "vat99"}
	// One letter per date of rateDates: y in force, n not.
	tests := map[model.VatType]struct {
		inForce string
		at      string // RateAt on each date
	}{
		model.VatNone: {"yyyyyyy", "none none none none none none none"},
		model.Vat0:    {"yyyyyyy", "vat0 vat0 vat0 vat0 vat0 vat0 vat0"},
		model.Vat10:   {"yyyyyyy", "vat10 vat10 vat10 vat10 vat10 vat10 vat10"},
		model.Vat110:  {"yyyyyyy", "vat110 vat110 vat110 vat110 vat110 vat110 vat110"},
		model.Vat5:    {"nnnyyyy", "vat5 vat5 vat5 vat5 vat5 vat5 vat5"},
		model.Vat7:    {"nnnyyyy", "vat7 vat7 vat7 vat7 vat7 vat7 vat7"},
		model.Vat105:  {"nnnyyyy", "vat105 vat105 vat105 vat105 vat105 vat105 vat105"},
		model.Vat107:  {"nnnyyyy", "vat107 vat107 vat107 vat107 vat107 vat107 vat107"},
		model.Vat18:   {"ynnnnnn", "vat18 vat20 vat20 vat20 vat20 vat22 vat22"},
		model.Vat118:  {"ynnnnnn", "vat118 vat120 vat120 vat120 vat120 vat122 vat122"},
		model.Vat20:   {"nyyyynn", "vat18 vat20 vat20 vat20 vat20 vat22 vat22"},
		model.Vat120:  {"nyyyynn", "vat118 vat120 vat120 vat120 vat120 vat122 vat122"},
		model.Vat22:   {"nnnnnyy", "vat18 vat20 vat20 vat20 vat20 vat22 vat22"},
		model.Vat122:  {"nnnnnyy", "vat118 vat120 vat120 vat120 vat120 vat122 vat122"},
		"vat99":       {"nnnnnnn", "vat99 vat99 vat99 vat99 vat99 vat99 vat99"},
	}
	for _, v := range all {
		tt, ok := tests[v]
		if !ok {
			t.Fatalf("no expectation for %s", v)
		}
		for i, d := range rateDates {
			t.Run(string(v)+"/"+d.Format(time.RFC3339), func(t *testing.T) {
				if got, want := compute.InForce(v, d), tt.inForce[i] == 'y'; got != want {
					t.Errorf("InForce = %v, want %v", got, want)
				}
				if got, want := compute.RateAt(v, d), strings.Fields(tt.at)[i]; string(got) != want {
					t.Errorf("RateAt = %s, want %s", got, want)
				}
			})
		}
	}
}

func TestCalculatedPlainRateFor(t *testing.T) {
	pairs := [][2]model.VatType{{model.Vat5, model.Vat105}, {model.Vat7, model.Vat107},
		{model.Vat10, model.Vat110}, {model.Vat18, model.Vat118}, {model.Vat20, model.Vat120},
		{model.Vat22, model.Vat122}, {model.Vat0, model.Vat0}, {model.VatNone, model.VatNone}}
	for _, p := range pairs {
		plain, calc := p[0], p[1]
		t.Run(string(plain), func(t *testing.T) {
			if got := compute.Calculated(plain); got != calc {
				t.Errorf("Calculated(%s) = %s, want %s", plain, got, calc)
			}
			if got := compute.Calculated(calc); got != calc {
				t.Errorf("Calculated(%s) = %s, want it unchanged", calc, got)
			}
			if got := compute.Plain(calc); got != plain {
				t.Errorf("Plain(%s) = %s, want %s", calc, got, plain)
			}
			for _, pm := range model.PaymentMethods {
				want := plain
				if pm.IsPrepayment() {
					want = calc
				}
				for _, v := range []model.VatType{plain, calc} {
					if got := compute.RateFor(v, pm); got != want {
						t.Errorf("RateFor(%s, %s) = %s, want %s", v, pm, got, want)
					}
				}
			}
		})
	}
}

func TestRateAllowed(t *testing.T) {
	tests := []struct {
		op   model.Operation
		v    model.VatType
		at   time.Time
		want bool
	}{
		{model.Sell, model.Vat20, d2026, false},
		{model.Sell, model.Vat20, dLast, true},
		{model.Buy, model.Vat22, dLast, false},
		{"", model.Vat22, d2026, true},
		{model.SellRefund, model.Vat20, d2026, true},  // refund of a 2025 sale
		{model.SellRefund, model.Vat18, d2026, true},  // refund of a 2018 sale
		{model.SellRefund, model.Vat22, dLast, false}, // no sale had vat22 yet
		{model.BuyRefund, model.Vat7, d2024, false},
		{model.SellCorrection, model.Vat120, d2026, true},
		{model.SellCorrection, model.Vat20, d2018, false},
		{model.SellRefund, "vat99", d2026, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.op)+"/"+string(tt.v)+"/"+tt.at.Format("2006-01-02"), func(t *testing.T) {
			if got := compute.RateAllowed(tt.op, tt.v, tt.at); got != tt.want {
				t.Errorf("RateAllowed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRateSince(t *testing.T) {
	tests := map[model.VatType]time.Time{
		model.Vat22: compute.Vat22From, model.Vat122: compute.Vat22From,
		model.Vat20: compute.Vat20From, model.Vat120: compute.Vat20From,
		model.Vat5: compute.Vat5From, model.Vat107: compute.Vat5From,
		model.Vat10: {}, model.Vat18: {}, model.VatNone: {}, model.Vat0: {},
	}
	for v, want := range tests {
		if got := compute.RateSince(v); !got.Equal(want) {
			t.Errorf("RateSince(%s) = %v, want %v", v, got, want)
		}
	}
}
