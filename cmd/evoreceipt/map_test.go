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
	if err := os.WriteFile(cfg, []byte("company:\n  inn: \"7701493822\"\nvat: vat10\n"), 0o644); err != nil {
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
		`transform: A: builtin:flat.yaml:`, `request.receipt.items.price: dec: "abc" is not a number`,
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
