package compute

import "testing"

// TestPlanExhaustive checks plan for every sum up to 30.00 against a range
// of quantities: at most two lines, quantities adding up to q, each line's
// price × quantity rounding to its share, the shares adding up to s, and
// the prices p and p + 0.01 for p = ⌊s/q⌋ (or, for one line, the price
// nearest s/q).
func TestPlanExhaustive(t *testing.T) {
	var qs []int64
	for q := int64(1); q <= 5000; q += 11 {
		qs = append(qs, q)
	}
	qs = append(qs, 1000, 2000, 3000, 12345, 999, 1001, 1999, 99999, 1500, 2500, 10001)
	for _, q := range qs {
		for s := int64(0); s <= 3000; s++ {
			parts := plan(s, q)
			if len(parts) == 0 || len(parts) > 2 {
				t.Fatalf("plan(%d, %d) = %v: want 1 or 2 lines", s, q, parts)
			}
			var qty, sum int64
			floor := s * 1000 / q
			for _, p := range parts {
				if p.qty <= 0 || p.price < 0 {
					t.Fatalf("plan(%d, %d) = %v: empty or negative line", s, q, parts)
				}
				qty += p.qty
				sum += roundDiv(p.price*p.qty, 1000)
				if len(parts) == 2 && p.price != floor && p.price != floor+1 {
					t.Fatalf("plan(%d, %d) = %v: want prices %d and %d", s, q, parts, floor, floor+1)
				}
			}
			if qty != q || sum != s {
				t.Fatalf("plan(%d, %d) = %v: Σ qty %d, Σ sums %d", s, q, parts, qty, sum)
			}
			if len(parts) == 2 && parts[1].price != parts[0].price+1 {
				t.Fatalf("plan(%d, %d) = %v: want p and p+0.01", s, q, parts)
			}
		}
	}
}

func TestPriceFor(t *testing.T) {
	tests := []struct {
		s, q, want int64
		ok         bool
	}{
		{40000, 12345, 0, false}, // bug01: 32.40 → 399.98, 32.41 → 400.10
		{75000, 3000, 25000, true},
		{25000, 3000, 0, false},
		{514, 375, 1371, true}, // 13.71 × 0.375 = 5.14125
		{0, 5000, 0, true},
		{1, 1, 1000, true}, // 10.00 × 0.001 = 0.01
		{3, 2000, 0, false},
	}
	for _, tt := range tests {
		p, ok := priceFor(tt.s, tt.q)
		if ok != tt.ok || (ok && p != tt.want) {
			t.Errorf("priceFor(%d, %d) = %d, %v; want %d, %v", tt.s, tt.q, p, ok, tt.want, tt.ok)
		}
	}
}
