package compute_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

func moneys(ss ...string) []model.Money {
	out := make([]model.Money, len(ss))
	for i, s := range ss {
		out[i] = m(s)
	}
	return out
}

func join(ms []model.Money) string {
	s := make([]string, len(ms))
	for i, v := range ms {
		s[i] = v.String()
	}
	return strings.Join(s, " ")
}

func TestSpread(t *testing.T) {
	tests := []struct {
		name    string
		amount  string
		sums    []model.Money
		exclude []int
		want    string
	}{
		// bug02: the exact shares are 111.4659…, 145.0822…, 33.4730…; the
		// missing kopeck goes to the largest remainder, A's.
		{"bug02", "290.02", moneys("998.00", "1299.00", "299.70"), nil, "111.47 145.08 33.47"},
		{"nothing", "0", moneys("10.00", "20.00"), nil, "0.00 0.00"},
		{"all", "30.00", moneys("10.00", "20.00"), nil, "10.00 20.00"},
		// Equal remainders: the earlier line gets the kopeck.
		{"tie", "0.01", moneys("5.00", "5.00", "5.00"), nil, "0.01 0.00 0.00"},
		{"tie two", "0.02", moneys("5.00", "5.00", "5.00"), nil, "0.01 0.01 0.00"},
		{"tie after larger", "0.05", moneys("1.00", "2.00", "2.00"), nil, "0.01 0.02 0.02"},
		{"exclude delivery", "100.00", moneys("3490.00", "350.00"), []int{1}, "100.00 0.00"},
		{"only delivery", "350.00", moneys("3490.00", "350.00"), []int{0}, "0.00 350.00"},
		{"zero lines", "1.00", moneys("0.00", "1.00", "0"), nil, "0.00 1.00 0.00"},
		{"one kopeck each", "0.03", moneys("0.01", "0.01", "0.01"), nil, "0.01 0.01 0.01"},
		{"no lines", "0.00", nil, nil, ""},
		{"large", "100000000.00", moneys("42949672.95", "42949672.95", "14100654.10"), nil,
			"42949672.95 42949672.95 14100654.10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := compute.SpreadOptions{Exclude: func(i int) bool {
				for _, x := range tt.exclude {
					if x == i {
						return true
					}
				}
				return false
			}}
			got, err := compute.Spread(m(tt.amount), tt.sums, opts)
			if err != nil {
				t.Fatal(err)
			}
			if s := join(got); s != tt.want {
				t.Errorf("Spread = %s, want %s", s, tt.want)
			}
		})
	}
}

func TestSpreadErrors(t *testing.T) {
	tests := []struct {
		name    string
		amount  string
		sums    []model.Money
		exclude bool
		want    error
		msg     string
	}{
		{"exceeds", "30.01", moneys("10.00", "20.00"), false, compute.ErrExceeds,
			"compute: amount: 30.01 is more than the 30.00 the lines hold: " +
				"exceeds what the lines can absorb"},
		{"exceeds excluded", "10.01", moneys("10.00", "20.00"), true, compute.ErrExceeds,
			"compute: amount: 10.01 is more than the 10.00 the lines hold: " +
				"exceeds what the lines can absorb"},
		{"no lines", "0.01", nil, false, compute.ErrExceeds,
			"compute: amount: 0.01 is more than the 0.00 the lines hold: " +
				"exceeds what the lines can absorb"},
		{"negative amount", "-1.00", moneys("10.00"), false, compute.ErrNegative,
			"compute: amount: -1.00 is negative"},
		{"amount scale", "0.005", moneys("10.00"), false, compute.ErrScale,
			"compute: amount: 0.005 has more decimals than the format allows"},
		{"negative line", "1.00", moneys("10.00", "-5.00"), false, compute.ErrNegative,
			"compute: sums[1]: -5.00 is negative"},
		{"line scale", "1.00", moneys("10.001"), false, compute.ErrScale,
			"compute: sums[0]: 10.001 has more decimals than the format allows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := compute.SpreadOptions{}
			if tt.exclude {
				opts.Exclude = func(i int) bool { return i == 1 }
			}
			_, err := compute.Spread(m(tt.amount), tt.sums, opts)
			if !errors.Is(err, tt.want) || err.Error() != tt.msg {
				t.Errorf("err = %v\nwant %s", err, tt.msg)
			}
		})
	}
}
