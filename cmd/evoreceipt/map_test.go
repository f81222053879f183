package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
)

// expected is the part of a sample's .expected.json that the tests compare.
type expected struct {
	Receipts []struct {
		ExternalID string `json:"external_id"`
		Receipt    struct {
			Items []struct {
				Name          string         `json:"name"`
				Price         model.Money    `json:"price"`
				Quantity      model.Quantity `json:"quantity"`
				Sum           model.Money    `json:"sum"`
				Measure       int            `json:"measure"`
				PaymentMethod string         `json:"payment_method"`
				PaymentObject int            `json:"payment_object"`
				Vat           struct {
					Type string `json:"type"`
				} `json:"vat"`
			} `json:"items"`
			Payments []struct {
				Type int         `json:"type"`
				Sum  model.Money `json:"sum"`
			} `json:"payments"`
			Total model.Money `json:"total"`
		} `json:"receipt"`
	} `json:"receipts"`
}

func TestMapOzonFBS(t *testing.T) {
	for _, name := range []string{"fbs_get_v3", "fbs_list_v3"} {
		t.Run(name, func(t *testing.T) {
			input := filepath.Join("..", "..", "testdata", "orders", "ozon", name+".json")
			out, stderr, code := runCmd(t, "", "map", "--rules", "ozon-fbs", input)
			if code != exitOK {
				t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
			}
			golden(t, "map-ozon-fbs-"+name+".jsonl", []byte(out))

			var exp expected
			data, err := os.ReadFile(strings.TrimSuffix(input, ".json") + ".expected.json")
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &exp); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != len(exp.Receipts) {
				t.Fatalf("%d documents, want %d", len(lines), len(exp.Receipts))
			}
			for i, line := range lines {
				doc, err := model.DecodeDocument([]byte(line), model.DecodeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				want := exp.Receipts[i]
				r := doc.Request
				if r.ExternalID != want.ExternalID {
					t.Errorf("external_id %q, want %q", r.ExternalID, want.ExternalID)
				}
				if len(r.Receipt.Items) != len(want.Receipt.Items) {
					t.Fatalf("%d items, want %d", len(r.Receipt.Items), len(want.Receipt.Items))
				}
				for j, w := range want.Receipt.Items {
					g := r.Receipt.Items[j]
					if g.Name != w.Name || !g.Price.Equal(w.Price) ||
						!g.Quantity.Equal(w.Quantity) || !g.Sum.Equal(w.Sum) ||
						int(g.Measure) != w.Measure ||
						string(g.PaymentMethod) != w.PaymentMethod ||
						int(g.PaymentObject) != w.PaymentObject || string(g.Vat.Type) != w.Vat.Type {
						t.Errorf("item %d = %+v\nwant %+v", j, g, w)
					}
				}
				if !r.Receipt.Total.Equal(want.Receipt.Total) {
					t.Errorf("total %s, want %s", r.Receipt.Total, want.Receipt.Total)
				}
				if len(r.Receipt.Payments) != len(want.Receipt.Payments) {
					t.Fatalf("%d payments, want %d", len(r.Receipt.Payments),
						len(want.Receipt.Payments))
				}
				for j, w := range want.Receipt.Payments {
					g := r.Receipt.Payments[j]
					if int(g.Type) != w.Type || !g.Sum.Equal(w.Sum) {
						t.Errorf("payment %d = %+v, want %+v", j, g, w)
					}
				}
			}
		})
	}
}

// The mapped output validates, and a one-kopeck change to an item sum is
// caught at receipt.items[0].sum with the expected value.
func TestMapThenValidate(t *testing.T) {
	input := filepath.Join("..", "..", "testdata", "orders", "ozon", "fbs_get_v3.json")
	out, _, code := runCmd(t, "", "map", "--rules", "ozon-fbs", input)
	if code != exitOK {
		t.Fatalf("map exit code %d", code)
	}
	if _, stderr, code := runCmd(t, out, "validate", "-"); code != exitOK {
		t.Fatalf("validate of the mapped output: exit %d\n%s", code, stderr)
	}
	bad := strings.Replace(out, `"sum":279.00,"payment_method"`, `"sum":279.01,"payment_method"`, 1)
	if bad == out {
		t.Fatal("test input did not change")
	}
	stdout, _, code := runCmd(t, bad, "validate", "-o", "json", "-")
	if code != exitInvalid {
		t.Fatalf("exit code %d, want %d", code, exitInvalid)
	}
	var rep struct {
		Valid      bool
		Violations []struct{ Code, Path, Expected, Actual string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v in %s", err, stdout)
	}
	found := false
	for _, v := range rep.Violations {
		if v.Path == "receipt.items[0].sum" && v.Expected == "279.00" && v.Actual == "279.01" {
			found = true
		}
	}
	if rep.Valid || !found {
		t.Errorf("want receipt.items[0].sum expected 279.00, got %s", stdout)
	}
}

func TestMapParameters(t *testing.T) {
	input := filepath.Join("..", "..", "testdata", "orders", "ozon", "fbs_get_v3.json")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "params.yaml")
	params := []byte("company:\n  inn: \"7701493822\"\nvat: vat10\n")
	if err := os.WriteFile(cfg, params, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCmd(t, "", "map", "--rules", "ozon-fbs", "--config", cfg,
		"--set", "vat=vat20", input)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"inn":"7701493822"`) {
		t.Errorf("config file not applied: %s", out)
	}
	if !strings.Contains(out, `"vat":{"type":"vat20"}`) {
		t.Errorf("--set should win over the config file: %s", out)
	}
	if _, stderr, code := runCmd(t, "", "map", "--rules", "ozon-fbs", "--set", "nope=1",
		input); code != exitUsage || !strings.Contains(stderr, "nope") {
		t.Errorf("unknown parameter: exit %d, stderr %q", code, stderr)
	}
	if _, _, code := runCmd(t, "", "map", "--rules", "no-such-pack", input); code != exitUsage {
		t.Errorf("unknown pack: exit %d", code)
	}
}

func TestMapSkipsCancelled(t *testing.T) {
	in := `{"result":{"posting_number":"1-2-3","status":"cancelled","in_process_at":` +
		`"2026-01-05T07:00:00Z","products":[{"name":"x","price":"1","quantity":1}]}}`
	out, stderr, code := runCmd(t, in, "map", "--rules", "ozon-fbs", "-")
	if code != exitOK || out != "" {
		t.Fatalf("exit %d, out %q", code, out)
	}
	if !strings.Contains(stderr, "skipped 1-2-3") && !strings.Contains(stderr, "cancelled") {
		t.Errorf("the skip is not reported: %q", stderr)
	}
}

// map reads the input format the pack names: CSV and XML here.
func TestMapFormats(t *testing.T) {
	for _, tc := range []struct {
		pack, file string
		receipts   int
		stderr     string
	}{
		{"ozon-csv", "ozon/postings_report.constructed.csv", 2, "skipped 05708065-0029-1"},
		{"wb-report-csv", "wildberries/report_detail_by_period.constructed.csv", 2, "skipped row 2"},
		{"commerceml", "commerceml/order_2_05.cp1251.xml", 1, "warning header_sum"},
	} {
		t.Run(tc.pack, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", "map", "--rules", tc.pack, "--lang", "en",
				filepath.Join("..", "..", "testdata", "orders", tc.file))
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if n := strings.Count(out, "\n"); n != tc.receipts {
				t.Errorf("%d receipts, want %d", n, tc.receipts)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q does not mention %q", stderr, tc.stderr)
			}
		})
	}
}

// A document that cannot be mapped is reported with its place in the pack,
// the others are still mapped, and the exit code says something failed.
func TestMapDocumentError(t *testing.T) {
	in := `{"id": "A", "date": "2026-02-01T10:00:00Z", "customer": {"email": "a@example.com"}, ` +
		`"lines": [{"name": "x", "qty": 1, "unit_price": "abc"}]}
{"id": "B", "date": "2026-02-01T10:00:00Z", "customer": {"email": "a@example.com"}, ` +
		`"lines": [{"name": "y", "qty": 1, "unit_price": "10"}], "paid": "9"}`
	out, stderr, code := runCmd(t, in, "map", "--rules", "flat", "--lang", "en", "-")
	if code != exitInvalid {
		t.Errorf("exit %d, want %d", code, exitInvalid)
	}
	if !strings.Contains(out, `"external_id":"B"`) || strings.Contains(out, `"external_id":"A"`) {
		t.Errorf("stdout:\n%s", out)
	}
	for _, want := range []string{
		`transform: A: builtin:flat.yaml:`,
		`request.receipt.items.price: dec: "xxx" (masked: letters as x, digits as #) ` +
			"is not a number",
		"B: receipt.total: error paid_total: the order was paid 9, the receipt totals 10.00",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
}

// With stderr on a terminal, map keeps a progress line there.
func TestMapProgress(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, stderrTTY: true}
	input := filepath.Join("..", "..", "testdata", "orders", "flat", "orders.jsonl")
	code := run(context.Background(), e, []string{"map", "--rules", "flat", input})
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if want := "\rmapped 4 documents: 4 receipts, 0 skipped, 0 failed \n"; !strings.HasSuffix(
		errb.String(), want) {
		t.Errorf("stderr %q does not end with %q", errb.String(), want)
	}
	_, stderr, _ := runCmd(t, "", "map", "--rules", "flat", input)
	if strings.Contains(stderr, "mapped") {
		t.Errorf("a progress line without a terminal: %q", stderr)
	}
}

// What map does with input it cannot use: a malformed JSON Lines line or
// CSV row is reported with its line and the rest is mapped (exit 1); two
// receipts with one external_id are refused; a directory is a usage error.
func TestMapBadInput(t *testing.T) {
	order := func(id string) string {
		return `{"id": "` + id + `", "date": "2026-02-01T10:00:00Z", "customer": {"email": ` +
			`"a@example.com"}, "lines": [{"name": "x", "qty": 1, "unit_price": "10"}]}` + "\n"
	}
	csvHead := "Номер отправления;Принят в " +
		"обработку;Статус;Название товара;" +
		"Оплачено покупателем;Количество\n"
	for _, tc := range []struct {
		name, pack, in string
		code           int
		ids            []string // external_ids printed, in order
		stderr         []string
	}{
		{name: "a JSON Lines line cut short", pack: "flat",
			in:   order("A") + order("B") + `{"id": "C", "lines": [{"na` + "\n" + order("D"),
			code: exitInvalid, ids: []string{"A", "B", "D"},
			stderr: []string{"transform: input line 3, column 1: the line ends inside a string"}},
		{name: "a CSV row with broken quoting", pack: "ozon-csv",
			in: csvHead + "1-1-1;01.02.2026 10:00;Доставлен;\"Кофе \"Ш\" 250\";279;1\n" +
				"57195475-0050-3;01.02.2026 10:00;Доставлен;Мяч;100;1\n",
			code: exitInvalid, ids: []string{"57195475-0050-3"},
			stderr: []string{"transform: input line 2, column 40: a quote in a quoted field"}},
		{name: "a CSV file without «Статус»", pack: "ozon-csv",
			in: strings.Replace(csvHead, "Статус", "Status", 1) +
				"1-1-1;01.02.2026 10:00;x;y;1;1\n",
			code: exitInvalid,
			stderr: []string{"evoreceipt map: transform: input line 1: the header has no " +
				"column «Статус», which the pack needs"}},
		{name: "two orders with one id", pack: "flat", in: order("DUP") + order("DUP"),
			code: exitInvalid, ids: []string{"DUP"},
			stderr: []string{`transform: DUP: duplicate external_id: document 2 (input line 2) ` +
				`has the external_id "DUP", which document 1 (input line 1) already has`}},
		{name: "the rows of one posting apart", pack: "ozon-csv",
			in: csvHead + "9-9-9;01.02.2026 10:00;Доставлен;Мяч;100;1\n" +
				"1-1-1;01.02.2026 10:00;Доставлен;Мяч;100;1\n" +
				"9-9-9;01.02.2026 10:00;Доставлен;Насос;50;1\n",
			code: exitInvalid, ids: []string{"9-9-9", "1-1-1"},
			stderr: []string{`document 3 (input line 4) has the external_id "9-9-9", which ` +
				`document 1 (input line 2) already has`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, tc.in, "map", "--rules", tc.pack, "--lang", "en", "-")
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			var ids []string
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if line == "" {
					continue
				}
				doc, err := model.DecodeDocument([]byte(line), model.DecodeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, doc.Request.ExternalID)
			}
			if strings.Join(ids, " ") != strings.Join(tc.ids, " ") {
				t.Errorf("receipts %v, want %v", ids, tc.ids)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, stderr)
				}
			}
		})
	}
	if _, stderr, code := runCmd(t, "", "map", "--rules", "flat", t.TempDir()); code != exitUsage ||
		!strings.Contains(stderr, "is a directory") {
		t.Errorf("a directory: exit %d, stderr %q", code, stderr)
	}
}

// A pack whose expression is nested half a million deep is refused with its
// place, instead of overflowing the stack.
func TestMapHugeExpression(t *testing.T) {
	pack := filepath.Join(t.TempDir(), "deep.yaml")
	src := "name: deep\noperation: '\"sell\"'\nrequest:\n  receipt:\n    items:\n" +
		"      - fields: {name: '\"x\"', quantity: 1, price: '" + strings.Repeat("(", 500_000) +
		"1" + strings.Repeat(")", 500_000) + "'}\n"
	if err := os.WriteFile(pack, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCmd(t, "{}", "map", "--rules", pack, "-")
	if code != exitUsage || !strings.Contains(stderr, "deep.yaml:6:52: "+
		"request.receipt.items.price: the expression is 1000001 bytes long; at most 16384") {
		t.Errorf("exit %d, stderr %.300s", code, stderr)
	}
}

// A line the mapping split in two carries its text twice; a fault in that
// text is one fault of the order, and map lists it once.
func TestMapSplitLineViolationOnce(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "orders", "flat", "bug02.json"))
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Replace(string(data), "Кружка", `Кру\u0000жка`, 1)
	if in == string(data) {
		t.Fatal("the sample no longer names the line")
	}
	_, stderr, code := runCmd(t, in, "map", "--rules", "flat", "--lang", "en", "-")
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d\n%s", code, exitInvalid, stderr)
	}
	if n := strings.Count(stderr, "control_character"); n != 1 ||
		!strings.Contains(stderr, "the same at receipt.items[") {
		t.Errorf("control_character listed %d times:\n%s", n, stderr)
	}
}
