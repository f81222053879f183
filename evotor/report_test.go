package evotor_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
	"github.com/evoreceipt/evoreceipt/model"
)

const doneReport = `{"uuid":"u-1","status":"done","error":null,"timestamp":"05.01.2026 10:15:02",
"group_code":"g1","daemon_code":"d","device_code":"k","external_id":"o-1","callback_url":"",
"payload":{"fiscal_receipt_number":7,"shift_number":3,"receipt_datetime":"05.01.2026 10:15:01",
"total":122.00,"fn_number":"9999078900012345","ecr_registration_number":"0000000001012345",
"fiscal_document_number":42,"fiscal_document_attribute":3449555941,"fns_site":"www.nalog.gov.ru"}}`

const waitReport = `{"uuid":"u-1","status":"wait","timestamp":"x","error":{"error_id":"e",
"code":34,"text":"Состояние чека не найдено. Попробуйте позднее",
"type":"system"},"payload":null}`

const failReport = `{"uuid":"u-1","status":"fail","timestamp":"x","external_id":"o-1",
"error":{"error_id":"e-2","code":2009,"text":"ИНН не соответствует","type":"agent"},
"payload":null}`

const timeoutReport = `{"uuid":"u-1","status":"fail","timestamp":"x",
"error":{"error_id":"e-3","code":1,"text":"timeout","type":"timeout"},"payload":null}`

func TestReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		want   model.ReportStatus
		kind   evotor.Kind // when the question fails
		gets   int
	}{
		{"done", 200, doneReport, model.StatusDone, 0, 1},
		{"34 wait", 200, waitReport, model.StatusWait, 0, 1},
		{"agent failure", 200, failReport, model.StatusFail, 0, 1},
		{"queue timeout", 200, timeoutReport, model.StatusFail, 0, 1},
		{"30 unknown uuid", 400, svcErr(30, "MissingUuid"), "", evotor.KindNotFound, 1},
		{"20 group", 401, svcErr(20, "group"), "", evotor.KindConfig, 1},
		{"50 server", 500, svcErr(50, "server"), "", evotor.KindTransient,
			fastRetry.MaxAttempts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newScript(t, func(c call) (int, string) {
				if c.Path == "getToken" {
					return tokenOK(c)
				}
				return tt.status, tt.body
			})
			c := newClient(t, s.URL())
			rep, err := c.Report(context.Background(), "u-1")
			if n := s.count(testGroup + "/report/u-1"); n != tt.gets {
				t.Fatalf("%d requests, want %d", n, tt.gets)
			}
			if tt.want == "" {
				if evotor.KindOf(err) != tt.kind || rep != nil {
					t.Fatalf("report %v, err %v; want kind %v", rep, err, tt.kind)
				}
				return
			}
			if err != nil || rep.Status != tt.want {
				t.Fatalf("report %+v, err %v; want status %s", rep, err, tt.want)
			}
		})
	}
}

func TestReportPayload(t *testing.T) {
	t.Parallel()
	s := newScript(t, func(c call) (int, string) {
		if c.Path == "getToken" {
			return tokenOK(c)
		}
		return 200, doneReport
	})
	rep, err := newClient(t, s.URL()).Wait(context.Background(), "u-1")
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Payload
	if p.FiscalDocumentAttribute != 3449555941 || p.Total.String() != "122.00" ||
		p.FiscalReceiptNumber != 7 || p.ShiftNumber != 3 || p.FNNumber != "9999078900012345" {
		t.Fatalf("payload %+v", p)
	}
}

func TestWaitPollsUntilDone(t *testing.T) {
	t.Parallel()
	s := newScript(t, func(c call) (int, string) {
		switch {
		case c.Path == "getToken":
			return tokenOK(c)
		case c.N <= 3:
			return 200, waitReport
		case c.N == 4:
			return 503, "<html>busy</html>" // a passing failure does not end the wait
		}
		return 200, doneReport
	})
	rep, err := newClient(t, s.URL()).Wait(context.Background(), "u-1")
	if err != nil || rep.Status != model.StatusDone {
		t.Fatalf("report %v err %v", rep, err)
	}
	if n := s.count(testGroup + "/report/u-1"); n != 5 {
		t.Fatalf("%d polls, want 5", n)
	}
}

func TestWaitFailed(t *testing.T) {
	t.Parallel()
	for _, body := range []string{failReport, timeoutReport} {
		s := newScript(t, func(c call) (int, string) {
			if c.Path == "getToken" {
				return tokenOK(c)
			}
			return 200, body
		})
		rep, err := newClient(t, s.URL()).Wait(context.Background(), "u-1")
		var e *evotor.Error
		if !errors.As(err, &e) || e.Kind != evotor.KindFailed || rep == nil ||
			rep.Status != model.StatusFail || e.Code != rep.Error.Code {
			t.Fatalf("report %v err %v, want the failed report and KindFailed", rep, err)
		}
	}
}

// TestWaitCancellation checks that Wait ends with its context, returning
// the last report it saw.
func TestWaitCancellation(t *testing.T) {
	t.Parallel()
	c, s := sandboxClient(t, []evotortest.Option{
		evotortest.WithProcessingTime(time.Hour)})
	sub, err := c.Submit(context.Background(), model.Sell, sellRequest(t, "w-1"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	rep, err := c.Wait(ctx, sub.UUID)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the deadline", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("Wait outlived its context")
	}
	if rep == nil || rep.Status != model.StatusWait {
		t.Fatalf("last report %+v, want status wait", rep)
	}
	if st := s.Stats(); st.NotReady == 0 {
		t.Fatalf("stats %+v: no 34 seen", st)
	}

	// A context cancelled before the call ends it at once.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := c.Wait(ctx2, sub.UUID); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

func TestCallbackHandler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, body string
		fnErr              error
		status             int
		called             bool
	}{
		{"done", "POST", doneReport, nil, 200, true},
		{"fail", "POST", failReport, nil, 200, true},
		{"handler error", "POST", doneReport, errors.New("db down"), 500, true},
		{"not json", "POST", "{", nil, 400, false},
		{"no uuid", "POST", `{"status":"done"}`, nil, 400, false},
		{"bad status", "POST", `{"uuid":"u","status":"maybe"}`, nil, 400, false},
		{"get", "GET", "", nil, 405, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got *model.Report
			h := evotor.CallbackHandler(func(_ context.Context, r *model.Report) error {
				got = r
				return tt.fnErr
			})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(tt.method, "/cb", strings.NewReader(tt.body)))
			if w.Code != tt.status || (got != nil) != tt.called {
				t.Fatalf("HTTP %d called %v, want %d %v", w.Code, got != nil, tt.status,
					tt.called)
			}
			if strings.Contains(w.Body.String(), "db down") {
				t.Fatal("the handler's error reached the service")
			}
			if tt.name == "done" && (got.UUID != "u-1" || got.Payload.FiscalDocumentNumber != 42) {
				t.Fatalf("report %+v", got)
			}
		})
	}
}

// TestCallbacksFromSandbox receives the sandbox's callbacks, delivered
// twice, through CallbackHandler.
func TestCallbacksFromSandbox(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	recv := httptest.NewServer(evotor.CallbackHandler(
		func(_ context.Context, r *model.Report) error {
			mu.Lock()
			defer mu.Unlock()
			if r.Status == model.StatusDone && r.Payload != nil {
				seen[r.UUID]++
			}
			return nil
		}))
	t.Cleanup(recv.Close)
	c, s := sandboxClient(t, []evotortest.Option{evotortest.WithDuplicateCallbacks(1)})
	req := sellRequest(t, "cb-1")
	req.Service = &model.Service{CallbackURL: recv.URL + "/fiscal/callback"}
	sub, err := c.Submit(context.Background(), model.Sell, req)
	if err != nil {
		t.Fatal(err)
	}
	s.WaitCallbacks()
	mu.Lock()
	defer mu.Unlock()
	if seen[sub.UUID] != 2 {
		t.Fatalf("callbacks %v, want the report of %s twice", seen, sub.UUID)
	}
}

func TestReportRefusesOddUUIDs(t *testing.T) {
	t.Parallel()
	s := newScript(t, func(c call) (int, string) { return tokenOK(c) })
	c := newClient(t, s.URL())
	for _, u := range []string{"", "..", "a/../b", "a?b", "a b", "ю", strings.Repeat("a", 129)} {
		if _, err := c.Report(context.Background(), u); !errors.Is(err, evotor.ErrInvalid) {
			t.Errorf("Report(%q): %v, want ErrInvalid", u, err)
		}
	}
	if s.count("getToken") != 0 {
		t.Fatal("an odd uuid reached the network")
	}
}

func TestParseReport(t *testing.T) {
	t.Parallel()
	r, err := evotor.ParseReport([]byte(doneReport))
	if err != nil || r.Payload.FiscalDocumentAttribute != 3449555941 {
		t.Fatalf("%+v %v", r, err)
	}
	big := `{"uuid":"u","status":"done","pad":"` + strings.Repeat("x", 2<<20) + `"}`
	w := httptest.NewRecorder()
	evotor.CallbackHandler(func(context.Context, *model.Report) error { return nil }).
		ServeHTTP(w, httptest.NewRequest("POST", "/cb", strings.NewReader(big)))
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("HTTP %d for a 2 MiB body", w.Code)
	}
}
