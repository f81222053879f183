package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// fixRun runs "evoreceipt fix args..." in process on stdin.
func fixRun(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }}
	code = run(context.Background(), e, append([]string{"fix"}, args...))
	return out.String(), errb.String(), code
}

const fixSeller = `"client":{"email":"buyer@example.test"},` +
	`"company":{"email":"shop@example.test","sno":"osn","inn":"7701493822",` +
	`"payment_address":"https://shop.example.test"}`

// partial lacks item sums, the total and payments.
const partial = `{"timestamp":"04.12.2026 10:15:00","external_id":"ord-1","receipt":{` +
	fixSeller + `,"items":[` +
	`{"name":"Чай","price":120.00,"quantity":2,"measure":0,"payment_method":"full_payment",` +
	`"payment_object":1,"vat":{"type":"vat22"}},` +
	`{"name":"Доставка","price":300.00,"quantity":1,"measure":0,` +
	`"payment_method":"full_payment","payment_object":4,"vat":{"type":"none"}}]}}`

// bug04 is the request of case bug04 (sum = price, ignoring quantity 3).
const bug04 = `{"operation":"sell","request":{"timestamp":"04.12.2026 10:15:00",` +
	`"external_id":"ord-1001-sell-1","receipt":{` + fixSeller +
	`,"items":[{"name":"Карандаш",` +
	`"price":250.0,"quantity":3,"measure":0,"sum":250.0,"payment_method":"full_payment",` +
	`"payment_object":1,"vat":{"type":"vat22"}}],"payments":[{"type":1,"sum":750.0}],` +
	`"total":750.0}}}`

func TestFixCompletes(t *testing.T) {
	stdout, stderr, code := fixRun(t, partial, "--payment-type", "1", "--item-vat", "--vats", "-")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	want := `{"timestamp":"04.12.2026 10:15:00","external_id":"ord-1","receipt":{` + fixSeller +
		`,"items":[{"name":"Чай","price":120.00,"quantity":2,"measure":0,"sum":240.00,` +
		`"payment_method":"full_payment","payment_object":1,"vat":{"type":"vat22","sum":43.28}},` +
		`{"name":"Доставка","price":300.00,"quantity":1,"measure":0,"sum":300.00,` +
		`"payment_method":"full_payment","payment_object":4,"vat":{"type":"none"}}],` +
		`"payments":[{"type":1,"sum":540.00}],"vats":[{"type":"vat22","sum":43.28},` +
		`{"type":"none","sum":0.00}],"total":540.00}}` + "\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant\n%s", stdout, want)
	}
	for _, c := range []string{"receipt.items[0].sum: (absent) → 240.00",
		"receipt.total: (absent) → 540.00", `receipt.payments[0]: (absent) → {"type":1,"sum":540.00}`,
		"receipt.items[0].vat.sum: (absent) → 43.28", "receipt.vats[1]: (absent)"} {
		if !strings.Contains(stderr, c) {
			t.Errorf("stderr lacks %q:\n%s", c, stderr)
		}
	}
	// Without a payment the result is still invalid, and says why.
	_, stderr, code = fixRun(t, partial, "--lang", "en", "-")
	if code != exitInvalid || !strings.Contains(stderr, "invalid: receipt.payments") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

func TestFixOverwrite(t *testing.T) {
	stdout, stderr, code := fixRun(t, bug04, "-")
	if code != exitInvalid || strings.TrimSpace(stdout) != bug04 {
		t.Errorf("without --overwrite: exit %d, stdout changed:\n%s", code, stdout)
	}
	if !strings.Contains(stderr, "invalid: receipt.items[0].sum") {
		t.Errorf("stderr:\n%s", stderr)
	}
	stdout, stderr, code = fixRun(t, bug04, "--overwrite", "-")
	if code != exitOK || !strings.Contains(stdout, `"sum":750.00,`) ||
		!strings.HasPrefix(stdout, `{"operation":"sell","request":{`) {
		t.Errorf("--overwrite: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if want := "receipt.items[0].sum: 250.0 → 750.00 (overwritten: price × quantity, " +
		"rounded to kopecks)\n"; stderr != want {
		t.Errorf("stderr:\n%s\nwant\n%s", stderr, want)
	}
}

func TestFixStreamJSON(t *testing.T) {
	in := bug04 + "\n" + bug04 + "\n"
	stdout, stderr, code := fixRun(t, in, "--overwrite", "-o", "json", "-")
	if code != exitOK || strings.Count(stdout, "\n") != 2 {
		t.Fatalf("exit %d, stdout:\n%s", code, stdout)
	}
	dec := json.NewDecoder(strings.NewReader(stderr))
	for n := 1; n <= 2; n++ {
		var rep struct {
			Document int
			Valid    bool
			Changes  []struct{ Path, Kind, Old, New, Reason string }
		}
		if err := dec.Decode(&rep); err != nil {
			t.Fatalf("report %d: %v\n%s", n, err, stderr)
		}
		if rep.Document != n || !rep.Valid || len(rep.Changes) != 1 ||
			rep.Changes[0].Path != "receipt.items[0].sum" || rep.Changes[0].Kind != "overwritten" ||
			rep.Changes[0].Old != "250.0" || rep.Changes[0].New != "750.00" {
			t.Errorf("report %d = %+v", n, rep)
		}
	}
	// Text reports are numbered when there are several documents.
	_, stderr, _ = fixRun(t, in, "--overwrite", "-")
	if !strings.Contains(stderr, "document 2: receipt.items[0].sum") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestFixSplitMarked(t *testing.T) {
	in := strings.Replace(bug04, `"payment_object":1,`,
		`"payment_object":33,"mark_code":{"short":"0104607428793159"},`, 1)
	in = strings.Replace(in, `"quantity":3,"measure":0,"sum":250.0`,
		`"quantity":2,"measure":0,"sum":250.01`, 1) // no one price gives 250.01 for 2
	_, stderr, code := fixRun(t, in, "--split", "-")
	if code != exitInvalid || !strings.Contains(stderr,
		"error: compute: receipt.items[0].mark_code: carries a marking code and cannot be split") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

func TestFixPassesThroughWhatItCannotRead(t *testing.T) {
	bad := strings.Replace(bug04, `"total":750.0`, `"total":750.0,"discount":1`, 1)
	in := bad + "\n" + bug04 + "\n{\"broken\": \n"
	stdout, stderr, code := fixRun(t, in, "--overwrite", "-")
	outs := strings.Split(strings.TrimSpace(stdout), "\n")
	// The broken last line is passed through as it was, like document 1.
	if code != exitInvalid || len(outs) != 3 || outs[0] != bad || outs[2] != `{"broken":` {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
	if !strings.Contains(stderr, "document 1: invalid: receipt.discount") ||
		!strings.Contains(stderr, "document 3: invalid: (root)") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestFixKeepsLayout(t *testing.T) {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(bug04), "", "    "); err != nil {
		t.Fatal(err)
	}
	stdout, _, _ := fixRun(t, b.String(), "--overwrite", "-")
	if !strings.HasPrefix(stdout, "{\n  \"operation\": \"sell\",\n  \"request\": {\n") {
		t.Errorf("an indented document should come out indented:\n%s", stdout)
	}
}

func TestFixUsage(t *testing.T) {
	for _, args := range [][]string{
		{}, {"a", "b"}, {"-o", "yaml", "-"}, {"--payment-type", "10", "-"},
		{"--op", "sale", "-"}, {"--lang", "de", "-"}, {"--no-such-flag", "-"},
		{filepath.Join(t.TempDir(), "missing.json")},
	} {
		if _, _, code := fixRun(t, partial, args...); code != exitUsage {
			t.Errorf("fix %q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if _, _, code := fixRun(t, "", "-"); code != exitInvalid {
		t.Errorf("empty input: exit %d, want %d", code, exitInvalid)
	}
}

// An explicit "total": 0 is the caller's value: fix keeps it and says the
// result is invalid, and replaces it only with --overwrite.
func TestFixExplicitZero(t *testing.T) {
	zero := strings.Replace(partial, `"vat":{"type":"none"}}]}}`,
		`"vat":{"type":"none"}}],"total":0}}`, 1)
	if zero == partial {
		t.Fatal("the test input did not change")
	}
	stdout, stderr, code := fixRun(t, zero, "--payment-type", "1", "--lang", "en", "-")
	if code != exitInvalid || !strings.Contains(stdout, `"total":0}`) ||
		strings.Contains(stderr, "receipt.total: (absent)") ||
		!strings.Contains(stderr, "invalid: receipt.total") {
		t.Errorf("without --overwrite: exit %d\nstdout %s\nstderr:\n%s", code, stdout, stderr)
	}
	stdout, stderr, code = fixRun(t, zero, "--payment-type", "1", "--overwrite", "-")
	if code != exitOK || !strings.Contains(stdout, `"total":540.00}`) ||
		!strings.Contains(stderr, "receipt.total: 0 → 540.00 (overwritten") {
		t.Errorf("with --overwrite: exit %d\nstdout %s\nstderr:\n%s", code, stdout, stderr)
	}
}

// noPrice is a request whose only item lacks its price: sum and quantity
// give it, when one price fits.
const noPrice = `{"external_id":"t-1","timestamp":"04.12.2026 10:15:00","receipt":{` +
	fixSeller + `,"items":[{"name":"b","quantity":2,"sum":100,"measure":0,` +
	`"payment_method":"full_payment","payment_object":1,"vat":{"type":"vat22"}}]}}`

func TestFixMissingPrice(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		args      []string
		code      int
		unchanged bool   // the input is passed through as it was
		out       string // held by stdout
		err       string // held by stderr
	}{
		{name: "one price fits", in: noPrice, code: exitOK,
			out: `"price":50.00,"quantity":2`,
			err: "receipt.items[0].price: (absent) → 50.00 (filled: sum ÷ quantity)\n"},
		{name: "no single price", in: strings.Replace(noPrice, `"quantity":2,"sum":100,`,
			`"quantity":3,"sum":100.01,`, 1), code: exitInvalid, unchanged: true,
			err: "error: receipt.items[0].price: missing, and no single price gives the sum " +
				"100.01 for quantity 3: --split splits the line in two\n"},
		{name: "split", in: strings.Replace(noPrice, `"quantity":2,"sum":100,`,
			`"quantity":3,"sum":100.01,`, 1), args: []string{"--split"}, code: exitOK,
			out: `"price":33.33,"quantity":1,`, err: "(split: no price gives the sum 100.01"},
		{name: "no sum either", in: strings.Replace(noPrice, `"sum":100,`, ``, 1),
			code: exitInvalid, unchanged: true,
			err: "error: receipt.items[0].price: missing, and so is the sum"},
		{name: "zero sum", in: strings.Replace(noPrice, `"sum":100,`, `"sum":0,`, 1),
			code: exitInvalid, unchanged: true,
			err: "error: receipt.items[0].price: missing, and the sum is 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--payment-type", "1", "--lang", "en"}, tc.args...)
			stdout, stderr, code := fixRun(t, tc.in, append(args, "-")...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, tc.code, stderr)
			}
			if tc.unchanged && strings.TrimSpace(stdout) != tc.in {
				t.Errorf("stdout changed:\n%s", stdout)
			}
			if !strings.Contains(stdout, tc.out) || strings.Contains(stdout, `"price":0`) {
				t.Errorf("stdout lacks %s:\n%s", tc.out, stdout)
			}
			if !strings.Contains(stderr, tc.err) {
				t.Errorf("stderr lacks %q:\n%s", tc.err, stderr)
			}
		})
	}
}

// A warning leaves the document valid: fix says warning, not invalid.
func TestFixWarningPrefix(t *testing.T) {
	in := strings.NewReplacer(`"vat22"}}`, `"vat5"}}`).Replace(bug04)
	_, stderr, code := fixRun(t, in, "--overwrite", "--item-vat", "--lang", "en", "-")
	if code != exitOK || strings.Contains(stderr, "invalid:") ||
		!strings.Contains(stderr, "\nwarning: receipt.items[0].vat.type: warning vat_usn_rate") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestFixReportsRewrites checks that every value fix writes otherwise than
// it was read is reported: what --lenient lets through, and numbers
// written anew.
func TestFixReportsRewrites(t *testing.T) {
	withPhone := strings.Replace(fixSeller, `"buyer@example.test"}`,
		`"buyer@example.test","phone":null}`, 1)
	lenient := `{"external_id":"t-1","timestamp":"04.12.2026 10:15:00","receipt":{` +
		withPhone + `,"items":[{"name":"x",` +
		`"price":"10.50","quantity":2,"measure":0,"payment_method":"full_payment",` +
		`"payment_object":1,"vat":{"type":"vat22"},"foo":"+79990000000"}],` +
		`"payments":[{"type":1,"sum":21.00}]},"x_custom":{"a":1}}`
	want := "receipt.client.phone: null → (removed) (removed: null is read as an absent key" +
		" (--lenient))\n" +
		`receipt.items[0].price: "10.50" → 10.50 (converted: a number written as a string ` +
		"is written as a number (--lenient))\n" +
		`receipt.items[0].foo: "…" → (removed) (removed: unknown key, skipped (--lenient))` +
		"\n" +
		"x_custom: {…} → (removed) (removed: unknown key, skipped (--lenient))\n" +
		"receipt.items[0].sum: (absent) → 21.00 (filled: price × quantity)\n" +
		"receipt.total: (absent) → 21.00 (filled: Σ items[].sum)\n"
	stdout, stderr, code := fixRun(t, lenient, "--lenient", "-")
	if code != exitOK || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	if strings.Contains(stdout, "x_custom") || !strings.Contains(stdout, `"price":10.50`) {
		t.Errorf("stdout:\n%s", stdout)
	}

	// The same in -o json, with the kinds spelt out.
	_, stderr, _ = fixRun(t, lenient, "--lenient", "-o", "json", "-")
	var rep struct {
		Changes []struct{ Path, Kind, Old, New string }
	}
	if err := json.Unmarshal([]byte(stderr), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	kinds := map[string]string{}
	for _, c := range rep.Changes {
		kinds[c.Path] = c.Kind + " " + c.Old + " " + c.New
	}
	for path, k := range map[string]string{"receipt.client.phone": "removed null ",
		"receipt.items[0].price": `converted "10.50" 10.50`,
		"receipt.items[0].foo":   `removed "…" `, "x_custom": "removed {…} "} {
		if kinds[path] != k {
			t.Errorf("%s: %q, want %q", path, kinds[path], k)
		}
	}
	// A buyer's contact under an unknown key is not printed.
	if strings.Contains(stderr, "79990000000") {
		t.Errorf("stderr shows the dropped value:\n%s", stderr)
	}

	// Numbers whose value stays and whose text does not, strict or not.
	forms := strings.NewReplacer(`"sum":750.0}]`, `"sum":7.5e2}]`,
		`"measure":0,`, `"measure":0.0,`, `"total":750.0`, `"total":750.00E0`).Replace(bug04)
	stdout, stderr, code = fixRun(t, forms, "--overwrite", "-")
	want = "receipt.items[0].measure: 0.0 → 0 (reformatted: the same integer, written " +
		"without a fraction)\n" +
		"receipt.payments[0].sum: 7.5e2 → 750 (reformatted: the same value, written " +
		"without an exponent)\n" +
		"receipt.total: 750.00E0 → 750.00 (reformatted: the same value, written without " +
		"an exponent)\n" +
		"receipt.items[0].sum: 250.0 → 750.00 (overwritten: price × quantity, rounded to " +
		"kopecks)\n"
	if code != exitOK || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	if !strings.Contains(stdout, `"total":750.00}`) {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// A request with far more items than the format allows is listed, not
// completed: no completion makes it valid, and copying it costs memory.
func TestFixTooManyItems(t *testing.T) {
	line := `{"name":"Чай","price":120.00,"quantity":2,"measure":0,` +
		`"payment_method":"full_payment","payment_object":1,"vat":{"type":"vat22"}}`
	lines := strings.TrimSuffix(strings.Repeat(line+",", 300), ",")
	in := `{"timestamp":"04.12.2026 10:15:00","external_id":"ord-1","receipt":{` +
		fixSeller + `,"items":[` + lines + `]}}`
	stdout, stderr, code := fixRun(t, in, "--payment-type", "1", "--lang", "en", "-")
	if code != exitInvalid || strings.TrimSpace(stdout) != in ||
		!strings.Contains(stderr, "300 items: the format allows at most 100") ||
		strings.Contains(stderr, "(filled") {
		t.Errorf("exit %d\nstderr:\n%.600s", code, stderr)
	}
}

// A document that cannot be read is passed through unchanged, and fix says
// so and why.
func TestFixUnreadableSaysWhy(t *testing.T) {
	in := strings.Replace(partial, `"client":{"email":"buyer@example.test"}`,
		`"client":{"email":"buyer@example.test","birthdate":"1990-13-45"}`, 1)
	if in == partial {
		t.Fatal("the test input did not change")
	}
	stdout, stderr, code := fixRun(t, in, "--payment-type", "1", "--lang", "en", "-")
	if code != exitInvalid || strings.TrimSpace(stdout) != in ||
		!strings.Contains(stderr, "cannot be read as it is, so fix leaves it unchanged") ||
		!strings.Contains(stderr, "receipt.client.birthdate") {
		t.Errorf("exit %d\nstderr:\n%s", code, stderr)
	}
}
