package rules

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestDecimalBehaviour pins, row by row, the behaviours the engines
// reference (§3) found in expr with decimals, as they are in packs: where
// plain expr is wrong or surprising, the pack language must stay right,
// and an upgrade of expr that changes any of these must fail here.
func TestDecimalBehaviour(t *testing.T) {
	items := []Line{{Price: d("10.10"), Quantity: d("2")}, {Price: d("10.17"), Quantity: d("1")}}
	env := map[string]any{
		"a":     d("1.10"),
		"b":     d("1.100"),
		"c":     d("3"),
		"items": items,
		"none":  []Line{},
		"doc": map[string]any{"total": json.Number("5.55"), "qty": json.Number("3"),
			"big": json.Number("12345678901234567890"), "nested": map[string]any{}},
	}
	for _, tc := range []struct {
		row, src string
		want     string // the result, decimals with their scale
		compile  string // or text of the compile error
		run      string // or text of the run-time error
	}{
		{row: "+ - * overloaded and chained", src: "a + c - a", want: "3.00"},
		{row: "== compares values, not the struct (1.10 == 1.100)", src: "a == b", want: "true"},
		{row: "!= likewise", src: "a != b", want: "false"},
		{row: "decimal + int literal", src: "a + 1", want: "2.10"},
		{row: "decimal * float literal, from its text", src: "a * 0.1", want: "0.110"},
		{row: "unary minus", src: "-a", want: "-1.10"},
		{row: "unary minus over an overloaded operator", src: "-(a + c)", want: "-4.10"},
		{row: "unary minus inside a call", src: "round(-(a * c), 1)", want: "-3.3"},
		{row: "/ overloaded", src: "c / a", want: "2.7272727272727273"},
		{row: "< overloaded", src: "a < c", want: "true"},
		{row: ">= with an int", src: "c >= 3", want: "true"},
		{row: "sum over decimals is rewritten to dsum", src: "sum(items, .price * .quantity)",
			want: "30.37"},
		{row: "sum of a list of decimals", src: "sum([a, c])", want: "4.10"},
		{row: "map then dsum", src: "dsum(map(items, .price * .quantity))", want: "30.37"},
		{row: "reduce with #acc cannot be overloaded: refused at load",
			src: "reduce(items, #acc + .price, a)", compile: "#acc"},
		{row: "decimal + a document value: refused at load", src: "a + doc.total",
			compile: "mismatched types decimal and unknown"},
		{row: "... and fine once converted", src: "a + dec(doc.total)", want: "6.65"},
		{row: "int index next to decimals still works", src: "items[0].price * 2",
			want: "20.20"},
		{row: "int + int stays int", src: "1 + 2", want: "3"},
		{row: "text + text joins", src: `"a" + "b"`, want: "ab"},
		{row: "0.1 * 3 == 0.3 with float literals is exact", src: "0.1 * 3 == 0.3", want: "true"},
		{row: "round half away from zero, on the exact value", src: "round(0.285 * 100, 0)",
			want: "29"},
		{row: "a JSON number in arithmetic: refused at load", src: "doc.qty % 2",
			compile: "convert it with dec() or int()"},
		{row: "... and with int()", src: "int(doc.qty) % 2", want: "1"},
		{row: "a JSON number compared with a number: refused at load", src: "doc.qty == 3",
			compile: "never equal"},
		{row: "big JSON integers keep every digit", src: "dec(doc.big) + 1",
			want: "12345678901234567891"},
		{row: "int / int is an exact decimal, not a float", src: "7 / 2", want: "3.5"},
		{row: "int() does not truncate", src: "int(2.99)", run: "not a whole number"},
		{row: "a missing key is nil, and dec() says so", src: "dec(doc.missing)",
			run: "missing (nil)"},
		{row: "?? gives a default", src: "dec(doc.missing ?? 0)", want: "0"},
		{row: "fetching from nil fails at run time", src: "doc.missing.x",
			run: "cannot fetch x from <nil>"},
		{row: "?. does not", src: "doc.missing?.x == nil", want: "true"},
		{row: "get with a default", src: `get(doc, "nested.x", "none")`, want: "none"},
		{row: "has", src: `has(doc, "nested") && !has(doc, "nested.x")`, want: "true"},
		{row: "first of an empty list is nil", src: "first(none) == nil", want: "true"},
		{row: "an index past the end is an error, ?. notwithstanding", src: "none[0]?.price",
			run: "index out of range"},
		{row: "a decimal literal beside a decimal in a choice", src: "(a > 0 ? a : 0) * 2",
			want: "2.20"},
		{row: "and beside ??", src: "round((doc.missing != nil ? a : 0) * 2, 1)", want: "0.0"},
		{row: "binary floats never become money", src: "dec(float(1))",
			run: "binary float"},
	} {
		t.Run(tc.row, func(t *testing.T) {
			got, err := evalExpr(t, tc.src, env)
			switch {
			case tc.compile != "":
				if err == nil || !strings.Contains(err.Error(), tc.compile) {
					t.Fatalf("%s: want a load error containing %q, got %v, %v", tc.src,
						tc.compile, got, err)
				}
				if AsList(err) == nil {
					t.Errorf("the error is not a pack error: %v", err)
				}
			case tc.run != "":
				var e *Error
				if err == nil || !strings.Contains(err.Error(), tc.run) {
					t.Fatalf("%s: want a run-time error containing %q, got %v, %v", tc.src,
						tc.run, got, err)
				}
				if list := AsList(err); len(list) != 1 || list[0].Field != "test" {
					t.Errorf("the run-time error does not name its field: %#v", e)
				}
			case err != nil:
				t.Fatalf("%s: %v", tc.src, err)
			default:
				if s := show(got); s != tc.want {
					t.Errorf("%s = %s (%T), want %s", tc.src, s, got, tc.want)
				}
			}
		})
	}
}

func show(v any) string {
	switch x := v.(type) {
	case decimal.Decimal:
		return formatDec(x)
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}
