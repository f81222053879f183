package evotor_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
	"github.com/evoreceipt/evoreceipt/model"
)

// TestConcurrentSubmitsOfOneExternalID submits one external_id from two
// goroutines at once. The first request is held until a second one
// arrives and then loses to it inside the service (code 33), as two
// concurrent requests can: if the second call is sent while the first is
// in flight, the first sees a 33 for a body it alone began, and forgets
// the journal entry the second one registered. Serialised, the second call
// waits and takes the first one's uuid from the journal, unsent.
func TestConcurrentSubmitsOfOneExternalID(t *testing.T) {
	t.Parallel()
	const id = "ord-conc-1"
	other := func(t *testing.T) *model.Request {
		r := sellRequest(t, id)
		r.Receipt.Items[0].Name = "Другой товар"
		return r
	}
	tests := []struct {
		name   string
		second func(t *testing.T) *model.Request
		refuse bool // the service refuses every send with code 32
		// want of the second call: its kind (KindUnknown: success) and
		// the sends in all.
		secondKind evotor.Kind
		sends      int
		journalled bool // the journal ends with the uuid
	}{
		{"same body", func(t *testing.T) *model.Request { return sellRequest(t, id) },
			false, evotor.KindUnknown, 1, true},
		{"different body", other, false, evotor.KindConflict, 1, true},
		{"refused", func(t *testing.T) *model.Request { return sellRequest(t, id) },
			true, evotor.KindInvalid, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			arrived := make(chan struct{}, 8)
			second := make(chan struct{})
			var once sync.Once
			var mu sync.Mutex
			registered := false
			s := newScript(t, func(c call) (int, string) {
				if c.Path == "getToken" {
					return tokenOK(c)
				}
				arrived <- struct{}{}
				lost := false
				if c.N == 1 {
					select {
					case <-second:
						lost = true
					case <-time.After(300 * time.Millisecond):
					}
				} else {
					once.Do(func() { close(second) })
				}
				mu.Lock()
				defer mu.Unlock()
				switch {
				case tt.refuse:
					return 400, svcErr(32, "Ошибочные поля : NumberTooSmall: #/receipt.total")
				case lost || registered:
					return 400, `{"uuid":"u-1","status":"wait","timestamp":"x","error":{` +
						`"error_id":"e","code":33,"text":"exists","type":"system"}}`
				}
				registered = true
				return 200, `{"uuid":"u-1","status":"wait","error":null,"timestamp":"x"}`
			})
			j := evotor.NewMemoryJournal()
			c := newClient(t, s.URL(), evotor.WithJournal(j))
			ctx := context.Background()

			type result struct {
				sub *evotor.Submission
				err error
			}
			first := make(chan result, 1)
			go func() {
				sub, err := c.Submit(ctx, model.Sell, sellRequest(t, id))
				first <- result{sub, err}
			}()
			<-arrived // the first call is in flight
			sub2, err2 := c.Submit(ctx, model.Sell, tt.second(t))
			r1 := <-first

			if tt.refuse {
				if !errors.Is(r1.err, evotor.ErrInvalid) {
					t.Fatalf("first: %v, want invalid", r1.err)
				}
			} else if r1.err != nil || r1.sub.UUID != "u-1" || r1.sub.Duplicate {
				t.Fatalf("first: %v %v, want u-1", r1.sub, r1.err)
			}
			if got := evotor.KindOf(err2); got != tt.secondKind {
				t.Fatalf("second: kind %v (%v), want %v", got, err2, tt.secondKind)
			}
			if tt.secondKind == evotor.KindUnknown &&
				(sub2.UUID != "u-1" || !sub2.Duplicate) {
				t.Fatalf("second: %v, want the duplicate of u-1", sub2)
			}
			if n := s.count(testGroup + "/sell"); n != tt.sends {
				t.Fatalf("%d sends, want %d", n, tt.sends)
			}
			key := evotor.JournalKey{Group: testGroup, ExternalID: id}
			e, ok := j.Lookup(key)
			if ok != tt.journalled || ok && e.UUID != "u-1" {
				t.Fatalf("journal entry %+v %v, want uuid u-1: %v", e, ok, tt.journalled)
			}
			if !tt.journalled {
				return
			}
			// A different body under the registered external_id is
			// refused before sending.
			_, err := c.Submit(ctx, model.Sell, other(t))
			if !errors.Is(err, evotor.ErrConflict) || evotor.OutcomeOf(err) !=
				evotor.OutcomeNotSent || !strings.Contains(err.Error(), "u-1") {
				t.Fatalf("different body afterwards: %v", err)
			}
			if n := s.count(testGroup + "/sell"); n != tt.sends {
				t.Fatalf("the different body was sent (%d sends)", n)
			}
		})
	}
}

// TestSubmitWaitsForTheKeyWithinItsContext checks that a Submit waiting
// for another of the same external_id gives up with its context, unsent.
func TestSubmitWaitsForTheKeyWithinItsContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	s := newScript(t, func(c call) (int, string) {
		if c.Path == "getToken" {
			return tokenOK(c)
		}
		<-release
		return 200, `{"uuid":"u-1","status":"wait","error":null,"timestamp":"x"}`
	})
	t.Cleanup(func() { close(release) })
	c := newClient(t, s.URL())
	go c.Submit(context.Background(), model.Sell, sellRequest(t, "ord-k"))
	for s.count(testGroup+"/sell") == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Submit(ctx, model.Sell, sellRequest(t, "ord-k"))
	if !errors.Is(err, context.DeadlineExceeded) ||
		evotor.OutcomeOf(err) != evotor.OutcomeNotSent || s.count(testGroup+"/sell") != 1 {
		t.Fatalf("err %v (outcome %v), %d sends", err, evotor.OutcomeOf(err),
			s.count(testGroup+"/sell"))
	}
}

// roundTripFunc is an http.RoundTripper made of a function: a transport
// the client cannot trace.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSubmitOutcome pins what a failed Submit says of the document's
// registration: only what certainly registered nothing is "not sent" or
// "refused"; a body that may have arrived is "unknown", and its text says
// not to use a new external_id.
func TestSubmitOutcome(t *testing.T) {
	t.Parallel()
	const maySent = "may have been registered"
	refusedConn := func(t *testing.T) (string, []evotor.Option) {
		// A server that issues a token and then stops listening: every
		// later connection is refused.
		var s *script
		s = newScript(t, func(c call) (int, string) {
			s.srv.Listener.Close()
			return tokenOK(c)
		})
		return s.URL(), []evotor.Option{evotor.WithHTTPClient(&http.Client{
			Transport: &http.Transport{DisableKeepAlives: true}})}
	}
	scripted := func(status int, body string) func(t *testing.T) (string, []evotor.Option) {
		return func(t *testing.T) (string, []evotor.Option) {
			s := newScript(t, func(c call) (int, string) {
				if c.Path == "getToken" {
					return tokenOK(c)
				}
				return status, body
			})
			return s.URL(), nil
		}
	}
	untraced := func(err error) func(t *testing.T) (string, []evotor.Option) {
		return func(t *testing.T) (string, []evotor.Option) {
			tokens := scripted(200, "")
			u, _ := tokens(t)
			inner := &http.Transport{}
			t.Cleanup(inner.CloseIdleConnections)
			return u, []evotor.Option{evotor.WithHTTPClient(&http.Client{
				Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
					if strings.HasSuffix(r.URL.Path, "/getToken") {
						return inner.RoundTrip(r)
					}
					return nil, err
				})})}
		}
	}
	dialErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := []struct {
		name    string
		server  func(t *testing.T) (string, []evotor.Option)
		ctx     func() context.Context
		kind    evotor.Kind
		outcome evotor.Outcome
		text    string // in the error; maySent must appear only for unknown
	}{
		{"connection refused", refusedConn, nil, evotor.KindTransient,
			evotor.OutcomeNotSent, "could not connect"},
		{"untraced dial error", untraced(dialErr), nil, evotor.KindTransient,
			evotor.OutcomeNotSent, "could not connect"},
		{"untraced other error", untraced(errors.New("reset")), nil, evotor.KindTransient,
			evotor.OutcomeUnknown, maySent},
		{"dropped", scripted(0, ""), nil, evotor.KindTransient, evotor.OutcomeUnknown,
			maySent},
		{"5xx", scripted(500, svcErr(50, "server")), nil, evotor.KindTransient,
			evotor.OutcomeUnknown, maySent},
		{"code 33 for an unknown body", scripted(400, `{"uuid":"u-7","status":"wait",`+
			`"error":{"code":33,"text":"exists","type":"system"}}`), nil,
			evotor.KindConflict, evotor.OutcomeUnknown, "u-7"},
		{"invalid", scripted(400, svcErr(32, "bad")), nil, evotor.KindInvalid,
			evotor.OutcomeRefused, "bad"},
		{"wrong group", scripted(401, svcErr(20, "group")), nil, evotor.KindConfig,
			evotor.OutcomeRefused, "group"},
		{"cancelled", scripted(200, ""), func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, evotor.KindTransient, evotor.OutcomeNotSent, "nothing was sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, opts := tt.server(t)
			c := newClient(t, u, opts...)
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx()
			}
			_, err := c.Submit(ctx, model.Sell, sellRequest(t, "o-1"))
			var e *evotor.Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Outcome != tt.outcome ||
				evotor.OutcomeOf(err) != tt.outcome {
				t.Fatalf("err %v: kind %v outcome %v, want %v %v", err, e.Kind,
					evotor.OutcomeOf(err), tt.kind, tt.outcome)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.text) ||
				strings.Contains(msg, maySent) != (tt.outcome == evotor.OutcomeUnknown) {
				t.Fatalf("message %q, want %q", msg, tt.text)
			}
		})
	}

	// Refused before sending, and taken by another body in the journal.
	c := newClient(t, "http://127.0.0.1:1/")
	_, err := c.Submit(context.Background(), model.Sell, &model.Request{})
	if evotor.OutcomeOf(err) != evotor.OutcomeNotSent {
		t.Fatalf("bad request: %v outcome %v", err, evotor.OutcomeOf(err))
	}
	if evotor.OutcomeOf(errors.New("x")) != evotor.OutcomeUnknown ||
		evotor.OutcomeNotSent.String() != "not sent" {
		t.Fatal("OutcomeOf of a foreign error, or String")
	}
}

// TestLargeBody checks that a body over the sandbox's limit is logged
// before sending, and that the refusal says why.
func TestLargeBody(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c, _ := sandboxClient(t, nil, evotor.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	req := sellRequest(t, "big-1")
	item := req.Receipt.Items[0]
	item.Name = strings.Repeat("Ж", 128)
	req.Receipt.Items = make([]model.Item, 5000)
	for i := range req.Receipt.Items {
		req.Receipt.Items[i] = item
	}
	_, err := c.Submit(context.Background(), model.Sell, req)
	var e *evotor.Error
	if !errors.As(err, &e) || e.Code != 40 || e.Outcome != evotor.OutcomeRefused ||
		!strings.Contains(e.Text, "1 МиБ") || !strings.Contains(e.Text, "the body is ") {
		t.Fatalf("err %v, want code 40 with the reason", err)
	}
	if !strings.Contains(logs.String(), "large body") {
		t.Fatalf("no warning logged:\n%s", logs.String())
	}
	_ = evotortest.MaxBody
}
