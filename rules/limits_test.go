package rules

import (
	"strings"
	"testing"
	"time"
)

// An expression too long or nested too deep is refused before expr's
// parser sees it: the parser recurses once per bracket and unary operator,
// and half a million of them overflowed the stack (a fatal error, not a
// panic). The error points at the place the nesting goes too deep.
func TestExpressionShapeLimits(t *testing.T) {
	price := func(expr string) string {
		return strings.Replace(minimal, "price: dec(line.price)", "price: '"+expr+"'", 1)
	}
	name := func(expr string) string {
		return strings.Replace(minimal, "name: trim(line.name)", "name: '"+expr+"'", 1)
	}
	nested := func(n int, open, inner, close string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	for _, tc := range []struct {
		name, src string
		want      string // "" means the pack loads
		line, col int
	}{
		{name: "500 000 parentheses", src: price(nested(500_000, "(", "dec(line.price)", ")")),
			want: "the expression is 1000015 bytes long; at most 16384", line: 9, col: 19},
		{name: "a million !", src: name(`str(` + strings.Repeat("!", 1_000_000) + `true)`),
			want: "at most 16384", line: 8, col: 18},
		{name: "101 parentheses", src: price(nested(101, "(", "dec(line.price)", ")")),
			want: "nested deeper than 100", line: 9, col: 19 + 100},
		{name: "100 parentheses", src: price(nested(99, "(", "dec(line.price)", ")"))},
		{name: "brackets of every kind", src: price("dsum(" + nested(60, "[",
			nested(60, "{a: ", "1", "}"), "]") + ")"), want: "nested deeper than 100",
			line: 9, col: 19 + 5 + 60 + 39*4},
		{name: "a run of 101 unary minus", src: price(strings.Repeat("-", 101) +
			"dec(line.price)"), want: "nested deeper than 100", line: 9, col: 19 + 100},
		{name: "unary operators inside parentheses",
			src:  name("str(" + nested(60, "!(", "true", ")") + ")"),
			want: "nested deeper than 100"},
		{name: "many unary operators one after another are not nested",
			src: name("str(" + strings.Repeat("!true && ", 200) + "true)")},
		{name: "text in quotes does not count",
			src: name(`"` + strings.Repeat("(", 300) + `"`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("t.yaml", []byte(tc.src))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			list := AsList(err)
			if len(list) != 1 || !strings.Contains(list[0].Msg, tc.want) {
				t.Fatalf("want one error containing %q, got %v", tc.want, err)
			}
			e := list[0]
			if tc.line != 0 && (e.Line != tc.line || e.Column != tc.col) {
				t.Errorf("at %d:%d, want %d:%d", e.Line, e.Column, tc.line, tc.col)
			}
			if e.Snippet == "" || e.Field == "" {
				t.Errorf("no snippet or field: %#v", e)
			}
			// The snippet shows the place, not the whole megabyte line.
			if n := len([]rune(e.Snippet)); n > 300 {
				t.Errorf("a snippet of %d characters", n)
			}
			if lines := strings.Split(e.Snippet, "\n"); len(lines) == 2 &&
				strings.Index(lines[1], "^") >= len([]rune(lines[0])) {
				t.Errorf("the caret is past the line:\n%s", e.Snippet)
			}
		})
	}
}

// YAML nested deeper than the compiler follows is reported as such, not as
// an alias.
func TestYAMLTooDeep(t *testing.T) {
	src := minimal + "tests:\n  - name: deep\n    document: " + strings.Repeat("[", 150) +
		strings.Repeat("]", 150) + "\n    expect: {}\n"
	_, err := Load("t.yaml", []byte(src))
	list := AsList(err)
	if len(list) != 1 || !strings.Contains(list[0].Msg, "nested deeper than 100") ||
		strings.Contains(list[0].Msg, "alias") || list[0].Line != 13 {
		t.Fatalf("want one error about the nesting on line 13, got %v", err)
	}
}

// now() and date() would make the output depend on the clock: without a
// clock they are errors when the pack loads, not "cannot call nil" when it
// runs.
func TestClockBuiltinsAtLoad(t *testing.T) {
	for _, tc := range []struct {
		expr  string
		clock bool
		want  string
	}{
		{expr: "str(now())", want: "now() needs a clock: "},
		{expr: `str(date("2026-01-01"))`, want: "date() is switched off"},
		{expr: `str(fromJSON("1.10"))`, want: "fromJSON() is switched off"},
		{expr: "str(now())", clock: true},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			src := strings.Replace(minimal, "trim(line.name)", "'"+tc.expr+"'", 1)
			var opts []Option
			clock := time.Date(2026, 2, 1, 7, 0, 0, 0, time.UTC)
			if tc.clock {
				opts = append(opts, WithClock(func() time.Time { return clock }))
			}
			p, err := Load("t.yaml", []byte(src), opts...)
			if tc.want != "" {
				list := AsList(err)
				if len(list) != 1 || !strings.Contains(list[0].Msg, tc.want) ||
					list[0].Line != 8 || list[0].Column != 22 {
					t.Fatalf("want one error at 8:22 containing %q, got %v", tc.want, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e := p.Items.Groups[0].Elem.Fields[0].Expr
			v, err := e.Eval(p.Machine(), Env{NameLine: map[string]any{},
				NameParams: map[string]any{}})
			if err != nil || v != "01.02.2026 10:00:00" {
				t.Errorf("now() = %v, %v", v, err)
			}
		})
	}
}

// Loading is linear in the number of let names: expr reads the whole
// environment for every expression it compiles, so each expression is
// given only the names it uses. 16 000 lets took 65 s when every let saw
// all the others.
func TestManyLets(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Replace(minimal, "dec(line.price)", "dec(line.price) + v15999", 1))
	b.WriteString("let:\n  v0: dec(1)\n")
	for i := 1; i < 16_000; i++ {
		b.WriteString("  v" + itoa(i) + ": v" + itoa(i-1) + " + 1\n")
	}
	start := time.Now()
	p, err := Load("t.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("loading 16 000 lets took %v", el)
	}
	if len(p.Let) != 16_000 {
		t.Errorf("%d lets", len(p.Let))
	}
	// A let still cannot see one defined after it.
	src := minimal + "let:\n  a: b\n  b: dec(1)\n"
	if _, err := Load("t.yaml", []byte(src)); err == nil ||
		!strings.Contains(err.Error(), "unknown name b") {
		t.Errorf("a let saw a later one: %v", err)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
