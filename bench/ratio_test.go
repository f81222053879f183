package bench

import (
	"slices"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// TestRatios measures each comparison of BENCHMARKS.md in one run and
// checks the ratio against its target. Absolute times depend on the
// machine; a ratio of two measurements taken in turns much less so.
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

	validate10 := func() { v.JSON(req10, model.Sell) }
	validate100 := func() { v.JSON(req100, model.Sell) }
	schema10 := func() { _ = schemaValidate(sch, req10) }
	pack := func() { mapWithPack(t, m, in) }
	hand := func() { _, _ = MapOzonByHand(in) }
	jq := func() { mapWithJQ(t, code, in) }

	for _, c := range []struct {
		name         string
		ratio, limit float64
	}{
		{"validate 10 items / JSON Schema only", pairRatio(validate10, schema10), 0.5},
		{"validate 100 items / 10 items", pairRatio(validate100, validate10), 12},
		{"pack mapping / hand-written Go", pairRatio(pack, hand), 1.3},
		{"pack mapping / gojq", pairRatio(pack, jq), 1.0},
	} {
		t.Logf("%-40s %6.2f (target ≤ %.2f)", c.name, c.ratio, c.limit)
		if c.ratio > c.limit*slack {
			t.Errorf("%s: ratio %.2f is over the target %.2f by more than %.1f×",
				c.name, c.ratio, c.limit, slack)
		}
	}
}

// rounds and slice set how pairRatio measures: seven turns of each side,
// 150 ms a turn, about two seconds a comparison.
const (
	rounds = 7
	slice  = 150 * time.Millisecond
)

// pairRatio returns the time of a over the time of b. The two are measured
// in turns, and the figure is the median of the turns' ratios: a burst of
// other work on the machine then spoils a turn or two, not the result.
func pairRatio(a, b func()) float64 {
	r := make([]float64, rounds)
	for i := range r {
		r[i] = nsPerOp(a) / nsPerOp(b)
	}
	slices.Sort(r)
	return r[rounds/2]
}

// nsPerOp runs fn for one slice of time, after one call to warm it, and
// returns the nanoseconds of one call.
func nsPerOp(fn func()) float64 {
	fn()
	n, start := 0, time.Now()
	for time.Since(start) < slice {
		fn()
		n++
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}
