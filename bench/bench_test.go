package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
	"github.com/evoreceipt/evoreceipt/validate"
	"github.com/itchyny/gojq"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func ozonSample(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "orders", "ozon", "fbs_get_v3.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// schema compiles the official v5 sell schema (2026 VAT types), as a user
// of a JSON Schema validator would.
func schema(tb testing.TB) *jsonschema.Schema {
	tb.Helper()
	path := filepath.Join("..", "testdata", "schema", "sell-2026.json")
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		tb.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft6)
	if err := c.AddResource("sell-2026.json", doc); err != nil {
		tb.Fatal(err)
	}
	sch, err := c.Compile("sell-2026.json")
	if err != nil {
		tb.Fatal(err)
	}
	return sch
}

func schemaValidate(sch *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestInputsAreValid(t *testing.T) {
	sch := schema(t)
	for _, n := range []int{10, 100} {
		data := Request(n)
		if _, r := validate.JSON(data, model.Sell); !r.Valid() {
			t.Errorf("%d items: %v", n, r.Violations)
		}
		if err := schemaValidate(sch, data); err != nil {
			t.Errorf("%d items: schema: %v", n, err)
		}
	}
}

// The three mappings compared in BenchmarkMapOzon must do the same work.
func TestMappingsAgree(t *testing.T) {
	in := ozonSample(t)
	byPack := mapWithPack(t, newMapper(t), in)
	byHand, err := MapOzonByHand(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(byPack, byHand) {
		t.Errorf("pack and hand-written mapping differ:\n%s\n%s", byPack, byHand)
	}
	jq := mapWithJQ(t, newJQ(t), in)
	if !strings.Contains(string(jq), `"external_id":"57195475-0050-3"`) ||
		!strings.Contains(string(jq), `"total":279`) {
		t.Errorf("gojq mapping: %s", jq)
	}
}

func newMapper(tb testing.TB) *transform.Mapper {
	tb.Helper()
	p, err := rules.Builtin("ozon-fbs")
	if err != nil {
		tb.Fatal(err)
	}
	m, err := transform.New(p, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func mapWithPack(tb testing.TB, m *transform.Mapper, in []byte) []byte {
	res, err := m.Map(in)
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	for _, r := range res {
		if r.Skipped {
			continue
		}
		line, err := model.Marshal(r.Document)
		if err != nil {
			tb.Fatal(err)
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// ozonJQ is the ozon-fbs mapping written in jq. Numbers pass through
// float64 in gojq, which is one reason this library does not use it.
const ozonJQ = `
(.result.postings // [.result])[]
| select(.status != "cancelled" and .status != "cancelled_from_split_pending")
| ([.products[] | {
    name: (.name | ltrimstr(" ") | rtrimstr(" ")),
    price: (.price | tonumber), quantity: .quantity, measure: 0,
    sum: ((.price | tonumber) * .quantity),
    payment_method: "full_payment", payment_object: 1, vat: {type: "none"}}]) as $items
| ($items | map(.sum) | add) as $total
| {operation: "sell", request: {
    timestamp: (.in_process_at | fromdateiso8601 + 10800 | strftime("%d.%m.%Y %H:%M:%S")),
    external_id: .posting_number,
    receipt: {client: {email: "none"},
      company: {email: "shop@example.com", sno: "usn_income", inn: "5544332219",
        payment_address: "https://www.ozon.ru"},
      items: $items, payments: [{type: 1, sum: $total}], total: $total}}}`

func newJQ(tb testing.TB) *gojq.Code {
	tb.Helper()
	q, err := gojq.Parse(ozonJQ)
	if err != nil {
		tb.Fatal(err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		tb.Fatal(err)
	}
	return code
}

func mapWithJQ(tb testing.TB, code *gojq.Code, in []byte) []byte {
	var input any
	if err := json.Unmarshal(in, &input); err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	iter := code.Run(input)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, isErr := v.(error); isErr {
			tb.Fatal(err)
		}
		line, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func BenchmarkValidate(b *testing.B) {
	sch := schema(b)
	v := validate.New()
	for _, n := range []int{10, 100} {
		data := Request(n)
		name := map[int]string{10: "10items", 100: "100items"}[n]
		b.Run(name+"/evoreceipt", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, r := v.JSON(data, model.Sell); !r.Valid() {
					b.Fatal(r.Violations)
				}
			}
		})
		b.Run(name+"/jsonschema", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := schemaValidate(sch, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMapOzon(b *testing.B) {
	in := ozonSample(b)
	m := newMapper(b)
	code := newJQ(b)
	b.Run("pack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mapWithPack(b, m, in)
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := MapOzonByHand(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gojq", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mapWithJQ(b, code, in)
		}
	})
}

// BenchmarkEndToEnd compares reading, checking and writing a request with
// this library against only decoding it with encoding/json.
func BenchmarkEndToEnd(b *testing.B) {
	data := Request(10)
	v := validate.New()
	b.Run("evoreceipt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			doc, r := v.JSON(data, model.Sell)
			if !r.Valid() {
				b.Fatal(r.Violations)
			}
			if _, err := model.Marshal(doc.Request); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var req model.Request
			if err := json.Unmarshal(data, &req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
