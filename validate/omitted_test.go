package validate_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// unknownKeys returns the base request with n unknown keys in its
// receipt: n problems for the decoder.
func unknownKeys(t testing.TB, n int) []byte {
	var b strings.Builder
	for i := range n {
		b.WriteString(`"x` + strconv.Itoa(i) + `":1,`)
	}
	return []byte(strings.Replace(string(baseJSON(t)), `"receipt":{`,
		`"receipt":{`+b.String(), 1))
}

// TestProblemsOmitted checks that a listing cut at the decoder's limit
// says so, last, with the number left out; and that one within the limit
// does not.
func TestProblemsOmitted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    func(t testing.TB) []byte
		listed  int // unknown_field violations
		omitted string
	}{
		{"within the limit", func(t testing.TB) []byte { return unknownKeys(t, 1000) },
			1000, ""},
		{"over the limit", func(t testing.TB) []byte { return unknownKeys(t, 1500) },
			1000, "500 more decoding problems are not listed (the first 1000 are)"},
		{"over the limit, then broken", func(t testing.TB) []byte {
			d := unknownKeys(t, 1200)
			return d[:len(d)-1]
		}, 1000, "more decoding problems are not listed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, res := validate.JSON(tt.data(t), model.Sell)
			n := 0
			for _, v := range res.Violations {
				if v.Code == model.CodeUnknownField {
					n++
				}
			}
			last := res.Violations[len(res.Violations)-1]
			got := ""
			if last.Code == validate.CodeProblemsOmitted {
				got = last.MessageEN
			}
			if n != tt.listed || !strings.Contains(got, tt.omitted) ||
				(tt.omitted == "") != (got == "") {
				t.Fatalf("%d listed, last %v; want %d and %q", n, last, tt.listed, tt.omitted)
			}
			if got != "" && (last.Severity != validate.Error || last.Path != "" ||
				!strings.Contains(last.MessageRU, "не перечислено")) {
				t.Fatalf("omitted violation %+v", last)
			}
		})
	}
}
