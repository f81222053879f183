package bench

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// TestRatios measures each comparison of BENCHMARKS.md in one run and
// checks the ratio against its target. Absolute times depend on the
// machine; a ratio of two measurements taken side by side much less so.
// The check allows slack over the target (slack) so that a loaded machine
// does not fail the build, while a real regression does.
func TestRatios(t *testing.T) {
	if testing.Short() {
		t.Skip("measures for several seconds")
	}
	const slack = 1.5
	sch := schema(t)
	v := validate.New()
	req10, req100 := Request(10), Request(100)
	in := ozonSample(t)
	m := newMapper(t)
	code := newJQ(t)

	ours10 := measure(func() { v.JSON(req10, model.Sell) })
	ours100 := measure(func() { v.JSON(req100, model.Sell) })
	schema10 := measure(func() { _ = schemaValidate(sch, req10) })
	pack := measure(func() { mapWithPack(t, m, in) })
	hand := measure(func() { _, _ = MapOzonByHand(in) })
	jq := measure(func() { mapWithJQ(t, code, in) })

	for _, c := range []struct {
		name         string
		ratio, limit float64
	}{
		{"validate 10 items / JSON Schema only", ours10 / schema10, 0.5},
		{"validate 100 items / 10 items", ours100 / ours10, 12},
		{"pack mapping / hand-written Go", pack / hand, 1.3},
		{"pack mapping / gojq", pack / jq, 1.0},
	} {
		t.Logf("%-40s %6.2f (target ≤ %.2f)", c.name, c.ratio, c.limit)
		if c.ratio > c.limit*slack {
			t.Errorf("%s: ratio %.2f is over the target %.2f by more than %.1f×",
				c.name, c.ratio, c.limit, slack)
		}
	}
}

// measure returns the time of one call of fn in nanoseconds.
func measure(fn func()) float64 {
	r := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			fn()
		}
	})
	return float64(r.NsPerOp())
}
