package evotor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// Client talks to the Evotor cloud cash register API v5. Create it with
// [NewClient]; it is safe for concurrent use, and one client should serve
// every goroutine so that they share one token.
type Client struct {
	base      *url.URL
	hc        *http.Client
	login     string
	pass      string
	group     string
	source    string
	now       func() time.Time
	retry     RetryPolicy
	log       *slog.Logger
	journal   Journal
	validator *validate.Validator
	// traced is true when the transport reports, through httptrace, when
	// it has a connection: then a failure before one is known to have
	// sent nothing.
	traced bool

	tok tokenCache
	// sending serialises Submit calls for one external_id; see keyLocks.
	sending keyLocks
}

// NewClient returns a client configured by opts. [WithBaseURL],
// [WithCredentials] and [WithGroupCode] are required.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{now: time.Now, retry: DefaultRetryPolicy()}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	switch {
	case c.base == nil:
		return nil, errors.New("evotor: no base URL; use WithBaseURL(evotor.ProductionURL) " +
			"or another")
	case c.login == "":
		return nil, errors.New("evotor: no credentials; use WithCredentials")
	case c.group == "":
		return nil, errors.New("evotor: no group code; use WithGroupCode")
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: 30 * time.Second}
	}
	switch c.hc.Transport.(type) {
	case nil, *http.Transport:
		c.traced = true
	}
	hc := *c.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	c.hc = &hc
	if c.journal == nil {
		c.journal = NewMemoryJournal()
	}
	if c.retry.MaxAttempts < 1 {
		c.retry.MaxAttempts = 1
	}
	return c, nil
}

// String describes the client without its secrets.
func (c *Client) String() string {
	return fmt.Sprintf("evotor.Client{URL: %s, Group: %s, Login: %s, Password: [hidden]}",
		c.base, c.group, c.login)
}

// GoString is String, so that %#v does not print the password either.
func (c *Client) GoString() string { return c.String() }

// GroupCode returns the group documents are sent to.
func (c *Client) GroupCode() string { return c.group }

// endpoint returns the URL of a path below the base URL, one escaped
// segment per element.
func (c *Client) endpoint(elems ...string) string {
	u := *c.base
	esc := make([]string, len(elems))
	for i, e := range elems {
		esc[i] = url.PathEscape(e)
	}
	u.Path = c.base.Path + strings.Join(elems, "/")
	u.RawPath = c.base.EscapedPath() + strings.Join(esc, "/")
	return u.String()
}

// maxAnswer bounds what is read of one answer: the service's answers are a
// few kilobytes.
const maxAnswer = 1 << 20

// answer is a decoded service answer with the error object every answer
// may carry.
type answer interface {
	reset()
	serviceErr() *model.ServiceError
}

// errNotJSON marks an answer whose body is not the service's JSON, such as
// a proxy's HTML error page.
var errNotJSON = errors.New("answer is not JSON")

// exchange makes one HTTP request and decodes the JSON answer into out
// whatever the HTTP status, since the service sometimes reports an error
// with 200. It returns the HTTP status (0 when no answer arrived), whether
// any of the request may have reached the server, and a transport error,
// or errNotJSON.
func (c *Client) exchange(ctx context.Context, method, u string, body []byte, token string,
	out answer) (status int, reached bool, err error) {
	if c.retry.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.retry.AttemptTimeout)
		defer cancel()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	// The trace tells a failure before any connection (nothing written)
	// from one after it; callbacks may run on the transport's goroutines.
	var connected atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }})
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if token != "" {
		req.Header.Set("Token", token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, !notConnected(err, c.traced && !connected.Load()), err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return resp.StatusCode, true, err
	}
	out.reset()
	if err := json.Unmarshal(data, out); err != nil {
		return resp.StatusCode, true, errNotJSON
	}
	return resp.StatusCode, true, nil
}

// notConnected reports whether a failed request certainly wrote nothing:
// the dial failed (refused, unresolvable, unreachable), or the traced
// transport never got a connection. A transport that is not traced and
// fails otherwise may have written the request.
func notConnected(err error, noConn bool) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return noConn
}

// isConnectFailure reports whether err is a failure to connect at all,
// rather than a context that ended while connecting.
func isConnectFailure(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// backoff returns the wait before retry n (0 for the first retry): min
// doubled n times, capped at max, then drawn from the upper half.
func backoff(min, max time.Duration, n int) time.Duration {
	if min <= 0 {
		return 0
	}
	d := min
	for i := 0; i < n && d < max; i++ {
		d *= 2
	}
	if max > 0 && d > max {
		d = max
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// logAt logs when a logger is set. Callers pass no secret
// and no buyer contact.
func (c *Client) logAt(ctx context.Context, lvl slog.Level, msg string, attrs ...slog.Attr) {
	if c.log == nil {
		return
	}
	c.log.LogAttrs(ctx, lvl, msg, attrs...)
}

// redactor removes secrets from text that comes from outside, such as the
// service's error messages, before it is stored in an error.
type redactor []string

// minContact is the shortest contact redacted by value: shorter ones
// ("none") would blank ordinary words. The password and tokens are
// redacted whatever their length.
const minContact = 5

func (c *Client) redactor(contacts ...string) redactor {
	r := redactor{c.pass}
	r = append(r, c.tok.known()...)
	for _, v := range contacts {
		if len(v) >= minContact {
			r = append(r, v)
		}
	}
	return r
}

func (r redactor) clean(s string) string {
	for _, v := range r {
		if v != "" && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	// Contacts of documents this call does not know about, such as one
	// quoted in a report's error, still look like contacts.
	if strings.ContainsAny(s, "@+0123456789") {
		s = contactPattern.ReplaceAllString(s, "[redacted]")
	}
	return s
}

// contactPattern matches an email address, an international phone number
// (+79001234567, +7 (900) 123-45-67) and a Russian mobile number written
// from 8 or 7 (89001234567, 8 (900) 123-45-67). Other digit runs are left
// alone: they are usually INNs (10 or 12 digits), which errors need to
// name.
var contactPattern = regexp.MustCompile(`[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+` +
	`|\+\d[\d ()-]{5,22}\d` +
	`|\b[78][ (-]{0,2}9\d\d[ )-]{0,2}\d{3}[ -]?\d\d[ -]?\d\d\b`)

// report cleans the service's texts in a report: its error, warnings and
// the names of the group, server and device. The payload's fiscal
// attributes are left exact.
func (r redactor) report(rep *model.Report) {
	if rep.Error != nil {
		se := *rep.Error
		se.Text, se.ErrorID = r.clean(se.Text), r.clean(se.ErrorID)
		rep.Error = &se
	}
	if len(rep.Warnings) > 0 {
		w := make(map[string]string, len(rep.Warnings))
		for k, v := range rep.Warnings {
			w[r.clean(k)] = r.clean(v)
		}
		rep.Warnings = w
	}
	rep.GroupCode, rep.DaemonCode = r.clean(rep.GroupCode), r.clean(rep.DaemonCode)
	rep.DeviceCode, rep.CallbackURL = r.clean(rep.DeviceCode), r.clean(rep.CallbackURL)
}

// safeErr returns err with its text cleaned of secrets when it contains
// any, so that the wrapped cause cannot leak what the message hides.
func (r redactor) safeErr(err error) error {
	if err == nil {
		return nil
	}
	if s := err.Error(); r.clean(s) != s {
		return errors.New(r.clean(s))
	}
	return err
}

// tokenCache holds the current token and the fetch in flight, if any.
type tokenCache struct {
	mu      sync.Mutex
	token   string
	expires time.Time
	flight  *tokenFlight
	// recent keeps the last tokens issued, for redaction.
	recent [2]string
}

type tokenFlight struct {
	done  chan struct{}
	token string
	err   error
}

func (t *tokenCache) known() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return []string{t.token, t.recent[0], t.recent[1]}
}

// keyLocks hands out one lock per journal key, so that concurrent Submit
// calls of the same external_id in one client run one after another: the
// second then finds the first one's outcome in the journal (the uuid, or
// the entry forgotten after a refusal) instead of racing it to the
// service, where the loser's code 33 could not be told from another
// client's document.
type keyLocks struct {
	mu sync.Mutex
	m  map[JournalKey]*keyLock
}

type keyLock struct {
	sem  chan struct{} // holds one token while the key is locked
	refs int           // holders and waiters, to drop the entry when 0
}

// lock waits until key is free or ctx ends, and returns the function that
// frees it.
func (k *keyLocks) lock(ctx context.Context, key JournalKey) (func(), error) {
	k.mu.Lock()
	if k.m == nil {
		k.m = make(map[JournalKey]*keyLock)
	}
	l := k.m[key]
	if l == nil {
		l = &keyLock{sem: make(chan struct{}, 1)}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()
	drop := func() {
		k.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
	select {
	case l.sem <- struct{}{}:
		return func() { <-l.sem; drop() }, nil
	case <-ctx.Done():
		drop()
		return nil, ctx.Err()
	}
}
