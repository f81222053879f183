package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// validReq is a valid sell request; badReq has a phone with spaces and an
// item sum that is not price × quantity.
const (
	validReq = `{"timestamp":"04.12.2026 10:15:00","external_id":"ord-1",
"receipt":{"client":{"email":"buyer@example.test"},
"company":{"email":"shop@example.test","sno":"osn","inn":"7701493822",
"payment_address":"https://shop.example.test"},
"items":[{"name":"Товар","price":1220.00,"quantity":1,"measure":0,"sum":1220.00,
"payment_method":"full_payment","payment_object":1,"vat":{"type":"vat22","sum":220.00}}],
"payments":[{"type":1,"sum":1220.00}],"total":1220.00}}`
	badReq = `{"timestamp":"04.12.2026 10:15:00","external_id":"ord-1",
"receipt":{"client":{"phone":"+7 (900) 123-45-67"},
"company":{"email":"shop@example.test","sno":"osn","inn":"7701493822",
"payment_address":"https://shop.example.test"},
"items":[{"name":"Товар","price":1220.00,"quantity":2,"measure":0,"sum":1220.00,
"payment_method":"full_payment","payment_object":1,"vat":{"type":"vat22"}}],
"payments":[{"type":1,"sum":1220.00}],"total":1220.00}}`
)

type validateOutput struct {
	Valid      bool `json:"valid"`
	Violations []map[string]any
}

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "req.json")
	if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestValidateJSONOutput(t *testing.T) {
	file := writeTemp(t, badReq)
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			stdout, stderr, code := runCmd(t, "", "validate", "-o", "json", "--lang", lang, file)
			if code != exitInvalid {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitInvalid, stderr)
			}
			var out validateOutput
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("output is not one JSON object: %v\n%s", err, stdout)
			}
			if out.Valid || len(out.Violations) != 2 {
				t.Fatalf("want invalid with 2 violations:\n%s", stdout)
			}
			for _, v := range out.Violations {
				for _, key := range []string{"code", "path", "message", "severity",
					"expected", "actual"} {
					if _, ok := v[key]; !ok {
						t.Errorf("violation lacks %q: %v", key, v)
					}
				}
			}
			first := out.Violations[0]
			if first["code"] != "phone" || first["path"] != "receipt.client.phone" ||
				first["expected"] != "+###########" || first["severity"] != "error" ||
				strings.Contains(stdout, "9001234567") {
				t.Errorf("first violation: %v", first)
			}
			msg, _ := first["message"].(string)
			cyrillic := strings.ContainsAny(msg, "абвгдеёжзийклмнопрстуфхцчшщыьэюя")
			if (lang == "ru") != cyrillic {
				t.Errorf("--lang %s gave the message %q", lang, msg)
			}
			if second := out.Violations[1]; second["code"] != "sum_price_quantity" ||
				second["path"] != "receipt.items[0].sum" {
				t.Errorf("second violation: %v", second)
			}
		})
	}
}

func TestValidateValid(t *testing.T) {
	stdout, _, code := runCmd(t, validReq, "validate", "-o", "json", "-")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	if strings.TrimSpace(stdout) != `{"document":1,"valid":true,"violations":[]}` {
		t.Errorf("output %s", stdout)
	}
	stdout, _, code = runCmd(t, validReq, "validate", "-")
	if code != exitOK || strings.TrimSpace(stdout) != "valid" {
		t.Errorf("text output %q, exit %d", stdout, code)
	}
}

func TestValidateTextAndOp(t *testing.T) {
	file := writeTemp(t, badReq)
	stdout, _, code := runCmd(t, "", "validate", "--lang", "en", file)
	if code != exitInvalid || !strings.Contains(stdout,
		"receipt.client.phone: error phone: bad phone number") {
		t.Errorf("exit %d, output:\n%s", code, stdout)
	}
	// The receipt root does not fit a correction operation.
	stdout, _, code = runCmd(t, validReq, "validate", "-o", "json", "--op", "sell_correction", "-")
	if code != exitInvalid || !strings.Contains(stdout, `"code":"root_operation"`) {
		t.Errorf("exit %d, output:\n%s", code, stdout)
	}
}

func TestValidateDecodeErrorsInRussian(t *testing.T) {
	// A malformed second line of a stream and a quoted amount: the Russian
	// messages are Russian, not the decoder's English.
	quoted := strings.Replace(validReq, `"total":1220.00`, `"total":"1220.00"`, 1)
	input := validReq + "\n" + quoted + "\n{\"timestamp\":"
	stdout, _, code := runCmd(t, input, "validate", "-o", "json", "--lang", "ru", "-")
	if code != exitInvalid {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 reports, one per document:\n%s", stdout)
	}
	for _, l := range lines[1:] {
		var out validateOutput
		if err := json.Unmarshal([]byte(l), &out); err != nil || len(out.Violations) == 0 {
			t.Fatalf("report %q: %v", l, err)
		}
		msg := out.Violations[0]["message"].(string)
		for _, english := range []string{"want ", "unexpected", "got "} {
			if strings.Contains(msg, english) {
				t.Errorf("Russian message carries English text: %q", msg)
			}
		}
	}
}

// fullWriter fails every write, as stdout redirected to /dev/full does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) {
	return 0, errors.New("write /dev/stdout: no space left on device")
}

// TestOutputUnwritable checks that validate and fix fail with exit 2 and
// say so on stderr when stdout takes nothing: a verdict or a fixed
// document nobody received is not a success.
func TestOutputUnwritable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"validate text", validReq, []string{"validate", "-"}},
		{"validate text invalid", badReq, []string{"validate", "-"}},
		{"validate json", validReq, []string{"validate", "-o", "json", "-"}},
		{"fix", validReq, []string{"fix", "-"}},
		{"fix json", validReq, []string{"fix", "-o", "json", "-"}},
		{"map", "", []string{"map", "--rules", "ozon-fbs",
			"../../testdata/orders/ozon/fbs_get_v3.json"}},
		{"map pretty", "", []string{"map", "--rules", "ozon-fbs", "--pretty",
			"../../testdata/orders/ozon/fbs_list_v3.json"}},
		{"test", "", []string{"test", "ozon-fbs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var errb bytes.Buffer
			e := &env{stdin: strings.NewReader(tt.stdin), stdout: fullWriter{}, stderr: &errb,
				getenv: func(string) string { return "" }}
			code := run(context.Background(), e, tt.args)
			if code != exitUsage || !strings.Contains(errb.String(), "no space left") {
				t.Fatalf("exit %d, stderr %q; want 2 and the write error", code, errb.String())
			}
		})
	}
}

// TestValidateSaysWhatItLeftOut checks that a document with more decoding
// problems than are listed ends with a violation counting the rest, in
// text and JSON output.
func TestValidateSaysWhatItLeftOut(t *testing.T) {
	t.Parallel()
	var keys strings.Builder
	for i := range 1500 {
		keys.WriteString(`"x` + strconv.Itoa(i) + `":1,`)
	}
	doc := strings.Replace(validReq, `"receipt":{`, `"receipt":{`+keys.String(), 1)
	stdout, _, code := runCmd(t, doc, "validate", "--lang", "en", "-")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	last := lines[len(lines)-1]
	if code != exitInvalid || len(lines) != 1001 || !strings.Contains(last,
		"error problems_omitted: 500 more decoding problems are not listed") {
		t.Fatalf("exit %d, %d lines, last %q", code, len(lines), last)
	}
	stdout, _, code = runCmd(t, doc, "validate", "-o", "json", "-")
	var out validateOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != exitInvalid {
		t.Fatalf("exit %d: %v", code, err)
	}
	v := out.Violations[len(out.Violations)-1]
	if len(out.Violations) != 1001 || v["code"] != "problems_omitted" ||
		!strings.Contains(v["message"].(string), "500") {
		t.Fatalf("%d violations, last %v", len(out.Violations), v)
	}
}
