package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/expr-lang/expr/ast"
)

// let is a let of a test pack: a name and its expression.
type let struct{ name, expr string }

// letPack is minimal with lets, and where each let's expression starts:
// its line, and the column of its first character.
func letPack(lets []let) (string, []Pos) {
	var b strings.Builder
	b.WriteString(minimal + "let:\n")
	line := strings.Count(minimal, "\n") + 2
	pos := make([]Pos, len(lets))
	for i, l := range lets {
		fmt.Fprintf(&b, "  %s: '%s'\n", l.name, l.expr)
		pos[i] = Pos{File: "t.yaml", Line: line + i, Column: len(l.name) + 6}
	}
	return b.String(), pos
}

// runLets evaluates the pack's lets in order in one environment, as mapping
// a document does.
func runLets(p *Pack, env Env) error {
	m := p.Machine()
	for _, l := range p.Let {
		v, err := l.Expr.Eval(m, env)
		if err != nil {
			return err
		}
		env[l.Name] = v
	}
	return nil
}

func doubling(n int, first, op string) []let {
	lets := []let{{"a0", first}}
	for i := 1; i <= n; i++ {
		prev := fmt.Sprintf("a%d", i-1)
		lets = append(lets, let{fmt.Sprintf("a%d", i), prev + " " + op + " " + prev})
	}
	return lets
}

func manyLets(n int, expr string) []let {
	lets := make([]let, n)
	for i := range lets {
		lets[i] = let{fmt.Sprintf("l%d", i), expr}
	}
	return lets
}

// Whatever an expression builds is charged to the document's budget before
// it is built: text of any size from a pack of a few lines (repeat of a
// repeat, a let doubling the one before, join, replace, upper), lists kept
// in many lets, numbers whose digits double, and loops that build nothing
// but would run for hours are refused with an error at the expression, not
// allocated until the process dies. The first cases keep the default
// budget; the rest use a small one, so that what they would build without
// it stays small too.
func TestDocumentBudget(t *testing.T) {
	small := WithBudget(Budget{Memory: 100_000, Text: 1 << 20, Steps: 1_000_000})
	for _, tc := range []struct {
		name  string
		lets  []let
		small bool
		want  string
		// the let that fails (its index) and the text in its expression
		// the error points at
		fails int
		at    string
	}{
		{name: "repeat of a repeat", lets: []let{{"s", `repeat("x", 900000)`},
			{"t", `repeat(s, 40)`}}, want: "repeat: memory budget exceeded", fails: 1},
		{name: "repeat reached with ::", lets: []let{{"s", `repeat("x", 900000)`},
			{"t", `::repeat(s, 40)`}}, want: "repeat: memory budget exceeded", fails: 1,
			at: "repeat"},
		{name: "lets that double a text", lets: doubling(23, `"xxxxxxxxxxxxxxxx"`, "+"),
			want: "+: memory budget exceeded", fails: 21, at: "+"},
		{name: "+ in a loop", lets: []let{{"s", `repeat("x", 900000)`},
			{"t", `reduce(1..40, #acc + s, "")`}}, want: "+: memory budget exceeded",
			fails: 1, at: "+"},
		{name: "lists kept in lets", lets: manyLets(6, "map(1..400000, #)"),
			want: "were left of the 4000000 a document", fails: 4},
		{name: "numbers whose digits double", lets: doubling(10, `dec("99999999999")`, "*"),
			want: "*: the result has 352 digits; at most 200", fails: 5, at: "*"},
		{name: "a number far from its point",
			lets: []let{{"a", `dec("1e-60") * dec("1e-60") * dec("1e-60") * dec("1e-61")`}},
			want: "*: the result has 241 decimal places", at: `* dec("1e-61")`},
		{name: "a loop in a loop", lets: []let{{"n",
			`let xs = 1..10000; count(xs, count(xs, # == 0) > 0)`}},
			want: "a loop: step budget exceeded", at: "xs, # == 0"},
		{name: "a list written out, in a loop", lets: []let{{"n", `count(1..100000, any([` +
			strings.Repeat("0, ", 500) + `0], # == 1))`}}, want: "a loop: step budget exceeded",
			at: "[0"},
		{name: "in through a list in a loop", lets: []let{{"n",
			`let xs = 1..8000; count(xs, # in xs)`}}, want: "a search: step budget exceeded",
			at: "xs)"},
		{name: "contains through a long text in a loop", lets: []let{
			{"s", `repeat("x", 900000)`}, {"n", `count(1..20000, s contains "y")`}},
			want: "a search: step budget exceeded", fails: 1, at: "s contains"},

		{name: "join", small: true, lets: []let{{"s", `repeat("x", 100000)`},
			{"j", `join(map(1..20, s))`}}, want: "join: memory budget exceeded", fails: 1},
		{name: "replace", small: true, lets: []let{{"s", `repeat("x", 400000)`},
			{"r", `replace(s, "x", "yy")`}}, want: "replace: memory budget exceeded",
			fails: 1},
		{name: "upper", small: true, lets: []let{{"s", `repeat("x", 100000)`},
			{"u", `map(1..20, upper(s))`}}, want: "upper: memory budget exceeded", fails: 1,
			at: "upper"},
		{name: "lower", small: true, lets: []let{{"s", `repeat("X", 100000)`},
			{"u", `map(1..20, lower(s))`}}, want: "lower: memory budget exceeded", fails: 1,
			at: "lower"},
		{name: "string", small: true, lets: []let{{"s", `repeat("x", 100000)`},
			{"u", `string(map(1..20, s))`}}, want: "string: memory budget exceeded",
			fails: 1},
		{name: "toJSON", small: true, lets: []let{{"s", `repeat("x", 100000)`},
			{"u", `toJSON(map(1..20, s))`}}, want: "toJSON: memory budget exceeded",
			fails: 1},
		{name: "toBase64", small: true, lets: []let{{"s", `repeat("x", 300000)`},
			{"u", `map(1..4, toBase64(s))`}}, want: "toBase64: memory budget exceeded",
			fails: 1, at: "toBase64"},
		{name: "str of numbers", small: true, lets: []let{
			{"u", `map(1..40000, str(dec("1e-60")))`}},
			want: "str: memory budget exceeded", at: "str"},
		{name: "split", small: true, lets: []let{{"s", `repeat("x,", 60000)`},
			{"u", `map(1..2, split(s, ","))`}}, want: "split: memory budget exceeded",
			fails: 1, at: "split"},
		{name: "concat", small: true, lets: []let{{"xs", `1..30000`},
			{"u", `concat(xs, xs, xs, xs)`}}, want: "a copy of a list: memory budget",
			fails: 1, at: "xs, xs)"},
		{name: "flatten", small: true, lets: []let{{"xs", `1..1000`},
			{"u", `flatten(map(1..300, xs))`}}, want: "a walk through nested lists: memory budget exceeded",
			fails: 1, at: "map"},
		{name: "uniq", small: true, lets: []let{{"u", `uniq(1..3000)`}},
			want: "uniq: step budget exceeded", at: "..3000"},
		{name: "unnest", small: true, lets: []let{{"xs", `map(1..2000, #)`},
			{"u", `unnest(map(1..40, ({"k": xs})), "k")`}},
			want: "unnest: memory budget exceeded", fails: 1},
		{name: "keys", small: true, lets: []let{
			{"m", `parsejson("{" + join(map(1..10000, "\"" + str(#) + "\": 1"), ",") + "}")`},
			{"k", `map(1..6, keys(m))`}},
			want: "keys: memory budget exceeded", fails: 1, at: "keys"},
		{name: "parsejson", small: true, lets: []let{
			{"s", `"[" + repeat("0,", 100000) + "0]"`}, {"u", `parsejson(s)`}},
			want: "parsejson: memory budget exceeded", fails: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, pos := letPack(tc.lets)
			var opts []Option
			if tc.small {
				opts = append(opts, small)
			}
			p, err := Load("t.yaml", []byte(src), opts...)
			if err != nil {
				t.Fatal(err)
			}
			err = runLets(p, Env{NameParams: map[string]any{}})
			list := AsList(err)
			if len(list) != 1 || !strings.Contains(list[0].Msg, tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			want := pos[tc.fails]
			want.Column += strings.Index(tc.lets[tc.fails].expr, tc.at)
			if e := list[0]; e.Pos != want || e.Field != "let."+tc.lets[tc.fails].name ||
				e.Snippet == "" {
				t.Errorf("at %v %s, want %v let.%s\n%v", e.Pos, e.Field, want,
					tc.lets[tc.fails].name, e)
			}
		})
	}
}

// The budget is a document's: a new environment (transform clears its own
// for each document) starts a full one, and what one document spent does
// not count against the next.
func TestBudgetPerDocument(t *testing.T) {
	src, _ := letPack([]let{{"s", `repeat("x", 600000)`}})
	p, err := Load("t.yaml", []byte(src), WithBudget(Budget{Text: 1 << 20}))
	if err != nil {
		t.Fatal(err)
	}
	env := Env{}
	for doc := range 3 {
		clear(env)
		if err := runLets(p, env); err != nil {
			t.Fatalf("document %d: %v", doc+1, err)
		}
	}
	// Twice in one document is too much.
	if err := runLets(p, env); err == nil ||
		!strings.Contains(err.Error(), "memory budget exceeded") {
		t.Fatalf("want the budget exceeded, got %v", err)
	}
}

// The budget Eval keeps in the environment is not one of the names keys
// and values give, and an expression cannot name it.
func TestBudgetHidden(t *testing.T) {
	got, err := evalExpr(t, `keys($env)`, map[string]any{"a": "1"})
	if err != nil || show(got) != `["a"]` {
		t.Errorf("keys($env) = %s, %v", show(got), err)
	}
	if _, err := compileExpr(budgetKey, nil, nil); err == nil {
		t.Errorf("%s compiled", budgetKey)
	}
}

// The per-document memory budget reads how much of expr's budget an
// evaluation used from a field expr does not export; an upgrade that
// renames it must be noticed.
func TestVMMemoryField(t *testing.T) {
	if vmMemory < 0 {
		t.Fatal("vm.VM has no memory field: the document's memory budget is not charged")
	}
	src, _ := letPack([]let{{"xs", `map(1..1000, #)`}})
	p, err := Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := p.Machine()
	env := Env{}
	if _, err := p.Let[0].Expr.Eval(m, env); err != nil {
		t.Fatal(err)
	}
	if left := env[budgetKey].(*budget).memory; left > defaultDocMemory-2000 {
		t.Errorf("%d units left after building 2000", left)
	}
}

// Every element of an each's source list becomes an item of the request
// (three values here: name, price and quantity), so the list is charged
// for what the template will make of it when it is made.
func TestEachOutputCharged(t *testing.T) {
	src := strings.Replace(minimal, "each: doc.lines", "each: '1..200000'", 1)
	p, err := Load("t.yaml", []byte(src), WithBudget(Budget{Memory: 500_000}))
	if err != nil {
		t.Fatal(err)
	}
	each := p.Items.Groups[0].Each
	_, err = each.Eval(p.Machine(), Env{})
	list := AsList(err)
	if len(list) != 1 || !strings.Contains(list[0].Msg, "each: memory budget exceeded: it "+
		"would build 600000") || list[0].Line != 6 || list[0].Column != 16 ||
		list[0].Field != "request.receipt.items.each" {
		t.Fatalf("want the list refused at 6:16, got %v", err)
	}
}

// plusOnText finds + on text left to expr, which would join without
// charging the budget.
type plusOnText struct{ found []string }

func (p *plusOnText) Visit(node *ast.Node) {
	if b, ok := (*node).(*ast.BinaryNode); ok && b.Operator == "+" && isString(b) {
		p.found = append(p.found, b.String())
	}
}

// Every + that joins text becomes _cat, whatever its operands, so that no
// text is built uncharged.
func TestPlusOnTextCharged(t *testing.T) {
	env := map[string]any{"a": nil, "s": "", "c": true, "d": d("1")}
	for _, src := range []string{
		`str(a) + "x"`,
		`"x" + a.y`,
		`a.y + "x" + s`,
		`reduce(["a"], #acc + s, "")`,
		`(c ? "a" : str(d)) + "z"`,
		`let v = s + "a"; v + v`,
		`map(["a"], # + "b")`,
		`upper(s) + lower(s) + repeat(s, 2) + join([s]) + trim(s) + str(d * 2)`,
		`s + str(sum([d, d]))`,
		`"a" + "b" + "c" + s`,
		`trim(str(a) + " " + str(a) + " " + str(a))`,
	} {
		t.Run(src, func(t *testing.T) {
			e, err := compileExpr(src, env, nil)
			if err != nil {
				t.Fatal(err)
			}
			p := &plusOnText{}
			root := e.prog.Node()
			ast.Walk(&root, p)
			if len(p.found) > 0 {
				t.Errorf("+ on text left to expr: %v", p.found)
			}
		})
	}
}

// packExprs lists the expressions of a pack.
func packExprs(p *Pack) []*Expr {
	out := []*Expr{p.ID, p.Input.Documents, p.Input.Group, p.Operation, p.Discount}
	for _, l := range p.Let {
		out = append(out, l.Expr)
	}
	for _, r := range append(append([]Rule{}, p.Reject...), p.Skip...) {
		out = append(out, r.When, r.Reason)
	}
	for _, c := range p.Checks {
		out = append(out, c.When, c.Assert, c.Message, c.Expected, c.Actual)
	}
	var node func(n *Node)
	node = func(n *Node) {
		if n == nil {
			return
		}
		out = append(out, n.Expr)
		for _, f := range n.Fields {
			node(f)
		}
		for _, g := range n.Groups {
			out = append(out, g.Each, g.When, g.Discountable)
			node(g.Elem)
		}
	}
	node(p.Request)
	return slices.DeleteFunc(out, func(e *Expr) bool { return e == nil })
}

// No expression of a built-in pack joins text uncharged.
func TestBuiltinPacksCharged(t *testing.T) {
	for _, name := range BuiltinNames() {
		p, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range packExprs(p) {
			pt := &plusOnText{}
			root := e.prog.Node()
			ast.Walk(&root, pt)
			if len(pt.found) > 0 {
				t.Errorf("%s: %s: + on text left to expr: %v", name, e.Pos, pt.found)
			}
		}
	}
}
