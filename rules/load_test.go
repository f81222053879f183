package rules

import (
	"os"
	"strings"
	"testing"
	"time"
)

const minimal = `name: t
operation: '"sell"'
request:
  receipt:
    items:
      - each: doc.lines
        fields:
          name: trim(line.name)
          price: dec(line.price)
          quantity: 1
`

func TestLoadMinimal(t *testing.T) {
	p, err := Load("t.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if p.Items == nil || len(p.Items.Groups) != 1 || p.Items.Groups[0].Each == nil {
		t.Fatalf("items: %+v", p.Items)
	}
	if p.Input.Format != "json" || !p.Split {
		t.Errorf("defaults: %+v split=%v", p.Input, p.Split)
	}
}

// An error inside an expression points at its place in the YAML for every
// style of scalar.
func TestExpressionPositions(t *testing.T) {
	for _, tc := range []struct {
		name, field string
		line, col   int
	}{
		{"plain", `price: dec(line.price) + "x"`, 9, 34},
		{"single quoted", `price: 'dec(line.price) + "x"'`, 9, 35},
		{"double quoted", `price: "dec(line.price) + 'x'"`, 9, 35},
		{"literal block", "price: |\n            dec(line.price)\n              + \"x\"", 11, 15},
		{"literal block, first line", "price: |\n            nope(line.price)", 10, 13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(minimal, "price: dec(line.price)", tc.field, 1)
			_, err := Load("t.yaml", []byte(src))
			list := AsList(err)
			if len(list) != 1 {
				t.Fatalf("want one error, got %v", err)
			}
			if e := list[0]; e.Line != tc.line || e.Column != tc.col {
				t.Errorf("at %d:%d, want %d:%d\n%v", e.Line, e.Column, tc.line, tc.col, e)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"not a mapping", "- a\n", "a pack is a YAML mapping"},
		{"no operation", "name: x\nrequest: {receipt: {items: []}}\n", "has no operation"},
		{"unknown top key", minimal + "skp: []\n", `did you mean "skip"?`},
		{"unknown param key", minimal + "params: {x: {type: string, defalt: 1}}\n", `"default"?`},
		{"overlapping params", minimal + "params: {a: {}, a.b: {}}\n", "overlap"},
		{"bad delimiter", minimal + "input: {format: csv, delimiter: ';;'}\n", "one character"},
		{"documents with csv", minimal + "input: {format: csv, documents: input}\n",
			"CSV rows are the documents"},
		{"element with json", minimal + "input: {element: Doc}\n", "element is for xml"},
		{"let shadowing a builtin", minimal + "let: {len: dec(1)}\n", "builtin function"},
		{"line outside each", strings.Replace(minimal, `'"sell"'`, "str(line)", 1),
			"unknown name line"},
		{"items outside the receipt scope", strings.Replace(minimal, `'"sell"'`,
			"str(total)", 1), "unknown name total"},
		{"discountable outside items", minimal + "    payments:\n      - fields: {type: 1}\n" +
			"        discountable: true\n", "only items have discountable"},
		{"a list given for an object", strings.Replace(minimal, "receipt:",
			"service: [1]\n  receipt:", 1), "single value, not a list"},
		{"a literal for text", strings.Replace(minimal, "quantity: 1", "quantity: 1\n"+
			"          payment_method: 7", 1), "quoted expression"},
		{"too many nodes", strings.Replace(minimal, "dec(line.price)",
			"dec(line.price)"+strings.Repeat(" + 1", 1100), 1), "exceeds maximum allowed nodes"},
		{"split not a bool", minimal + "split: maybe\n", "split is true or false"},
		{"test without expect", minimal + "tests: [{name: a, document: {}}]\n", "needs expect"},
		{"two tests of one name", minimal + "tests: [{name: a, document: {}, expect: {}}, " +
			"{name: a, document: {}, expect: {}}]\n", "two tests are named"},
		{"a YAML number that JSON lacks", minimal + "tests: [{document: {a: 0x1F}, " +
			"expect: {}}]\n", "not a JSON number"},
		{"a misspelt expected field", minimal + "tests: [{document: {}, expect: {receipts: " +
			"[{receipt: {totl: 999}}]}}]\n", `unknown key "totl"; here a test compares ` +
			`items, payments, total, client; did you mean "total"?`},
		{"a misspelt item field", minimal + "tests:\n  - document: {}\n    expect:\n" +
			"      receipts:\n        - receipt:\n            items: [{nme: a}]\n",
			`t.yaml:16:22: tests.expect.receipts: unknown key "nme"`},
		{"a misspelt skip field", minimal + "tests: [{document: {}, expect: {skipped: " +
			"[{id: a, reson: x}]}}]\n", `unknown key "reson"`},
		{"an unknown kind of marking code", minimal + "tests: [{document: {}, expect: " +
			"{receipts: [{receipt: {items: [{mark_code: {gs1: x}}]}}]}}]\n",
			`unknown kind of marking code "gs1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("t.yaml", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			for _, e := range AsList(err) {
				if e.Line < 1 {
					t.Errorf("no position: %#v", e)
				}
			}
		})
	}
}

// A pack's expressions run within a memory budget: a range of a million
// elements is refused at run time, not allocated.
func TestMemoryBudget(t *testing.T) {
	src := strings.Replace(minimal, "trim(line.name)", "str(len(1..2000000))", 1)
	p, err := Load("t.yaml", []byte(src), WithLimits(0, 10_000))
	if err != nil {
		t.Fatal(err)
	}
	e := p.Items.Groups[0].Elem.Fields[0].Expr
	_, err = e.Eval(p.Machine(), Env{NameLine: map[string]any{}, NameParams: map[string]any{}})
	if err == nil || !strings.Contains(err.Error(), "memory budget exceeded") {
		t.Fatalf("want the budget exceeded, got %v", err)
	}
}

func TestParamValues(t *testing.T) {
	p, err := Load("t.yaml", []byte(minimal+`params:
  company.inn: {type: string, default: "5544332219"}
  rate: {type: decimal}
  strict: {type: bool, default: true}
  count: {type: int, default: 3}
`))
	if err != nil {
		t.Fatal(err)
	}
	v, err := p.ParamValues(map[string]string{"rate": "90,5"})
	if err != nil {
		t.Fatal(err)
	}
	if v["company"].(map[string]any)["inn"] != "5544332219" ||
		!v["rate"].(Decimal).Equal(d("90.5")) ||
		v["strict"] != true || v["count"] != 3 {
		t.Errorf("params = %v", v)
	}
	if _, err := p.ParamValues(map[string]string{"rat": "1"}); err == nil ||
		!strings.Contains(err.Error(), `did you mean "rate"?`) {
		t.Errorf("unknown parameter: %v", err)
	}
	if _, err := p.ParamValues(map[string]string{"count": "x"}); err == nil {
		t.Error("a bad int was accepted")
	}
}

func TestBuiltins(t *testing.T) {
	names := BuiltinNames()
	if len(names) < 12 {
		t.Fatalf("built-in packs: %v", names)
	}
	for _, n := range names {
		p, err := Builtin(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if p.Name != n || !p.Builtin || len(p.Tests) == 0 || p.Description == "" {
			t.Errorf("%s: name %q, builtin %v, %d tests", n, p.Name, p.Builtin, len(p.Tests))
		}
		for _, pr := range p.Params {
			if pr.Doc == "" {
				t.Errorf("%s: parameter %s has no doc", n, pr.Name)
			}
		}
	}
	if _, err := Open("no-such-pack"); err == nil {
		t.Error("Open of an unknown pack succeeded")
	}
}

// Loading arbitrary text never panics, and every error has a position.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("name: x\noperation: '\"sell\"'\nrequest: {receipt: {items: [{fields: {}}]}}"))
	f.Add([]byte("a: &a [*a]"))
	for _, n := range BuiltinNames() {
		src, _ := BuiltinSource(n)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic("Load took more than 5s")
			}
		}()
		_, err := Load("fuzz.yaml", data)
		close(done)
		for _, e := range AsList(err) {
			if e.Line < 1 || e.Column < 1 {
				t.Fatalf("error without a position: %#v", e)
			}
		}
	})
}

// A pack is one YAML document. Everything after a second --- used to be
// left unread without a word (its skip rules never applied); it is refused
// where that document starts. A --- before the pack, or one at the end with
// nothing but a comment after it, leaves nothing out.
func TestOneDocument(t *testing.T) {
	end := strings.Count(minimal, "\n") + 1
	for _, tc := range []struct {
		name, src string
		line, col int // 0: the pack loads
	}{
		{"a second document", minimal + "---\nskip:\n  - {when: 'true', reason: '\"x\"'}\n",
			end, 1},
		{"a second pack", minimal + "--- # the refunds\n" + minimal, end, 1},
		{"a third document after an empty one", minimal + "---\n---\nname: u\n", end + 1, 1},
		{"a second document that is not YAML", minimal + "---\n{\n", end + 1, 1},
		{"--- before the pack", "---\n" + minimal, 0, 0},
		{"--- at the end", minimal + "---\n", 0, 0},
		{"--- and a comment at the end", minimal + "---\n# nothing more\n", 0, 0},
		{"... at the end", minimal + "...\n", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("t.yaml", []byte(tc.src))
			if tc.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			list := AsList(err)
			if len(list) != 1 || list[0].Line != tc.line || list[0].Column != tc.col ||
				list[0].Snippet == "" {
				t.Fatalf("want one error at %d:%d, got %v", tc.line, tc.col, err)
			}
		})
	}
}

// A check that reads the order document runs only while mapping, and $env
// reaches the document as doc does. The $env the compiler passes to the
// functions that charge the budget (str, +) is not the pack's reading it.
func TestCheckSource(t *testing.T) {
	for _, tc := range []struct {
		assert string
		source bool
	}{
		{`total > 0`, false},
		{`str(total) + "x" != "" && upper(str(total)) != ""`, false},
		{`doc.paid != nil`, true},
		{`rate > 0`, true},
		{`$env["doc"] != nil`, true},
		{`len(keys($env)) > 0`, true},
		{`$env?.number > 0`, true},
	} {
		t.Run(tc.assert, func(t *testing.T) {
			src := minimal + "let:\n  rate: dec(1)\nchecks:\n  - code: c\n    assert: '" +
				tc.assert + "'\n    message: '\"m\"'\n"
			p, err := Load("t.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Checks[0].Source; got != tc.source {
				t.Errorf("Source = %v, want %v", got, tc.source)
			}
		})
	}
}

// A pack is read to one byte past its limit and no further: a path that
// never ends (/dev/zero) is refused as too large, not read until memory
// runs out.
func TestLoadFileBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	done := make(chan error, 1)
	go func() {
		_, err := LoadFile("/dev/zero")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "pack larger than 4 MiB") {
			t.Fatalf("want the pack refused as too large, got %.200v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("reading /dev/zero did not stop")
	}
	data, err := ReadPack(strings.NewReader(strings.Repeat("x", 5<<20)))
	if err != nil || len(data) != maxPackSize+1 {
		t.Errorf("ReadPack read %d bytes, %v", len(data), err)
	}
}
