package main

import (
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
