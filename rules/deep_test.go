package rules

import (
	"fmt"
	"strings"
	"testing"
)

// sharedLists are lets a0..a40 and b0..b40, each a list of two of the one
// before: cheap to build (the halves are shared), but 2^40 leaves deep.
func sharedLists() []let {
	var lets []let
	for _, v := range []string{"a", "b"} {
		lets = append(lets, let{v + "0", "[1]"})
		for i := 1; i <= 40; i++ {
			prev := fmt.Sprintf("%s%d", v, i-1)
			lets = append(lets, let{fmt.Sprintf("%s%d", v, i), "[" + prev + ", " + prev + "]"})
		}
	}
	return lets
}

// Whatever goes through a whole value (comparing it, looking for it, taking
// its least element) is charged a step for each part of the value it goes
// through: lists that share their halves are cheap to build and have 2^40
// leaves, and going through them must fail at the expression, not spin for
// hours.
func TestDeepValuesCharged(t *testing.T) {
	for _, tc := range []struct{ expr, at, want string }{
		{`a40 == b40`, "==", "step budget exceeded"},
		{`a40 != b40`, "!=", "step budget exceeded"},
		{`b40 in [a40]`, "in", "step budget exceeded"},
		{`[b40] in [[a40]]`, "in", "step budget exceeded"},
		{`uniq([a40, b40])`, "uniq", "step budget exceeded"},
		{`count([a40, a40], # == b40)`, "==", "step budget exceeded"},
		{`findIndex([a40], # == b40)`, "==", "step budget exceeded"},
		{`{x: a40} == {x: b40}`, "==", "step budget exceeded"},
		{`max(a40)`, "a40", "step budget exceeded"},
		{`min(a40, 1)`, "a40", "step budget exceeded"},
		{`mean(a40)`, "a40", "step budget exceeded"},
		{`median(a40)`, "a40", "step budget exceeded"},
		{`sort([a40, b40])`, "", ""},
		{`groupBy([1], a40)`, "", ""},
		{`toJSON(a40)`, "toJSON", "step budget exceeded"},
		{`string(a40)`, "string", "step budget exceeded"},
		{`flatten(a40)`, "a40", "budget exceeded"},
		{`reduce(1..40, [#acc, #acc], [1]) == reduce(1..40, [#acc, #acc], [1])`, "==",
			"step budget exceeded"},
		{`reduce(1..20000, [#acc], [1]) == reduce(1..20000, [#acc], [1])`, "==",
			"nested deeper than 10000"},
		// A list nested far deeper than any document, built within the
		// budget: the writers and walkers refuse it before they recurse.
		{`toJSON(reduce(1..400000, [#acc], [1]))`, "toJSON", "nested deeper than 10000"},
		{`string(reduce(1..400000, [#acc], [1]))`, "string", "nested deeper than 10000"},
		{`flatten(reduce(1..400000, [#acc], [1]))`, "reduce", "nested deeper than 10000"},
		{`max(reduce(1..400000, [#acc], [1]))`, "reduce", "nested deeper than 10000"},
		{`fromPairs([[a40]])`, "[[a40]]", "budget exceeded"},
		{`fromPairs(reduce(1..400000, [#acc], [1]))`, "reduce", "nested deeper than 10000"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			lets := append(sharedLists(), let{"x", tc.expr})
			src, pos := letPack(lets)
			p, err := Load("t.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			err = runLets(p, Env{NameParams: map[string]any{}})
			if tc.want == "" {
				// refused by expr as a type error, quickly
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			list := AsList(err)
			if len(list) != 1 || !strings.Contains(list[0].Msg, tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			want := pos[len(lets)-1]
			want.Column += strings.Index(tc.expr, tc.at)
			if e := list[0]; e.Pos != want || e.Snippet == "" {
				t.Errorf("at %v, want %v\n%v", e.Pos, want, e)
			}
		})
	}
}
