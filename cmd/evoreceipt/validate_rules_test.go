package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	// receiptPack's checks read only the receipt and its parameters:
	// total_limit (error) fails above params.max_total, cash_taken
	// (warning) on a cash payment.
	receiptPack = "testdata/packs/receipt-checks.yaml"
	// orderPack has a check that reads the order document.
	orderPack = "testdata/packs/order-checks.yaml"
)

// compactReq is validReq on one line under the external_id id, with the
// replacements old → new made.
func compactReq(id string, oldNew ...string) string {
	s := strings.ReplaceAll(validReq, "\n", "")
	s = strings.Replace(s, `"external_id":"ord-1"`, `"external_id":"`+id+`"`, 1)
	return strings.NewReplacer(oldNew...).Replace(s)
}

// cashReq is validReq paid in cash; doubleReq sells two of its item, for
// 2440.00.
var (
	cashReq   = compactReq("ord-cash", `"payments":[{"type":1`, `"payments":[{"type":0`)
	doubleReq = compactReq("ord-double", `"quantity":1,"measure":0,"sum":1220.00`,
		`"quantity":2,"measure":0,"sum":2440.00`, `"sum":220.00`, `"sum":440.00`,
		`{"type":1,"sum":1220.00}],"total":1220.00`, `{"type":1,"sum":2440.00}],"total":2440.00`)
)

func TestValidateRules(t *testing.T) {
	t.Parallel()
	config := filepath.Join(t.TempDir(), "params.yaml")
	if err := os.WriteFile(config, []byte("max_total: 1000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		// out and errOut must each appear in stdout and stderr; absent in
		// stdout must not.
		out, errOut, absent []string
	}{
		{name: "check passes", stdin: validReq, args: []string{"--rules", receiptPack},
			code: exitOK, out: []string{"valid\n"}},
		{name: "check fails", stdin: validReq,
			args: []string{"--rules", receiptPack, "--set", "max_total=1000"}, code: exitInvalid,
			out: []string{"receipt.total: error total_limit: the receipt totals 1220.00, above " +
				"the limit of 1000 (expected ≤ 1000, got 1220.00)"}},
		{name: "parameters from --config", stdin: validReq,
			args: []string{"--rules", receiptPack, "--config", config}, code: exitInvalid,
			out: []string{"receipt.total: error total_limit"}},
		{name: "--set wins over --config", stdin: validReq,
			args: []string{"--rules", receiptPack, "--config", config, "--set", "max_total=5000"},
			code: exitOK, out: []string{"valid\n"}},
		{name: "warning only", stdin: cashReq, args: []string{"--rules", receiptPack},
			code: exitOK, out: []string{"receipt.payments: warning cash_taken: a cash payment",
				"valid\n"}},
		{name: "warning switched off by a parameter", stdin: cashReq,
			args: []string{"--rules", receiptPack, "--set", "cash=true"}, code: exitOK,
			out: []string{"valid\n"}, absent: []string{"cash_taken"}},
		{name: "with the validator's own violations", stdin: badReq,
			args: []string{"--rules", receiptPack, "--set", "max_total=1000"}, code: exitInvalid,
			out: []string{"error phone:", "error sum_price_quantity:", "error total_limit:"}},
		{name: "the document's operation", stdin: `{"operation":"sell_refund","request":` +
			cashReq + `}`, args: []string{"--rules", receiptPack}, code: exitOK,
			absent: []string{"cash_taken"}},
		{name: "no body: no check runs", stdin: `{"operation":"sell","request":{}}`,
			args: []string{"--rules", receiptPack}, code: exitInvalid,
			out: []string{"root_operation"}, absent: []string{"check_failed", "total_limit"}},
		{name: "parameter of the wrong type", stdin: validReq,
			args: []string{"--rules", receiptPack, "--set", "max_total=abc"}, code: exitUsage,
			errOut: []string{"max_total"}},
		{name: "check fails to run", stdin: validReq,
			args: []string{"--rules", receiptPack, "--set", "line=3"}, code: exitInvalid,
			out: []string{"receipt.items: error check_failed: check whole_quantity of the rule " +
				"pack failed to run: testdata/packs/receipt-checks.yaml:52:18: checks.assert: " +
				"index out of range: 3 (array length is 1)\n"}},
		{name: "check runs", stdin: validReq,
			args: []string{"--rules", receiptPack, "--set", "line=0"}, code: exitOK,
			out: []string{"valid\n"}},
		{name: "unknown pack", stdin: validReq, args: []string{"--rules", "no-such-pack"},
			code: exitUsage, errOut: []string{`"no-such-pack" is neither a pack file nor a ` +
				"built-in pack"}},
		{name: "missing pack file", stdin: validReq,
			args: []string{"--rules", "testdata/packs/missing.yaml"}, code: exitUsage,
			errOut: []string{"cannot read pack file testdata/packs/missing.yaml"}},
		{name: "unknown parameter", stdin: validReq,
			args: []string{"--rules", receiptPack, "--set", "max_totl=1"}, code: exitUsage,
			errOut: []string{"max_totl"}},
		{name: "checks that read the order", stdin: validReq, args: []string{"--rules", orderPack},
			code: exitUsage, errOut: []string{
				"testdata/packs/order-checks.yaml:41:13: checks.assert: check paid_total reads " +
					"the let name paid; a request carries no order document",
				"  41 |     assert: paid == total\n",
				"pack order-checks: on requests, only checks that read nothing but the receipt"},
			absent: []string{"valid"}},
		{name: "built-in pack whose checks read the order", stdin: validReq,
			args: []string{"--rules", "flat"}, code: exitUsage,
			errOut: []string{"builtin:flat.yaml:189:12: checks.when: check paid_total reads doc",
				"check payments_total reads the let names rate, pay_list and pay_rub"}},
		{name: "built-in pack without checks", stdin: validReq,
			args: []string{"--rules", "ozon-fbs"}, code: exitOK, out: []string{"valid\n"}},
		{name: "--set without --rules", stdin: validReq, args: []string{"--set", "a=b"},
			code: exitUsage, errOut: []string{"use them with --rules"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"validate", "--lang", "en"}, tt.args...)
			stdout, stderr, code := runCmd(t, tt.stdin, append(args, "-")...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout,
					stderr)
			}
			for _, s := range tt.out {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.errOut {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(stdout, s) {
					t.Errorf("stdout has %q:\n%s", s, stdout)
				}
			}
		})
	}
}

// TestValidateRulesOutput pins the listing of a pack's violations beside
// the validator's, in text and JSON, for a stream of a passing document, a
// warning-only one and a failing one.
func TestValidateRulesOutput(t *testing.T) {
	t.Parallel()
	stdin := compactReq("ord-1") + "\n" + cashReq + "\n" + doubleReq + "\n"
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"validate-rules.txt", []string{"--lang", "en"}},
		{"validate-rules-ru.txt", nil},
		{"validate-rules.jsonl", []string{"-o", "json", "--lang", "en"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"validate", "--rules", receiptPack, "--set",
				"max_total=2000"}, tt.args...)
			stdout, stderr, code := runCmd(t, stdin, append(args, "-")...)
			if code != exitInvalid {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitInvalid, stderr)
			}
			golden(t, tt.golden, []byte(stdout))
		})
	}
	// The pack's violations have the validator's shape, every key present.
	stdout, _, _ := runCmd(t, stdin, "validate", "--rules", receiptPack, "--set",
		"max_total=2000", "-o", "json", "-")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one report per document:\n%s", stdout)
	}
	for i, want := range []struct {
		valid bool
		code  string
	}{{true, ""}, {true, "cash_taken"}, {false, "total_limit"}} {
		var rep struct {
			Valid      bool             `json:"valid"`
			Violations []map[string]any `json:"violations"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &rep); err != nil {
			t.Fatal(err)
		}
		if want.code == "" {
			if len(rep.Violations) != 0 || !rep.Valid {
				t.Errorf("document %d: %s", i+1, lines[i])
			}
			continue
		}
		if rep.Valid != want.valid || len(rep.Violations) != 1 {
			t.Fatalf("document %d: %s", i+1, lines[i])
		}
		v := rep.Violations[0]
		for _, key := range []string{"code", "path", "message", "severity", "expected",
			"actual"} {
			if _, ok := v[key]; !ok {
				t.Errorf("document %d: violation lacks %q: %v", i+1, key, v)
			}
		}
		if v["code"] != want.code {
			t.Errorf("document %d: code %v, want %s", i+1, v["code"], want.code)
		}
	}
}
