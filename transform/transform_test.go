package transform_test

import (
	"errors"
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
		`dec: "abc" is not a number` + "\n  23 |           price: dec(line.price)\n" +
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
			err: `ts: "yesterday" is neither ISO 8601`},
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
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res {
		got = append(got, r.ID+"="+r.Document.Request.Receipt.Total.String())
	}
	// Only consecutive rows are joined: the input is read in one pass.
	if want := "A=3.50 B=3.00 A=4.00"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}
