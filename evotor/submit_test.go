package evotor_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

func TestSubmitAndWait(t *testing.T) {
	t.Parallel()
	c, s := sandboxClient(t, []evotortest.Option{
		evotortest.WithProcessingTime(20 * time.Millisecond)})
	ctx := context.Background()
	for _, op := range model.Operations {
		t.Run(string(op), func(t *testing.T) {
			req := sellRequest(t, "doc-"+string(op))
			if op.IsCorrection() {
				base, _ := model.ParseDate("05.01.2026")
				req.Correction = &model.Correction{Receipt: *req.Receipt,
					CorrectionInfo: model.CorrectionInfo{Type: model.CorrectionSelf,
						BaseDate: base}}
				req.Receipt = nil
			}
			sub, err := c.Submit(ctx, op, req)
			if err != nil {
				t.Fatal(err)
			}
			if sub.UUID == "" || sub.Duplicate || sub.Status != model.StatusWait {
				t.Fatalf("submission %v", sub)
			}
			rep, err := c.Wait(ctx, sub.UUID)
			if err != nil {
				t.Fatal(err)
			}
			p := rep.Payload
			if rep.Status != model.StatusDone || p == nil || p.FiscalDocumentNumber == 0 ||
				p.FNNumber == "" || !p.Total.Equal(model.MustMoney("122")) {
				t.Fatalf("report %+v payload %+v", rep, p)
			}
		})
	}
	if got := s.Stats(); got.TokenRequests != 1 || got.Registrations != 8 {
		t.Fatalf("stats %+v: want one token for eight documents", got)
	}
}

func TestSubmitRequestHeaders(t *testing.T) {
	t.Parallel()
	s := newScript(t, func(c call) (int, string) {
		if c.Path == "getToken" {
			return tokenOK(c)
		}
		return 200, `{"uuid":"u-1","status":"wait","error":null,"timestamp":"x"}`
	})
	c := newClient(t, s.URL())
	req := sellRequest(t, "h-1")
	if _, err := c.Submit(context.Background(), model.Sell, req); err != nil {
		t.Fatal(err)
	}
	tok := s.callsTo("getToken")[0]
	if tok.Method != "POST" || !bytes.Contains(tok.Body, []byte(`"login":"shop-login"`)) {
		t.Fatalf("getToken call %+v", tok)
	}
	got := s.callsTo(testGroup + "/sell")[0]
	want, _ := model.Marshal(req)
	if got.Method != "POST" || got.ContentType != "application/json; charset=utf-8" ||
		got.Token != "tok-1-abcdef" || !bytes.Equal(got.Body, want) {
		t.Fatalf("register call %+v", got)
	}
}

// TestTokenReuseAndExpiry checks that a token serves until shortly before
// its 24 hours end, by the client's clock, and is then fetched again.
func TestTokenReuseAndExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c, s := sandboxClient(t, nil, evotor.WithClock(clock))
	ctx := context.Background()
	submit := func(id string) {
		t.Helper()
		if _, err := c.Submit(ctx, model.Sell, sellRequest(t, id)); err != nil {
			t.Fatal(err)
		}
	}
	submit("a")
	submit("b")
	advance(23 * time.Hour)
	submit("c")
	if n := s.Stats().TokenRequests; n != 1 {
		t.Fatalf("%d token requests within 23 h, want 1", n)
	}
	advance(55 * time.Minute) // 23 h 55 min: inside the renewal margin
	submit("d")
	if st := s.Stats(); st.TokenRequests != 2 || st.ExpiredTokens != 0 {
		t.Fatalf("stats %+v: want a renewal before expiry, without a refused token", st)
	}
}

// TestTokenRefreshOnExpired checks that a token the service refuses is
// renewed once and the document resent once.
func TestTokenRefreshOnExpired(t *testing.T) {
	t.Parallel()
	c, s := sandboxClient(t, nil)
	ctx := context.Background()
	if _, err := c.Submit(ctx, model.Sell, sellRequest(t, "x-1")); err != nil {
		t.Fatal(err)
	}
	s.ExpireTokens()
	sub, err := c.Submit(ctx, model.Sell, sellRequest(t, "x-2"))
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireTokens()
	if _, err := c.Wait(ctx, sub.UUID); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.TokenRequests != 3 || st.ExpiredTokens != 2 ||
		st.Registrations != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestConcurrentSubmitsShareOneTokenFetch(t *testing.T) {
	t.Parallel()
	c, s := sandboxClient(t, []evotortest.Option{
		evotortest.WithLatency(20 * time.Millisecond)})
	ctx := context.Background()
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := c.Submit(ctx, model.Sell, sellRequest(t, "c-"+itoa(i)))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if st := s.Stats(); st.TokenRequests != 1 || st.Registrations != n {
		t.Fatalf("stats %+v: want 1 token request for %d submissions", st, n)
	}

	// After an expiry, the concurrent refusals share one refresh too.
	s.ExpireTokens()
	var wg2 sync.WaitGroup
	for i := range n {
		wg2.Go(func() {
			if _, err := c.Submit(ctx, model.Sell, sellRequest(t, "d-"+itoa(i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg2.Wait()
	if st := s.Stats(); st.TokenRequests != 2 {
		t.Fatalf("stats %+v: want one refresh for all refused requests", st)
	}
}

// TestBug37ExpiredTokenRetry replays case bug37: an expired token is
// refreshed once and the same document resent; bad credentials fail fast.
func TestBug37ExpiredTokenRetry(t *testing.T) {
	t.Parallel()
	s := newScript(t, func(c call) (int, string) {
		switch {
		case c.Path == "getToken" && c.N == 1:
			return 200, `{"error":null,"token":"t-1-abcdef","timestamp":"x"}`
		case c.Path == "getToken":
			return 200, `{"error":null,"token":"t-2-abcdef","timestamp":"x"}`
		case c.N == 1:
			return 401, svcErr(11, "ExpiredToken")
		}
		return 200, `{"uuid":"u-5","status":"wait","error":null,"timestamp":"x"}`
	})
	c := newClient(t, s.URL())
	sub, err := c.Submit(context.Background(), model.Sell, sellRequest(t, "ord-37-sell-1"))
	if err != nil {
		t.Fatal(err)
	}
	if sub.UUID != "u-5" || sub.Duplicate {
		t.Fatalf("submission %v, want u-5", sub)
	}
	sells := s.callsTo(testGroup + "/sell")
	if s.count("getToken") != 2 || len(sells) != 2 {
		t.Fatalf("%d token requests, %d sends; want 2 and 2", s.count("getToken"), len(sells))
	}
	if !bytes.Equal(sells[0].Body, sells[1].Body) || sells[1].Token != "t-2-abcdef" {
		t.Fatal("the resend is not the same document with the new token")
	}

	for _, status := range []int{401, 200} { // some deployments answer 12 with 200
		bad := newScript(t, func(c call) (int, string) {
			return status, svcErr(12, "wrong login or password")
		})
		c := newClient(t, bad.URL())
		_, err := c.Submit(context.Background(), model.Sell, sellRequest(t, "ord-37-sell-2"))
		if !errors.Is(err, evotor.ErrAuth) || evotor.IsTransient(err) {
			t.Fatalf("HTTP %d: err %v, want an auth error", status, err)
		}
		if bad.count("getToken") != 1 || bad.count(testGroup+"/sell") != 0 {
			t.Fatalf("HTTP %d: %d token requests, %d sends; want 1 and 0", status,
				bad.count("getToken"), bad.count(testGroup+"/sell"))
		}
	}
}

// TestRetryAfterDroppedConnection loses the answer to a registration that
// went through; the retry must end with the one registered receipt.
func TestRetryAfterDroppedConnection(t *testing.T) {
	t.Parallel()
	sandbox := evotortest.NewHandler()
	t.Cleanup(sandbox.Close)
	var once sync.Once
	s := newScript(t, func(c call) (int, string) {
		w := newRecorder()
		sandbox.ServeHTTP(w, c.request())
		lose := false
		if strings.HasSuffix(c.Path, "/sell") {
			once.Do(func() { lose = true })
		}
		if lose {
			return 0, "" // registered, but the answer never arrives
		}
		return w.Code, w.Body.String()
	})
	c := newClient(t, s.URL(), evotor.WithCredentials(evotortest.DefaultLogin,
		evotortest.DefaultPassword), evotor.WithGroupCode(evotortest.DefaultGroup))
	sub, err := c.Submit(context.Background(), model.Sell, sellRequest(t, "drop-1"))
	if err != nil {
		t.Fatal(err)
	}
	if !sub.Duplicate || sub.UUID != sandbox.UUID("drop-1") {
		t.Fatalf("submission %v, want the duplicate of %s", sub, sandbox.UUID("drop-1"))
	}
	if st := sandbox.Stats(); st.Registrations != 1 || st.Duplicates != 1 {
		t.Fatalf("stats %+v: want one receipt", st)
	}
}

// TestBug17DuplicateExternalID replays case bug17: the first answer is
// lost to a client timeout, the resend of the identical body gets code 33
// with the original uuid.
func TestBug17DuplicateExternalID(t *testing.T) {
	t.Parallel()
	s := newScript(t, func(c call) (int, string) {
		switch {
		case c.Path == "getToken":
			return tokenOK(c)
		case c.N == 1:
			time.Sleep(300 * time.Millisecond) // longer than the attempt timeout
			return 200, `{"uuid":"u-1","status":"wait","error":null,"timestamp":"x"}`
		}
		return 400, `{"uuid":"u-1","status":"wait","timestamp":"x","error":{"error_id":"e",` +
			`"code":33,"text":"receipt with this external_id exists","type":"system"}}`
	})
	p := fastRetry
	p.AttemptTimeout = 100 * time.Millisecond
	c := newClient(t, s.URL(), evotor.WithRetry(p))
	sub, err := c.Submit(context.Background(), model.Sell, sellRequest(t, "ord-3001-sell-1"))
	if err != nil {
		t.Fatal(err)
	}
	if sub.UUID != "u-1" || !sub.Duplicate {
		t.Fatalf("submission %v, want u-1 duplicate", sub)
	}
	sells := s.callsTo(testGroup + "/sell")
	if len(sells) != 2 || !bytes.Equal(sells[0].Body, sells[1].Body) {
		t.Fatalf("%d sends, want the same body twice", len(sells))
	}
	// The journal now knows u-1: a third Submit answers without sending.
	sub, err = c.Submit(context.Background(), model.Sell, sellRequest(t, "ord-3001-sell-1"))
	if err != nil || sub.UUID != "u-1" || !sub.Duplicate || s.count(testGroup+"/sell") != 2 {
		t.Fatalf("resubmit: %v %v after %d sends", sub, err, s.count(testGroup+"/sell"))
	}
}

// TestBug18ExternalIDCollision replays case bug18: the journal holds
// another body under the external_id, so the new body is refused unsent.
func TestBug18ExternalIDCollision(t *testing.T) {
	t.Parallel()
	s := newScript(t, func(c call) (int, string) { return tokenOK(c) })
	j := evotor.NewMemoryJournal()
	key := evotor.JournalKey{Group: testGroup, ExternalID: "ord-777-sell-1"}
	old := evotor.Digest(model.Sell, []byte(`{"an":"earlier body"}`))
	ctx := context.Background()
	if _, _, err := j.Begin(ctx, key, old); err != nil {
		t.Fatal(err)
	}
	_ = j.Accept(ctx, key, old, "u-9")
	c := newClient(t, s.URL(), evotor.WithJournal(j))

	_, err := c.Submit(ctx, model.Sell, sellRequest(t, "ord-777-sell-1"))
	if !errors.Is(err, evotor.ErrConflict) || !strings.Contains(err.Error(), "ord-777-sell-1") {
		t.Fatalf("err %v, want a conflict naming the external_id", err)
	}
	if s.count(testGroup+"/sell") != 0 {
		t.Fatal("the colliding body was sent")
	}
	if e, _ := j.Lookup(key); e.Digest != old || e.UUID != "u-9" {
		t.Fatal("the journal's entry changed")
	}
}

// TestCode33BothWays checks code 33 against the sandbox: the same body is
// resolved to the existing uuid; a body this client never sent is not.
func TestCode33BothWays(t *testing.T) {
	t.Parallel()
	j := evotor.NewMemoryJournal()
	c, s := sandboxClient(t, nil, evotor.WithJournal(j))
	ctx := context.Background()
	first, err := c.Submit(ctx, model.Sell, sellRequest(t, "ord-33"))
	if err != nil {
		t.Fatal(err)
	}

	// Same body, journal entry without a uuid (as after a crash between
	// sending and recording): the service's 33 resolves it.
	key := evotor.JournalKey{Group: s.Group, ExternalID: "ord-33"}
	entry, _ := j.Lookup(key)
	j2 := evotor.NewMemoryJournal()
	_, _, _ = j2.Begin(ctx, key, entry.Digest)
	c2 := newClient(t, s.URL, evotor.WithCredentials(s.Login, s.Password),
		evotor.WithGroupCode(s.Group), evotor.WithJournal(j2))
	sub, err := c2.Submit(ctx, model.Sell, sellRequest(t, "ord-33"))
	if err != nil || !sub.Duplicate || sub.UUID != first.UUID {
		t.Fatalf("same body: %v %v, want duplicate of %s", sub, err, first.UUID)
	}

	// A different body under the external_id, from a client whose journal
	// does not know it: the service says 33, the client cannot confirm it.
	other := sellRequest(t, "ord-33")
	other.Receipt.Items[0].Name = "Другой товар"
	c3 := newClient(t, s.URL, evotor.WithCredentials(s.Login, s.Password),
		evotor.WithGroupCode(s.Group))
	_, err = c3.Submit(ctx, model.Sell, other)
	var e *evotor.Error
	if !errors.As(err, &e) || e.Kind != evotor.KindConflict || e.Code != 33 ||
		e.UUID != first.UUID || !strings.Contains(e.Error(), "ord-33") {
		t.Fatalf("different body: %v", err)
	}
	// And again: the refusal did not leave the body in the journal.
	if _, err := c3.Submit(ctx, model.Sell, other); !errors.Is(err, evotor.ErrConflict) {
		t.Fatalf("second try: %v", err)
	}
	if st := s.Stats(); st.Registrations != 1 || st.Duplicates != 3 {
		t.Fatalf("stats %+v", st)
	}
}

// TestRejectedExternalIDIsFree checks that after a validation refusal (32)
// the fixed document can be sent under the same external_id.
func TestRejectedExternalIDIsFree(t *testing.T) {
	t.Parallel()
	c, s := sandboxClient(t, nil)
	ctx := context.Background()
	bad := readRequest(t, "invalid-sum.json")
	_, err := c.Submit(ctx, model.Sell, bad)
	var e *evotor.Error
	if !errors.As(err, &e) || e.Kind != evotor.KindInvalid || e.Code != 32 ||
		!strings.Contains(e.Text, "#/receipt.items[0].sum") {
		t.Fatalf("err %v, want code 32 naming the sum", err)
	}
	if st := s.Stats(); st.Rejected != 1 {
		t.Fatalf("stats %+v: a 32 must not be retried", st)
	}
	good := sellRequest(t, bad.ExternalID)
	if _, err := c.Submit(ctx, model.Sell, good); err != nil {
		t.Fatalf("fixed document: %v", err)
	}
}

func TestPreflight(t *testing.T) {
	t.Parallel()
	c, s := sandboxClient(t, nil, evotor.WithValidator(validate.New()))
	_, err := c.Submit(context.Background(), model.Sell, readRequest(t, "invalid-sum.json"))
	var e *evotor.Error
	if !errors.As(err, &e) || e.Kind != evotor.KindInvalid || len(e.Violations) == 0 {
		t.Fatalf("err %v, want a local refusal with violations", err)
	}
	var inv *validate.InvalidError
	if !errors.As(err, &inv) || inv.Violations[0].Path != "receipt.items[0].sum" {
		t.Fatalf("violations %+v", e.Violations)
	}
	if st := s.Stats(); st.TokenRequests != 0 || st.Rejected != 0 {
		t.Fatalf("stats %+v: nothing should reach the service", st)
	}
}

// TestBadInput checks that what cannot be sent is refused with a clear
// error, never a panic.
func TestBadInput(t *testing.T) {
	t.Parallel()
	s := newScript(t, func(c call) (int, string) { return tokenOK(c) })
	c := newClient(t, s.URL())
	sell := sellRequest(t, "bad-1")
	corr := &model.Request{ExternalID: "bad-2", Correction: &model.Correction{}}
	tests := []struct {
		name string
		op   model.Operation
		req  *model.Request
		want string
	}{
		{"unknown operation", "sale", sell, `unknown operation "sale"`},
		{"nil request", model.Sell, nil, "nil request"},
		{"no external_id", model.Sell, &model.Request{Receipt: &model.Receipt{}},
			"no external_id"},
		{"correction as sell", model.Sell, corr, "receipt and no correction"},
		{"receipt as correction", model.SellCorrection, sell, "correction and no receipt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Submit(context.Background(), tt.op, tt.req)
			if !errors.Is(err, evotor.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want invalid with %q", err, tt.want)
			}
		})
	}
	if _, err := c.Report(context.Background(), ""); !errors.Is(err, evotor.ErrInvalid) {
		t.Fatalf("empty uuid: %v", err)
	}
	if len(s.callsTo(testGroup+"/sell")) != 0 {
		t.Fatal("a bad request was sent")
	}
}

func TestJournalDigest(t *testing.T) {
	t.Parallel()
	body := []byte(`{"x":1}`)
	if evotor.Digest(model.Sell, body) == evotor.Digest(model.SellRefund, body) {
		t.Fatal("the operation is not part of the digest")
	}
	want := sha256.Sum256([]byte("sell\x00" + string(body)))
	if evotor.Digest(model.Sell, body) != want {
		t.Fatal("digest is not SHA-256 of operation, NUL, body")
	}
}
