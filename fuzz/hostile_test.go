package fuzz

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/validate"
)

// base is a valid sell request; the hostile cases edit it.
const base = `{"timestamp":"04.12.2026 10:15:00","external_id":"h-1","receipt":{` +
	`"client":{"email":"buyer@example.test"},"company":{"email":"shop@example.test",` +
	`"sno":"osn","inn":"7701493822","payment_address":"https://shop.example.test"},` +
	`"items":[{"name":"NAME","price":PRICE,"quantity":QTY,"measure":0,"sum":SUM,` +
	`"payment_method":"full_payment","payment_object":1,"vat":{"type":"none"}}],` +
	`"payments":[{"type":1,"sum":SUM}],"total":SUM}}`

func request(name, price, qty, sum string) []byte {
	return []byte(strings.NewReplacer("NAME", name, "PRICE", price, "QTY", qty,
		"SUM", sum).Replace(base))
}

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileRequests feeds the validator documents built to hurt it. Each
// must come out with a clear violation at the right path, and the memory
// it takes must stay a small multiple of the input's size.
func TestHostileRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds inputs of several megabytes")
	}
	bigItems := func() []byte {
		item := `{"name":"Товар","price":1.00,"quantity":1,"measure":0,"sum":1.00,` +
			`"payment_method":"full_payment","payment_object":1,"vat":{"type":"none"}}`
		n := 10 << 20 / len(item) // about 10 MB of items
		total := strconv.Itoa(n) + ".00"
		doc := string(request("x", "1.00", "1", total))
		one := doc[strings.Index(doc, `{"name"`):strings.Index(doc, `],"payments"`)]
		return []byte(strings.Replace(doc, one, strings.Repeat(item+",", n-1)+item, 1))
	}
	for _, tc := range []struct {
		name  string
		input func() []byte
		code  string
		path  string
	}{
		{"10 MB of items", bigItems, "count", "receipt.items"},
		{"deep nesting", func() []byte {
			return []byte(`{"receipt":` + strings.Repeat("[", 100000) +
				strings.Repeat("]", 100000) + `}`)
		}, model.CodeTooDeep, "receipt"},
		{"one-megabyte name", func() []byte {
			return request(strings.Repeat("я", 1<<20), "1.00", "1", "1.00")
		}, "length", "receipt.items[0].name"},
		{"129 characters with combining marks", func() []byte {
			return request(strings.Repeat("е\u0301", 64)+"x", "1.00", "1", "1.00")
		}, "length", "receipt.items[0].name"},
		{"NUL in a name", func() []byte { return request(`Ко\u0000фе`, "1.00", "1", "1.00") },
			model.CodeControl, "receipt.items[0].name"},
		{"price past the limit", func() []byte {
			return request("x", "42949672.96", "1", "42949672.96")
		}, "money_range", "receipt.items[0].price"},
		{"price with three decimals", func() []byte {
			return request("x", "1.005", "1", "1.01")
		}, "money_scale", "receipt.items[0].price"},
		{"quantity past the limit", func() []byte {
			return request("x", "0.01", "100000", "1000.00")
		}, "quantity_range", "receipt.items[0].quantity"},
		{"quantity with four decimals", func() []byte {
			return request("x", "100.00", "1.0005", "100.05")
		}, "quantity_scale", "receipt.items[0].quantity"},
		{"huge exponent", func() []byte { return request("x", "1e999999", "1", "1.00") },
			model.CodeBadNumber, "receipt.items[0].price"},
		{"20-digit amount", func() []byte {
			return request("x", "12345678901234567890", "1", "12345678901234567890")
		}, "money_range", "receipt.items[0].price"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.input()
			var res validate.Result
			alloc := allocated(func() { _, res = validate.JSON(in, "") })
			found := false
			for _, v := range res.Violations {
				if v.Code == tc.code && v.Path == tc.path {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s at %q; got %d violations, first %v", tc.code, tc.path,
					len(res.Violations), first(res.Violations))
			}
			// Memory is bounded by the input: 40 bytes allocated per byte
			// read, plus a fixed allowance for small inputs.
			if limit := 40*uint64(len(in)) + 4<<20; alloc > limit {
				t.Errorf("allocated %d bytes for %d bytes of input (limit %d)",
					alloc, len(in), limit)
			}
		})
	}
}

// The boundaries themselves are valid.
func TestBoundaryValues(t *testing.T) {
	for _, tc := range []struct{ price, qty, sum string }{
		{"42949672.95", "1", "42949672.95"},
		{"10.00", "0.001", "0.01"},
		{"1.00", "99999.999", "100000.00"},
		{"1e2", "1", "100.00"},
		{"0.10", "3", "0.30"},
	} {
		in := request("x", tc.price, tc.qty, tc.sum)
		if _, res := validate.JSON(in, ""); !res.Valid() {
			t.Errorf("%s × %s = %s: %v", tc.price, tc.qty, tc.sum, res.Violations)
		}
	}
}

// TestHostilePacks loads rule packs built to hurt the loader: each is
// refused with an error at a position.
func TestHostilePacks(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
	}{
		{"alias bomb", "a: &a [x, x, x, x, x, x, x, x, x]\n" +
			"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b]\n"},
		{"deep YAML", strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"},
		{"deep expression", "name: x\noperation: '" + strings.Repeat("(", 100000) + `"sell"` +
			strings.Repeat(")", 100000) + "'\n"},
		{"tab indentation", "name: x\n\toperation: 1\n"},
		{"not a mapping", "- a\n- b\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.Load("hostile.yaml", []byte(tc.src))
			if err == nil {
				t.Fatal("loaded")
			}
			for _, e := range rules.AsList(err) {
				if e.Line < 1 || e.Column < 1 {
					t.Errorf("error without a position: %v", e)
				}
			}
			if len(rules.AsList(err)) == 0 {
				t.Errorf("error is not a located pack error: %v", err)
			}
		})
	}
}

func first(vs []validate.Violation) any {
	if len(vs) == 0 {
		return nil
	}
	return vs[0]
}
