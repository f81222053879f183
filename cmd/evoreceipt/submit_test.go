package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
	"github.com/evoreceipt/evoreceipt/model"
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
	l := reportLines(t, out)[0]
	ce, _ := l["client_error"].(map[string]any)
	if code != exitInvalid || ce["kind"] != "conflict" || l["status"] != "unknown" ||
		l["uuid"] != s.UUID("order-123-sell-1") {
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

// sellLine returns the sample sell request as one line, under id and
// selling name.
func sellLine(t *testing.T, id, name string) string {
	t.Helper()
	req, err := model.DecodeRequest([]byte(readFile(t, evotorTestdata+"sell.json")),
		model.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	req.ExternalID, req.Receipt.Items[0].Name = id, name
	out, err := model.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return string(out) + "\n"
}

// runCtx runs a command line under ctx with stdin and the environment.
func runCtx(ctx context.Context, vars map[string]string, stdin string,
	args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] }}
	code := run(ctx, e, args)
	return out.String(), errb.String(), code
}

func sandboxVars(s *evotortest.Server) map[string]string {
	return map[string]string{"EVOTOR_LOGIN": s.Login, "EVOTOR_PASSWORD": s.Password,
		"EVOTOR_GROUP": s.Group}
}

// TestSubmitSameDocumentTwice submits one document on two lines at once,
// with a journal: both lines must be done with the one uuid, the journal
// must keep it, and a different body under the external_id must then be
// refused unsent. Unserialised, the two sends raced and the loser of the
// service's 33 forgot the journal entry about half the time, so the test
// tries several times.
func TestSubmitSameDocumentTwice(t *testing.T) {
	t.Parallel()
	s := evotortest.NewServer()
	t.Cleanup(s.Close)
	vars := sandboxVars(s)
	for n := range 8 {
		id := "twice-" + strconv.Itoa(n)
		journal := filepath.Join(t.TempDir(), "j.jsonl")
		line := sellLine(t, id, "Товар")
		out, errs, code := runCtx(context.Background(), vars, line+line, "submit",
			"--endpoint", s.URL, "--journal", journal, "-")
		lines := reportLines(t, out)
		if code != exitOK || len(lines) != 2 || lines[0]["status"] != "done" ||
			lines[1]["status"] != "done" || lines[0]["uuid"] != lines[1]["uuid"] ||
			lines[0]["uuid"] != s.UUID(id) {
			t.Fatalf("try %d: exit %d\n%s%s", n, code, out, errs)
		}
		data, err := os.ReadFile(journal)
		if err != nil {
			t.Fatal(err)
		}
		if j := string(data); strings.Count(j, `"begin"`) != 1 ||
			strings.Count(j, `"accept"`) != 1 || strings.Contains(j, `"forget"`) {
			t.Fatalf("try %d: journal\n%s", n, j)
		}
		before := s.Stats()
		out, _, code = runCtx(context.Background(), vars, sellLine(t, id, "Другой товар"),
			"submit", "--endpoint", s.URL, "--journal", journal, "-")
		l := reportLines(t, out)[0]
		ce, _ := l["client_error"].(map[string]any)
		if code != exitInvalid || l["status"] != "fail" || ce["kind"] != "conflict" {
			t.Fatalf("try %d: different body: exit %d %s", n, code, out)
		}
		if after := s.Stats(); after.Duplicates != before.Duplicates ||
			after.Registrations != before.Registrations || s.Registered(id) != 1 {
			t.Fatalf("try %d: the different body was sent: %+v -> %+v", n, before, after)
		}
	}
}

// scriptServer is an httptest server answering with f. Its answers close
// the connection, so that every request dials anew.
func scriptServer(t *testing.T, f func(w http.ResponseWriter, r *http.Request)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		f(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + evotortest.BasePath
}

const (
	secretToken = "TOKEN-7f3a9c-SECRET"
	buyerEmail  = "ivan.petrov@example.org"
	buyerPhone  = "+79001234567"
)

// TestSubmitStatuses pins the status each outcome gets in submit's
// output: only what certainly registered nothing is fail or not_sent, a
// document that may be registered is unknown (with its uuid when known),
// and no service text brings a secret along.
func TestSubmitStatuses(t *testing.T) {
	t.Parallel()
	echo := "echo " + secretToken + " " + buyerEmail + " " + buyerPhone + " 8 (900) 123-45-67"
	answer := func(register, report string) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			switch {
			case strings.HasSuffix(r.URL.Path, "/getToken"):
				io.WriteString(w, `{"error":null,"token":"`+secretToken+`"}`)
			case strings.Contains(r.URL.Path, "/report/"):
				io.WriteString(w, report)
			default:
				if strings.Contains(register, `"code"`) {
					w.WriteHeader(400)
				}
				io.WriteString(w, register)
			}
		}
	}
	accepted := `{"uuid":"u-1","status":"wait","error":null,"timestamp":"x"}`
	tests := []struct {
		name     string
		register string
		report   string
		code     int
		status   string
		uuid     string
		kind     string
	}{
		{"code 33 for a body the journal does not know", `{"uuid":"u-33",` +
			`"status":"wait","error":{"code":33,"text":"exists","type":"system"}}`, "",
			exitInvalid, "unknown", "u-33", "conflict"},
		{"invalid", `{"status":"fail","error":{"code":32,"text":"bad","type":"system"}}`, "",
			exitInvalid, "fail", "", "invalid"},
		{"wrong group", `{"error":{"code":20,"text":"group","type":"system"}}`, "",
			exitUsage, "not_sent", "", "config"},
		{"report of a failure echoing secrets", accepted, `{"uuid":"u-1","status":"fail",` +
			`"error":{"code":2006,"type":"agent","error_id":"e","text":"` + echo + `"},` +
			`"warnings":{"callback_url":"` + echo + `"}}`, exitInvalid, "fail", "u-1", ""},
		{"report of another uuid", accepted, `{"uuid":"u-2","status":"done","error":null}`,
			exitInvalid, "wait", "u-1", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := scriptServer(t, answer(tt.register, tt.report))
			vars := map[string]string{"EVOTOR_LOGIN": "shop", "EVOTOR_PASSWORD": "s3cret-Pw",
				"EVOTOR_GROUP": "g1"}
			out, errs, code := runCtx(context.Background(), vars,
				sellLine(t, "o-1", "Товар")+sellLine(t, "o-2", "Товар"), "submit",
				"--endpoint", u, "--parallel", "1", "-v", "-")
			lines := reportLines(t, out)
			if code != tt.code || len(lines) != 2 {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			l := lines[0]
			ce, _ := l["client_error"].(map[string]any)
			if l["status"] != tt.status || str(l["uuid"]) != tt.uuid || str(ce["kind"]) != tt.kind {
				t.Fatalf("line %v, want status %s uuid %q kind %q", l, tt.status, tt.uuid,
					tt.kind)
			}
			if tt.status == "unknown" && !strings.Contains(str(l["note"]), "new external_id") {
				t.Fatalf("line %v lacks the advice", l)
			}
			for _, secret := range []string{secretToken, buyerEmail, buyerPhone,
				"8 (900) 123-45-67", "s3cret-Pw"} {
				if strings.Contains(out+errs, secret) {
					t.Fatalf("%q printed:\n%s%s", secret, out, errs)
				}
			}
			if strings.Contains(out, "may have been registered") != (tt.status == "unknown") {
				t.Fatalf("the outcome's text does not fit the status:\n%s", out)
			}
		})
	}
}

// TestSubmitDeadEndpoint checks that an endpoint that cannot be reached,
// from the start or after the token, stops the run within seconds, every
// document reported not_sent (a refused connection sent nothing).
// Unchecked, each document was tried five times with backoff (16 took
// 44 s) and labelled "may have been registered".
func TestSubmitDeadEndpoint(t *testing.T) {
	t.Parallel()
	dead := func(t *testing.T) string {
		srv := httptest.NewServer(http.NotFoundHandler())
		u := srv.URL + evotortest.BasePath
		srv.Close()
		return u
	}
	afterToken := func(t *testing.T) string {
		var l net.Listener
		srv := httptest.NewUnstartedServer(http.HandlerFunc(
			func(w http.ResponseWriter, r *http.Request) {
				l.Close() // the endpoint dies after issuing a token
				w.Header().Set("Connection", "close")
				io.WriteString(w, `{"error":null,"token":"tok-1"}`)
			}))
		l = srv.Listener
		srv.Start()
		t.Cleanup(srv.Close)
		return srv.URL + evotortest.BasePath
	}
	var input strings.Builder
	for i := range 16 {
		input.WriteString(sellLine(t, "dead-"+strconv.Itoa(i), "Товар"))
	}
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{{"from the start", dead}, {"after the token", afterToken}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"EVOTOR_LOGIN": "a", "EVOTOR_PASSWORD": "b",
				"EVOTOR_GROUP": "g"}
			start := time.Now()
			out, errs, code := runCtx(context.Background(), vars, input.String(), "submit",
				"--endpoint", tc.url(t), "-")
			elapsed := time.Since(start)
			lines := reportLines(t, out)
			if code != exitUsage || len(lines) != 16 || !strings.Contains(errs, "unreachable") {
				t.Fatalf("exit %d, %d lines\n%s%s", code, len(lines), out, errs)
			}
			for i, l := range lines {
				ce, _ := l["client_error"].(map[string]any)
				if l["status"] != "not_sent" || strings.Contains(str(ce["message"]), "may have") {
					t.Fatalf("line %d: %v", i, l)
				}
			}
			// The stop is due after about 3 s; the bound leaves room for a
			// loaded machine while still catching the old minute-long retries.
			if elapsed > 20*time.Second {
				t.Fatalf("took %v", elapsed)
			}
			t.Logf("stopped after %v", elapsed)
		})
	}
}

// TestSubmitInterrupted interrupts a run with two documents in flight:
// they reached the service and are unknown; those never sent are
// not_sent, kind canceled, not invalid.
func TestSubmitInterrupted(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 16)
	u := scriptServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/getToken") {
			io.WriteString(w, `{"error":null,"token":"tok-1"}`)
			return
		}
		// The body must be read for the server to notice the client
		// leaving; then no answer comes until it does.
		io.Copy(io.Discard, r.Body)
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	var input strings.Builder
	for i := range 6 {
		input.WriteString(sellLine(t, "int-"+strconv.Itoa(i), "Товар"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		<-arrived
		cancel()
	}()
	vars := map[string]string{"EVOTOR_LOGIN": "a", "EVOTOR_PASSWORD": "b", "EVOTOR_GROUP": "g"}
	out, errs, code := runCtx(ctx, vars, input.String(), "submit", "--endpoint", u,
		"--parallel", "2", "-")
	lines := reportLines(t, out)
	if code != exitUsage || len(lines) != 6 || !strings.Contains(errs, "interrupted") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for i, l := range lines {
		ce, _ := l["client_error"].(map[string]any)
		want, kind := "not_sent", "canceled"
		if i < 2 {
			want, kind = "unknown", "transient"
		}
		if l["status"] != want || ce["kind"] != kind {
			t.Errorf("line %d: %v, want %s %s", i, l, want, kind)
		}
	}
}

// TestSandboxSIGTERM stops the sandbox command with SIGTERM, which must
// end it as Ctrl-C does, summary included. Not parallel: the signal goes
// to the whole test binary, and is sent only once the command listens
// for it (it prints its URL after that).
func TestSandboxSIGTERM(t *testing.T) {
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: pw, stderr: &errb,
		getenv: func(string) string { return "" }}
	done := make(chan int)
	go func() {
		done <- run(context.Background(), e, []string{"sandbox", "--addr", "127.0.0.1:0"})
		pw.Close()
	}()
	if _, err := bufio.NewReader(pr).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != exitOK || !strings.Contains(errb.String(), "documents registered") {
			t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not stop the sandbox")
	}
}

// TestSubmitAndSandboxFlags checks flag values that used to pass or got a
// misleading message.
func TestSubmitAndSandboxFlags(t *testing.T) {
	t.Parallel()
	sell := evotorTestdata + "sell.json"
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"submit", "--sandbox", "--timeout", "-1s", sell}, "--timeout must be positive"},
		{[]string{"submit", "--sandbox", "--timeout", "0s", sell}, "--timeout must be positive"},
		{[]string{"sandbox", "--addr", "127.0.0.1"}, "give a port"},
		{[]string{"sandbox", "--addr", "localhost"}, "give a port"},
		{[]string{"sandbox", "--processing", "-1s"}, "--processing must not be negative"},
		{[]string{"sandbox", "--latency", "-1ms"}, "--latency must not be negative"},
		{[]string{"sandbox", "--token-ttl", "0"}, "--token-ttl must be positive"},
		{[]string{"sandbox", "--token-ttl", "-1h"}, "--token-ttl must be positive"},
	}
	for _, tt := range tests {
		// A sandbox that took a bad flag would serve until the context ends.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, errs, code := runCtx(ctx, nil, "", tt.args...)
		cancel()
		if code != exitUsage || !strings.Contains(errs, tt.want) ||
			strings.Contains(errs, "loopback") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
}

// TestHelpSummaries checks that the list of commands shows a whole
// sentence for each command of this file's concern: help prints only a
// summary's first line.
func TestHelpSummaries(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"submit", "sandbox", "validate", "fix"} {
		first := firstLine(commands[name].summary)
		if !strings.HasSuffix(first, ".") || len(first) > 86 {
			t.Errorf("%s: first line %q is not one whole short sentence", name, first)
		}
	}
}

// TestReachability drives the probe with dial outcomes: it trips after
// the limit of failures in a row, or when failures alone last the window;
// a connection or an answer starts over; a dial its caller abandoned is
// not counted.
func TestReachability(t *testing.T) {
	t.Parallel()
	refused := errors.New("connection refused")
	type step struct {
		err      error
		canceled bool          // the dial's context ended
		answer   bool          // an answer arrived instead of a dial
		pause    time.Duration // before the step
	}
	const long, short = time.Hour, 100 * time.Millisecond
	tests := []struct {
		name   string
		window time.Duration
		steps  []step
		trip   bool
	}{
		{"limit in a row", long, []step{{err: refused}, {err: refused}, {err: refused}}, true},
		{"broken by a connection", long, []step{{err: refused}, {err: refused}, {},
			{err: refused}, {err: refused}}, false},
		{"broken by an answer", long, []step{{err: refused}, {err: refused}, {answer: true},
			{err: refused}, {err: refused}}, false},
		{"abandoned dials", long, []step{{err: refused}, {err: refused, canceled: true},
			{err: refused, canceled: true}, {err: refused, canceled: true}}, false},
		{"window", short, []step{{err: refused}, {pause: 150 * time.Millisecond}}, true},
		{"window broken", short, []step{{err: refused}, {answer: true},
			{pause: 150 * time.Millisecond}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newReachability(3, tt.window, time.Now)
			tripped := make(chan error, 1)
			r.onDown(func(err error) { tripped <- err })
			for _, s := range tt.steps {
				time.Sleep(s.pause)
				if s.pause > 0 {
					continue
				}
				if s.answer {
					r.trace().GotFirstResponseByte()
					continue
				}
				ctx, cancel := context.WithCancel(context.Background())
				if s.canceled {
					cancel()
				}
				dial := r.dial(func(context.Context, string, string) (net.Conn, error) {
					return nil, s.err
				})
				_, _ = dial(ctx, "tcp", "127.0.0.1:1")
				cancel()
			}
			select {
			case err := <-tripped:
				if !tt.trip {
					t.Fatalf("tripped: %v", err)
				}
				if !strings.Contains(err.Error(), "connection refused") {
					t.Fatalf("message %q lacks the cause", err)
				}
			case <-time.After(200 * time.Millisecond):
				if tt.trip {
					t.Fatal("did not trip")
				}
			}
		})
	}
}
