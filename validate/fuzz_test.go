package validate_test

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/validate"
)

// FuzzJSON: whatever the bytes, validation returns, every violation has a
// catalogued code, and an invalid result says why.
func FuzzJSON(f *testing.F) {
	f.Add(requestJSON(f, base()))
	f.Add(requestJSON(f, baseCorrection()))
	f.Add(requestJSON(f, benchRequest(6)))
	f.Add([]byte(`{"receipt":{"items":[{"mark_code":{"gs1m":"%%"}}]}}`))
	f.Add([]byte(`{"operation":"buy","request":{"correction":{}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, res := validate.JSON(data, "")
		for _, v := range res.Violations {
			if _, ok := validate.Lookup(v.Code); !ok {
				t.Fatalf("uncatalogued code %q", v.Code)
			}
			if v.MessageRU == "" || v.MessageEN == "" {
				t.Fatalf("empty message for %s", v.Code)
			}
		}
		if !res.Valid() && len(res.Errors()) == 0 {
			t.Fatal("invalid without errors")
		}
	})
}
