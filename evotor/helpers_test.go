package evotor_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
	"github.com/evoreceipt/evoreceipt/model"
)

// Credentials of the scripted servers; tests check that they never leak.
const (
	testLogin = "shop-login"
	testPass  = "s3cret-Pa55word"
	testGroup = "g1"
)

// fastRetry retries without waiting, so that tests are quick.
var fastRetry = evotor.RetryPolicy{MaxAttempts: 4, PollMin: time.Millisecond,
	PollMax: 2 * time.Millisecond}

// call is one request a scripted server received.
type call struct {
	Method, Path, Token, ContentType string
	Body                             []byte
	// N counts the requests to this path so far, from 1.
	N int
}

// script is an httptest server that answers each request as the test's
// function says: HTTP status and body. A status of 0 drops the connection.
type script struct {
	srv    *httptest.Server
	mu     sync.Mutex
	calls  []call
	counts map[string]int
}

func newScript(t *testing.T, answer func(c call) (int, string)) *script {
	t.Helper()
	s := &script{counts: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		path := strings.TrimPrefix(r.URL.Path, evotortest.BasePath)
		s.mu.Lock()
		s.counts[path]++
		c := call{Method: r.Method, Path: path, Token: r.Header.Get("Token"),
			ContentType: r.Header.Get("Content-Type"), Body: body, N: s.counts[path]}
		s.calls = append(s.calls, c)
		s.mu.Unlock()
		status, out := answer(c)
		if status == 0 {
			hj := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, out)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// request rebuilds the call as a request, to pass it on to a sandbox.
func (c call) request() *http.Request {
	r := httptest.NewRequest(c.Method, evotortest.BasePath+c.Path, bytes.NewReader(c.Body))
	if c.Token != "" {
		r.Header.Set("Token", c.Token)
	}
	if c.ContentType != "" {
		r.Header.Set("Content-Type", c.ContentType)
	}
	return r
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func (s *script) URL() string { return s.srv.URL + evotortest.BasePath }

// count returns how many requests went to path.
func (s *script) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[path]
}

func (s *script) callsTo(path string) []call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []call
	for _, c := range s.calls {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// tokenOK answers getToken with a token named after the request's number.
func tokenOK(c call) (int, string) {
	return 200, `{"error":null,"token":"tok-` + itoa(c.N) + `-abcdef",` +
		`"timestamp":"05.01.2026 10:15:00"}`
}

func itoa(n int) string { return strconv.Itoa(n) }

func svcErr(code int, text string) string {
	return `{"error":{"error_id":"e-` + itoa(code) + `","code":` + itoa(code) +
		`,"text":"` + text + `","type":"system"},"status":"fail","timestamp":"05.01.2026 10:15:00"}`
}

// newClient returns a client for base with the test credentials and fast
// retries, changed by opts.
func newClient(t testing.TB, base string, opts ...evotor.Option) *evotor.Client {
	t.Helper()
	all := append([]evotor.Option{evotor.WithBaseURL(base),
		evotor.WithCredentials(testLogin, testPass), evotor.WithGroupCode(testGroup),
		evotor.WithRetry(fastRetry)}, opts...)
	c, err := evotor.NewClient(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sandboxClient starts a sandbox with opts and returns a client for it.
func sandboxClient(t testing.TB, opts []evotortest.Option, copts ...evotor.Option) (
	*evotor.Client, *evotortest.Server) {
	t.Helper()
	s := evotortest.NewServer(opts...)
	t.Cleanup(s.Close)
	all := append([]evotor.Option{evotor.WithBaseURL(s.URL),
		evotor.WithCredentials(s.Login, s.Password), evotor.WithGroupCode(s.Group),
		evotor.WithRetry(fastRetry)}, copts...)
	c, err := evotor.NewClient(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

// readRequest reads a request from testdata.
func readRequest(t testing.TB, name string) *model.Request {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	req, err := model.DecodeRequest(data, model.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// sellRequest returns the sample sell request under externalID.
func sellRequest(t testing.TB, externalID string) *model.Request {
	t.Helper()
	req := readRequest(t, "sell.json")
	req.ExternalID = externalID
	return req
}
