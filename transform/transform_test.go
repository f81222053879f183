package transform_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
	"github.com/evoreceipt/evoreceipt/validate"
)

const base = `name: t
params:
  vat: {type: string, default: none}
input:
  format: json
id: 'str(doc.id ?? "")'
operation: '"sell"'
request:
  external_id: str(doc.id)
  timestamp: ts(doc.date ?? "2026-02-01T10:00:00Z")
  receipt:
    client:
      email: '"a@example.com"'
    company:
      inn: '"5544332219"'
      sno: '"osn"'
      email: '"shop@example.com"'
      payment_address: '"https://shop.example"'
    items:
      - each: doc.lines
        fields:
          name: trim(line.name)
          price: dec(line.price)
          quantity: dec(line.qty ?? 1)
          measure: 0
          payment_method: '"full_payment"'
          payment_object: 1
          vat:
            type: params.vat
    payments:
      - type: 1
        sum: total
`

func mapper(t *testing.T, src string, set map[string]string) *transform.Mapper {
	t.Helper()
	p, err := rules.Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := transform.New(p, set)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMapOne(t *testing.T) {
	m := mapper(t, base, nil)
	res, err := m.Map([]byte(`{"id": "A1", "lines": [{"name": " Чай ", "price": "99.90", "qty": 2}]}`))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := model.Marshal(res[0].Document)
	want := `{"operation":"sell","request":{"timestamp":"01.02.2026 13:00:00","external_id":"A1",` +
		`"receipt":{"client":{"email":"a@example.com"},"company":{"email":"shop@example.com",` +
		`"sno":"osn","inn":"5544332219","payment_address":"https://shop.example"},"items":[` +
		`{"name":"Чай","price":99.90,"quantity":2,"measure":0,"sum":199.80,` +
		`"payment_method":"full_payment","payment_object":1,"vat":{"type":"none"}}],` +
		`"payments":[{"type":1,"sum":199.80}],"total":199.80}}}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	if r := validate.Request(res[0].Document.Operation, res[0].Document.Request); !r.Valid() {
		t.Errorf("invalid: %v", r.Violations)
	}
}

// A run-time error on bad input names the document, the field and the
// place in the YAML; the other documents are still mapped.
func TestRunTimeError(t *testing.T) {
	m := mapper(t, base, nil)
	in := `{"id": "A1", "lines": [{"name": "x", "price": "abc"}]}
{"id": "A2", "lines": [{"name": "y", "price": "1"}]}`
	res, err := m.Map([]byte(in))
	if len(res) != 2 || res[1].Err != nil || res[1].Document == nil {
		t.Fatalf("the second document was not mapped: %+v", res)
	}
	var de *transform.DocumentError
	if !errors.As(err, &de) || de.ID != "A1" || de.Index != 0 {
		t.Fatalf("want a DocumentError for A1, got %v", err)
	}
	var pe *rules.Error
	if !errors.As(err, &pe) || pe.Line != 23 || pe.Column != 18 ||
		pe.Field != "request.receipt.items.price" {
		t.Fatalf("want a pack error at 23:18 naming the field, got %#v", pe)
	}
	want := "transform: A1: t.yaml:23:18: request.receipt.items.price: " +
		`dec: "xxx" (masked: letters as x, digits as #) is not a number` +
		"\n  23 |           price: dec(line.price)\n" +
		strings.Repeat(" ", 24) + "^"
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant:\n%s", err, want)
	}
}

func TestMapBehaviour(t *testing.T) {
	for _, tc := range []struct {
		name, edit, input string
		err               string // text of the first document error
		check             func(t *testing.T, res []transform.Result)
	}{
		{name: "skip before reject", edit: "skip:\n  - when: doc.status == \"x\"\n" +
			"    reason: '\"skipped\"'\nreject:\n  - when: 'true'\n    reason: '\"no\"'\n",
			input: `{"id": "S", "status": "x"}`,
			check: func(t *testing.T, res []transform.Result) {
				if !res[0].Skipped || res[0].Reason != "skipped" || res[0].ID != "S" {
					t.Errorf("%+v", res[0])
				}
			}},
		{name: "reject", edit: "reject:\n  - when: 'true'\n    reason: '\"no rate\"'\n",
			input: `{"id": "R"}`, err: "transform: R: refused: no rate"},
		{name: "a failed let still names the document",
			edit: "let:\n  x: dec(doc.bad)\n", input: `{"id": "L1", "bad": "zz"}`,
			err: `transform: L1: t.yaml:34:6: let.x: dec: "xx" ` +
				`(masked: letters as x, digits as #) is not a number`},
		{name: "a line without price or sum",
			edit: "", input: `{"id": "P", "lines": [{"name": "x"}]}`,
			err: `dec: the value is missing (nil)`},
		{name: "each over an object", input: `{"id": "E", "lines": {"name": "x"}}`,
			err: "want a list, got an object"},
		{name: "each over nothing", input: `{"id": "E"}`, err: "the source list is missing"},
		{name: "an empty optional object stays absent",
			edit: "#mark", input: `{"id": "M", "lines": [{"name": "x", "price": "1"}]}`,
			check: func(t *testing.T, res []transform.Result) {
				if res[0].Document.Request.Receipt.Items[0].MarkCode != nil {
					t.Error("mark_code was set")
				}
			}},
		{name: "split: false refuses an indivisible line", edit: "split: false\n#sum",
			input: `{"id": "D", "lines": [{"name": "x", "price": "1", "qty": 3, "sum": "1.00"}]}`,
			err:   "does not add up, and the pack has split: false"},
		{name: "a sum is split", edit: "#sum",
			input: `{"id": "D", "lines": [{"name": "x", "price": "1", "qty": 3, "sum": "1.00"}]}`,
			check: func(t *testing.T, res []transform.Result) {
				items := res[0].Document.Request.Receipt.Items
				if len(items) != 2 || items[0].Sum.String() != "0.66" ||
					items[1].Sum.String() != "0.34" {
					t.Errorf("items %+v", items)
				}
			}},
		{name: "a discount over the goods", edit: "discount:\n  amount: dec(\"0.99\")\n",
			input: `{"id": "D", "lines": [{"name": "x", "price": "1"}]}`,
			check: func(t *testing.T, res []transform.Result) {
				if got := res[0].Document.Request.Receipt.Total.String(); got != "0.01" {
					t.Errorf("total %s", got)
				}
			}},
		{name: "a discount larger than the goods", edit: "discount:\n  amount: dec(5)\n",
			input: `{"id": "D", "lines": [{"name": "x", "price": "1"}]}`,
			err:   "the discount 5 is more than the 1.00 the lines hold"},
		{name: "a wrong operation", edit: "#op", input: `{"id": "O", "lines": []}`,
			err: `operation "sale" is not one of the eight v5 operations`},
		{name: "a bad timestamp", input: `{"id": "T", "date": "yesterday", "lines": []}`,
			err: `ts: "xxxxxxxxx" (masked: letters as x, digits as #) is neither ISO 8601`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := base + tc.edit
			src = strings.Replace(src, "#mark", "", 1)
			if strings.Contains(tc.edit, "#mark") {
				src = strings.Replace(src, "          vat:\n", "          mark_code:\n"+
					"            gs1m: '\"\"'\n          vat:\n", 1)
			}
			if strings.Contains(tc.edit, "#sum") {
				src = strings.Replace(src, "quantity: dec(line.qty ?? 1)",
					"quantity: dec(line.qty ?? 1)\n          sum: dec(line.sum)", 1)
			}
			if strings.Contains(tc.edit, "#op") {
				src = strings.Replace(src, `operation: '"sell"'`, `operation: '"sale"'`, 1)
			}
			res, err := mapper(t, src, nil).Map([]byte(tc.input))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("want an error containing %q, got %v", tc.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, res)
		})
	}
}

func TestInputErrors(t *testing.T) {
	m := mapper(t, base, nil)
	for _, in := range []string{"", "  ", "{", `{"id": 1} x`} {
		_, err := m.Map([]byte(in))
		var ie *transform.InputError
		if !errors.As(err, &ie) {
			t.Errorf("%q: want an InputError, got %v", in, err)
		}
	}
	docs := strings.Replace(base, "format: json", "format: json\n  documents: input.orders", 1)
	if _, err := mapper(t, docs, nil).Map([]byte(`{}`)); err == nil ||
		!strings.Contains(err.Error(), "found no documents") {
		t.Errorf("documents: %v", err)
	}
}

// Checks report while mapping, and those that read only the receipt also
// work as a validate.Check on requests from elsewhere.
func TestChecks(t *testing.T) {
	src := base + `checks:
  - code: small
    severity: warning
    path: receipt.total
    assert: total < 1000
    message: '"the receipt totals " + str(total)'
    expected: '"< 1000"'
    actual: total
  - code: paid
    when: doc.paid != nil
    assert: dec(doc.paid) == total
    message: '"paid " + str(doc.paid)'
`
	m := mapper(t, src, nil)
	res, err := m.Map([]byte(`{"id": "C", "paid": "5", "lines": [{"name": "x", "price": "1500"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	vs := res[0].Violations
	if len(vs) != 2 || vs[0].Code != "small" || vs[0].Severity != validate.Warning ||
		vs[0].Actual != "1500.00" || vs[0].Path != "receipt.total" || vs[1].Code != "paid" ||
		vs[1].Severity != validate.Error {
		t.Fatalf("violations %+v", vs)
	}
	doc := res[0].Document
	r := validate.New(validate.WithCheck(res[0].Check())).Request(doc.Operation, doc.Request)
	if r.Valid() || len(r.Violations) != 2 {
		t.Errorf("through the validator: %v", r.Violations)
	}
	// The receipt-only check, on a request the pack did not make.
	r = validate.New(validate.WithCheck(m.Check())).Request(doc.Operation, doc.Request)
	if len(r.Violations) != 1 || r.Violations[0].Code != "small" || !r.Valid() {
		t.Errorf("Mapper.Check: %v", r.Violations)
	}
}

func TestCSVGroups(t *testing.T) {
	src := strings.Replace(base, "format: json", "format: csv\n  delimiter: \";\"\n"+
		"  group: str(doc.id)", 1)
	src = strings.Replace(src, `id: 'str(doc.id ?? "")'`, `id: 'str(doc.key)'`, 1)
	src = strings.Replace(src, "external_id: str(doc.id)", "external_id: str(doc.key)", 1)
	src = strings.Replace(src, `ts(doc.date ?? "2026-02-01T10:00:00Z")`,
		`ts("2026-02-01T10:00:00Z")`, 1)
	src = strings.Replace(src, "each: doc.lines", "each: doc.rows", 1)
	in := "id;name;price\nA;x;1,50\nA;y;2\nB;z;3\nA;w;4\n"
	res, err := mapper(t, src, nil).Map([]byte(in))
	var got []string
	for _, r := range res {
		if r.Err != nil {
			got = append(got, r.ID+"=error")
			continue
		}
		got = append(got, r.ID+"="+r.Document.Request.Receipt.Total.String())
	}
	// Only consecutive rows are joined: the input is read in one pass. The
	// rows of A that come later would make a second receipt A, which is
	// refused, naming both documents.
	if want := "A=3.50 B=3.00 A=error"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	want := `transform: A: duplicate external_id: document 3 (input line 5) has the ` +
		`external_id "A", which document 1 (input line 2) already has`
	if !errors.Is(err, transform.ErrDuplicateID) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// Two documents of one input with one external_id: the second is refused
// with an error naming both; skipped documents and failed ones take no id.
func TestDuplicateExternalID(t *testing.T) {
	m := mapper(t, base+"skip:\n  - when: 'doc.skip == true'\n    reason: '\"s\"'\n", nil)
	for _, tc := range []struct {
		name, in, want string
		errs           []int // the results that fail
	}{
		{name: "JSON Lines", in: `{"id": "DUP", "lines": [{"name": "x", "price": "1"}]}
{"id": "B", "lines": [{"name": "x", "price": "1"}]}
{"id": "DUP", "lines": [{"name": "y", "price": "2"}]}`,
			want: `transform: DUP: duplicate external_id: document 3 (input line 3) has ` +
				`the external_id "DUP", which document 1 (input line 1) already has; ` +
				`two receipts cannot share one`, errs: []int{2}},
		{name: "a list", in: `[{"id": "D", "lines": []}, {"id": "D", "lines": []}]`,
			want: `document 2 (input line 1) has the external_id "D", which document 1 ` +
				`(input line 1) already has`, errs: []int{1}},
		{name: "a skipped or failed document takes no id", in: `{"id": "S", "skip": true}
{"id": "S", "lines": [{"name": "x", "price": "bad"}]}
{"id": "S", "lines": []}`,
			want: `dec: "xxx" (masked: letters as x, digits as #) is not a number`, errs: []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := m.Map([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			var failed []int
			for i, r := range res {
				if r.Err != nil {
					failed = append(failed, i)
				}
			}
			if fmt.Sprint(failed) != fmt.Sprint(tc.errs) {
				t.Errorf("failed results %v, want %v", failed, tc.errs)
			}
		})
	}
}

// A malformed line of JSON Lines or row of CSV is reported with its input
// line, and mapping goes on with the next; a single JSON document or a
// list that is malformed stops with a located error.
func TestMalformedInputGoesOn(t *testing.T) {
	csvPack := strings.Replace(base, "format: json", "format: csv\n  delimiter: \";\"", 1)
	csvPack = strings.Replace(csvPack, "each: doc.lines", "each: '[doc]'", 1)
	line := func(id string) string {
		return `{"id": "` + id + `", "lines": [{"name": "x", "price": "1"}]}` + "\n"
	}
	for _, tc := range []struct {
		name, pack, in string
		want           []string // per result: an ID, or "!" and the error's text
		fatal          string   // an error that stops the input
	}{
		{name: "a line cut short inside a string", in: line("A") + line("B") +
			`{"id": "C", "lines": [{"name": "x", "pri` + "\n" + line("D") + line("E"),
			want: []string{"A", "B", "!transform: input line 3, column 1: the line ends " +
				"inside a string", "D", "E"}},
		{name: "a line cut short after a comma", in: line("A") +
			`{"id": "C", "lines": [{"name": "x",` + "\n" + line("D"),
			want: []string{"A", "!input line 2, column 1: the value is not complete: " +
				"line 3 starts another one", "D"}},
		{name: "a line cut short after a colon", in: line("A") + `{"id": "C", "x":` +
			"\n" + line("D") + line("E"),
			want: []string{"A", "!input line 2, column 1: the value is not complete: " +
				"line 4 starts another one", "E"}},
		{name: "a bad number", in: line("A") + `{"id": 01}` + "\n" + line("B"),
			want: []string{"A", "!input line 2, column 9: want , or } in an object", "B"}},
		{name: "a stray bracket", in: line("A") + "}\n" + line("B"),
			want: []string{"A", "!input line 2, column 1: unexpected '}'", "B"}},
		{name: "the last line cut short", in: line("A") + `{"id": "B", "lines": [`,
			want: []string{"A", "!input line 2, column 1: the input ends inside this value"}},
		{name: "a multi-line document", in: "{\n  \"id\": 01\n}\n",
			want: []string{"!input line 2, column 10: want , or } in an object"}},
		{name: "a list is one document", in: `[{"id": "A"}, {"id": 01}, {"id": "B"}]`,
			fatal: "input line 1, column 23: want , or }"},
		{name: "CSV: broken quoting in a row", pack: csvPack,
			in: "id;name;price\nA;x;1\nB;\"Кофе \"Ш\" 250\";2\nC;z;3\n",
			want: []string{"A", "!input line 3, column 9: a quote in a quoted field must " +
				"be doubled", "C"}},
		{name: "CSV: an unclosed quote costs one row", pack: csvPack,
			in:   "id;name;price\nA;x;1\nB;\"Кофе;2\nC;z;3\nD;\"w\";4\n",
			want: []string{"A", "!input line 3, column 3: a quoted field is not closed", "C", "D"}},
		{name: "CSV: a bare quote", pack: csvPack,
			in: "id;name;price\nA;x\"y;1\nB;z;3\n",
			want: []string{"!input line 2, column 4: a quote in a field that is not in " +
				"quotes", "B"}},
		{name: "CSV: a field too many", pack: csvPack,
			in: "id;name;price\nA;x;1;9\nB;z;3\n",
			want: []string{"!input line 2: wrong number of fields: the row has 4, the " +
				"header 3", "B"}},
		{name: "CSV: a quoted field over two lines", pack: csvPack,
			in:   "id;name;price\nA;\"x\ny\";1\nB;z;3\n",
			want: []string{"A", "B"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pack := base
			if tc.pack != "" {
				pack = tc.pack
			}
			m := mapper(t, pack, nil)
			var got []transform.Result
			err := m.Each(strings.NewReader(tc.in), func(r transform.Result) error {
				got = append(got, r)
				return nil
			})
			if tc.fatal != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fatal) {
					t.Fatalf("want an error containing %q, got %v", tc.fatal, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d results, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				r := got[i]
				if msg, bad := strings.CutPrefix(w, "!"); bad {
					var ie *transform.InputError
					if !errors.As(r.Err, &ie) || !strings.Contains(r.Err.Error(), msg) ||
						r.Line != ie.Line {
						t.Errorf("result %d: want an input error containing %q, got %v", i,
							msg, r.Err)
					}
					continue
				}
				if r.Err != nil || r.ID != w {
					t.Errorf("result %d: %s, %v; want %s", i, r.ID, r.Err, w)
				}
			}
		})
	}
}

// A 200 MB JSON Lines input cut short inside one line loses that line
// only; it used to read on to the size limit ("a value longer than ...").
func TestTruncatedLineInALargeInput(t *testing.T) {
	n := 20_000
	gen := &generator{n: n, line: func(i int) string {
		l := fmt.Sprintf(`{"id": "L%d", "lines": [{"name": "Товар %d", "price": "%d.50"}]}`+"\n",
			i, i, i)
		if i == n/2 {
			return l[:len(l)/2] + "\n"
		}
		return l
	}}
	p, err := rules.Load("t.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	m, err := transform.New(p, nil, transform.WithLimits(transform.Limits{MaxDocument: 1 << 20}))
	if err != nil {
		t.Fatal(err)
	}
	ok, bad := 0, 0
	err = m.Each(gen, func(r transform.Result) error {
		if r.Err != nil {
			bad++
			if want := fmt.Sprintf("input line %d, column 1: the line ends inside a string",
				n/2+1); !strings.Contains(r.Err.Error(), want) {
				t.Errorf("%v, want %q", r.Err, want)
			}
			return nil
		}
		ok++
		return nil
	})
	if err != nil || ok != n-1 || bad != 1 {
		t.Errorf("%d mapped, %d failed, %v", ok, bad, err)
	}
}

// A CSV pack names the columns it reads: a header cell is matched whatever
// its case and spacing and under any of the column's names, and a file
// without a required column is refused, naming it.
func TestCSVColumns(t *testing.T) {
	src := strings.Replace(base, "format: json", `format: csv
  delimiter: ";"
  columns:
    required: [id, [Название товара, Наименование товара], price]
    optional: [Статус]`, 1)
	src = strings.Replace(src, "each: doc.lines", "each: '[doc]'", 1)
	src = strings.Replace(src, "trim(line.name)", `trim(line["Название товара"])`, 1)
	src += "skip:\n  - when: 'doc[\"Статус\"] == \"Отменён\"'\n    reason: '\"cancelled\"'\n"
	m := mapper(t, src, nil)
	for _, tc := range []struct {
		name, head, want string
	}{
		{name: "the pack's spelling", head: "id;Название товара;price;Статус"},
		{name: "another case and spacing", head: "ID ; наименование  ТОВАРА;Price;статус"},
		{name: "a required column missing", head: "id;Товар;price;Статус",
			want: "transform: input line 1: the header has no column «Название товара» or " +
				"«Наименование товара», which the pack needs (the header has «id», " +
				"«Товар», " +
				"«price», «Статус»)"},
		{name: "an optional column missing", head: "id;Название товара;price"},
		{name: "two names of one column", head: "id;Название " +
			"товара;price;Наименование товара",
			want: `input line 1, column 4: the header has both "Название товара" and ` +
				`"Наименование товара", which the pack reads as one column`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			row := "A;Мяч;10;Доставлен"
			if strings.Count(tc.head, ";") == 2 {
				row = "A;Мяч;10"
			}
			res, err := m.Map([]byte(tc.head + "\n" + row + "\nB;Мяч;10;Отменён\n"))
			if tc.want != "" {
				if err == nil || err.Error() != tc.want && !strings.Contains(err.Error(),
					tc.want) {
					t.Fatalf("want %q, got %v", tc.want, err)
				}
				return
			}
			if strings.Count(tc.head, ";") == 2 {
				// Without the status column, the row with one field too
				// many is reported, not mapped.
				if len(res) != 2 || res[0].Err != nil || res[1].Err == nil {
					t.Fatalf("%+v, %v", res, err)
				}
				return
			}
			if err != nil || len(res) != 2 || !res[1].Skipped ||
				res[0].Document.Request.Receipt.Items[0].Name != "Мяч" {
				t.Fatalf("%+v, %v", res, err)
			}
		})
	}
}

// An expectation file with a key the comparison does not know fails the
// test instead of passing it unchecked.
func TestExpectationFileKeys(t *testing.T) {
	dir := t.TempDir()
	src := base + `tests:
  - name: misspelt
    document: {id: "1", lines: [{name: x, price: "999"}]}
    expect:
      file: want.json
`
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("p.yaml", src)
	for _, tc := range []struct{ file, want string }{
		{`{"_note": "x", "receipts": [{"notes": "n", "receipt": {"total": 999}}]}`, ""},
		{`{"receipts": [{"receipt": {"totl": 1}}]}`, `want.json: receipts[0].receipt.totl: ` +
			`unknown key "totl"; here a test compares items, payments, total, client; ` +
			`did you mean "total"?`},
		{`{"receipts": [{"receipt": {"items": [{"vat": {"typ": "none"}}]}}]}`,
			`receipts[0].receipt.items[0].vat.typ: unknown key "typ"`},
		{`{"receipt": []}`, `receipt: unknown key`},
	} {
		write("want.json", tc.file)
		p, err := rules.LoadFile(filepath.Join(dir, "p.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		r := transform.RunTests(p, transform.TestOptions{})[0]
		got := strings.Join(r.Failures, "; ")
		if tc.want == "" && !r.Passed() || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: failures %q, want %q", tc.file, got, tc.want)
		}
	}
}

// A line split in two makes two receipt lines with its text, and so two
// violations about that text, one at each (the control character
// reported "twice"); Parts tells them apart from two order lines.
func TestSplitParts(t *testing.T) {
	p, err := rules.Builtin("flat")
	if err != nil {
		t.Fatal(err)
	}
	m, err := transform.New(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "testdata", "orders", "flat", "bug02.json"))
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), `"Кружка"`, `"a\u0000b"`, 1))
	res, err := m.Map(data)
	if err != nil || len(res) != 1 {
		t.Fatalf("%v, %v", res, err)
	}
	r := res[0]
	if fmt.Sprint(r.Parts) != "[0 0 1 2 2]" {
		t.Errorf("parts %v, want [0 0 1 2 2] (the first and last lines split)", r.Parts)
	}
	var paths []string
	for _, v := range validate.New(validate.WithCheck(r.Check())).Request(r.Document.Operation,
		r.Document.Request).Violations {
		if v.Code == "control_character" {
			paths = append(paths, v.Path)
		}
	}
	if want := "receipt.items[0].name receipt.items[1].name"; strings.Join(paths, " ") != want {
		t.Errorf("control_character at %v, want %s", paths, want)
	}
	// Without a split there are no parts.
	one, err := mapper(t, base, nil).Map([]byte(`{"id": "A", "lines": [{"name": "x", ` +
		`"price": "1"}, {"name": "y", "price": "2"}]}`))
	if err != nil || one[0].Parts != nil {
		t.Errorf("parts %v without a split (%v)", one[0].Parts, err)
	}
}

// A test's input path that names a device is read up to a bound, not until
// memory runs out.
func TestTestInputBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	dir := t.TempDir()
	src := base + `tests:
  - name: device
    input: /dev/zero
    expect:
      receipts: []
`
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := rules.LoadFile(filepath.Join(dir, "p.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := transform.RunTests(p, transform.TestOptions{})[0]
	if got := strings.Join(r.Failures, "; "); r.Passed() || !strings.Contains(got, "larger than") {
		t.Errorf("failures %q, want a size refusal", got)
	}
}
