package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
)

const evotorTestdata = "../../evotor/testdata/"

// runWithEnv runs a command line with the given environment variables.
func runWithEnv(t *testing.T, vars map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] }}
	code := run(context.Background(), e, args)
	return out.String(), errb.String(), code
}

// reportLines decodes submit's output.
func reportLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestSubmitSandbox(t *testing.T) {
	t.Parallel()
	out, errs, code := runCmd(t, "", "submit", "--sandbox", evotorTestdata+"sell.json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := reportLines(t, out)
	if len(lines) != 1 || lines[0]["status"] != "done" ||
		lines[0]["external_id"] != "order-123-sell-1" || lines[0]["operation"] != "sell" {
		t.Fatalf("output %s", out)
	}
	p, _ := lines[0]["payload"].(map[string]any)
	for _, k := range []string{"fiscal_receipt_number", "shift_number", "fn_number",
		"fiscal_document_number", "fiscal_document_attribute", "total"} {
		if p[k] == nil {
			t.Errorf("payload lacks %s: %s", k, out)
		}
	}
}

func TestSubmitStream(t *testing.T) {
	t.Parallel()
	bad := `{"operation":"sell","request":{"external_id":"x"}}`
	stdin := readFile(t, evotorTestdata+"stream.jsonl") + bad + "\n{broken"
	out, _, code := runCmd(t, stdin, "submit", "--sandbox", "--parallel", "2", "-")
	if code != exitInvalid {
		t.Fatalf("exit %d, want 1", code)
	}
	lines := reportLines(t, out)
	want := []struct{ id, status, op string }{
		{"order-200-sell-1", "done", "sell"},
		{"order-200-refund-1", "done", "sell_refund"},
		{"x", "fail", "sell"},
		{"", "fail", ""},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		l := lines[i]
		if str(l["external_id"]) != w.id || l["status"] != w.status || str(l["operation"]) != w.op {
			t.Errorf("line %d: %v, want %+v", i, l, w)
		}
	}
	if ce, _ := lines[2]["client_error"].(map[string]any); ce["kind"] != "invalid" {
		t.Errorf("line 3: client_error %v", lines[2]["client_error"])
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func TestSubmitInvalid(t *testing.T) {
	t.Parallel()
	out, _, code := runCmd(t, "", "submit", "--sandbox", evotorTestdata+"invalid-sum.json")
	if code != exitInvalid {
		t.Fatalf("exit %d, want 1", code)
	}
	l := reportLines(t, out)[0]
	ce, _ := l["client_error"].(map[string]any)
	vs, _ := ce["violations"].([]any)
	if ce["kind"] != "invalid" || len(vs) == 0 {
		t.Fatalf("line %v: want the pre-flight violations", l)
	}
	// Without the local check the sandbox refuses it with code 32.
	out, _, code = runCmd(t, "", "submit", "--sandbox", "--no-validate",
		evotorTestdata+"invalid-sum.json")
	ce, _ = reportLines(t, out)[0]["client_error"].(map[string]any)
	if code != exitInvalid || ce["code"] != 32.0 {
		t.Fatalf("exit %d, line %s: want code 32", code, out)
	}
}

func TestSubmitEndpoint(t *testing.T) {
	t.Parallel()
	s := evotortest.NewServer()
	t.Cleanup(s.Close)
	vars := map[string]string{"EVOTOR_LOGIN": s.Login, "EVOTOR_PASSWORD": s.Password,
		"EVOTOR_GROUP": s.Group}
	journal := filepath.Join(t.TempDir(), "journal.jsonl")
	args := []string{"submit", "--endpoint", s.URL, "--journal", journal,
		evotorTestdata + "sell.json"}
	out, errs, code := runWithEnv(t, vars, args...)
	if code != exitOK || reportLines(t, out)[0]["duplicate"] != nil {
		t.Fatalf("first run: exit %d %s %s", code, out, errs)
	}
	// A second run resends safely: the journal vouches for the body.
	out, errs, code = runWithEnv(t, vars, args...)
	if code != exitOK || reportLines(t, out)[0]["duplicate"] != true {
		t.Fatalf("second run: exit %d %s %s", code, out, errs)
	}
	// Without the journal, the service's 33 cannot be matched to this body.
	out, _, code = runWithEnv(t, vars, "submit", "--endpoint", s.URL,
		evotorTestdata+"sell.json")
	ce, _ := reportLines(t, out)[0]["client_error"].(map[string]any)
	if code != exitInvalid || ce["kind"] != "conflict" {
		t.Fatalf("run without journal: exit %d %s", code, out)
	}
	if st := s.Stats(); st.Registrations != 1 {
		t.Fatalf("stats %+v", st)
	}

	// Wrong credentials stop the run with exit 2, and never show the password.
	vars["EVOTOR_PASSWORD"] = "wrong-Pa55word"
	out, errs, code = runWithEnv(t, vars, "submit", "--endpoint", s.URL,
		evotorTestdata+"sell.json")
	if code != exitUsage || !strings.Contains(errs, "auth") ||
		strings.Contains(out+errs, "wrong-Pa55word") {
		t.Fatalf("bad credentials: exit %d\n%s\n%s", code, out, errs)
	}
}

func TestSubmitUsage(t *testing.T) {
	t.Parallel()
	sell := evotorTestdata + "sell.json"
	tests := []struct {
		name string
		args []string
	}{
		{"no target", []string{"submit", sell}},
		{"both targets", []string{"submit", "--sandbox", "--endpoint", "test", sell}},
		{"no credentials", []string{"submit", "--endpoint", "http://127.0.0.1:1/", sell}},
		{"bad endpoint", []string{"submit", "--endpoint", "ftp://x", "--login", "a",
			"--password", "b", "--group", "g", sell}},
		{"no file", []string{"submit", "--sandbox"}},
		{"missing file", []string{"submit", "--sandbox", "testdata/none.json"}},
		{"bad op", []string{"submit", "--sandbox", "--op", "sale", sell}},
		{"parallel", []string{"submit", "--sandbox", "--parallel", "0", sell}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, code := runWithEnv(t, nil, tt.args...); code != exitUsage {
				t.Fatalf("exit %d, want 2", code)
			}
		})
	}
	if _, _, code := runCmd(t, "  \n", "submit", "--sandbox", "-"); code != exitUsage {
		t.Fatalf("empty input: exit %d, want 2", code)
	}
}

func TestSandboxCommand(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":8080", "192.0.2.10:80"} {
		if _, _, code := runCmd(t, "", "sandbox", "--addr", addr); code != exitUsage {
			t.Errorf("--addr %s: exit %d, want 2", addr, code)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: pw, stderr: &errb,
		getenv: func(string) string { return "" }}
	done := make(chan int)
	go func() {
		done <- run(ctx, e, []string{"sandbox", "--addr", "127.0.0.1:0",
			"--processing", "10ms"})
		pw.Close()
	}()
	url, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url = strings.TrimSpace(url)
	go io.Copy(io.Discard, pr)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q, want the URL", url)
	}
	vars := map[string]string{"EVOTOR_LOGIN": evotortest.DefaultLogin,
		"EVOTOR_PASSWORD": evotortest.DefaultPassword, "EVOTOR_GROUP": evotortest.DefaultGroup}
	out, errs, code := runWithEnv(t, vars, "submit", "--endpoint", url,
		evotorTestdata+"sell.json")
	if code != exitOK || reportLines(t, out)[0]["status"] != "done" {
		t.Fatalf("submit to the sandbox: exit %d %s %s", code, out, errs)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("sandbox exit %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sandbox did not stop")
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	var e env
	data, err := readInput(&e, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
