package evotor

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/evoreceipt/evoreceipt/validate"
)

// Base URLs of the service. The client contacts only the one given to
// [WithBaseURL]; there is no default, so that nothing reaches production
// by accident.
const (
	ProductionURL = "https://fiscalization.evotor.ru/possystem/v5/"
	TestURL       = "https://fiscalization-test.evotor.ru/possystem/v5/"
)

// Option configures a [Client] in [NewClient].
type Option func(*Client) error

// WithBaseURL sets the address of the service: [ProductionURL], [TestURL]
// or a sandbox's. A missing trailing slash is added.
func WithBaseURL(base string) Option {
	return func(c *Client) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("evotor: base URL must be an absolute http or https URL")
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return errors.New("evotor: base URL must not carry user info, query or fragment")
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
			u.RawPath = ""
		}
		c.base = u
		return nil
	}
}

// WithHTTPClient sets the HTTP client. The client is copied and its copy
// never follows redirects: the service does not redirect, and following
// one would send the token to wherever it points. The default has a
// 30-second timeout.
//
// With an [*http.Transport] (or none) the client learns, through
// net/http/httptrace, whether a failed request ever had a connection; with
// another transport only a failed dial proves that nothing was sent, and
// any other failure leaves the document's outcome unknown (see
// [OutcomeNotSent]).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("evotor: nil *http.Client")
		}
		c.hc = hc
		return nil
	}
}

// WithCredentials sets the login and password issued in the Evotor
// cabinet. They are sent only to getToken; the password never appears in
// errors, logs or String output.
func WithCredentials(login, pass string) Option {
	return func(c *Client) error {
		if login == "" || pass == "" {
			return errors.New("evotor: login and password must not be empty")
		}
		c.login, c.pass = login, pass
		return nil
	}
}

// WithGroupCode sets the group of cash registers that documents go to.
func WithGroupCode(group string) Option {
	return func(c *Client) error {
		if group == "" || strings.ContainsAny(group, "/?#") {
			return errors.New("evotor: group code must be non-empty and contain no / ? #")
		}
		c.group = group
		return nil
	}
}

// WithSource sets the integrator's name sent with getToken (optional).
func WithSource(source string) Option {
	return func(c *Client) error { c.source = source; return nil }
}

// WithClock sets the source of the current time, used for the token's
// lifetime. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return errors.New("evotor: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithRetry sets the retry and polling policy. See [RetryPolicy] and
// [DefaultRetryPolicy].
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MinBackoff < 0 || p.MaxBackoff < 0 || p.PollMin < 0 || p.PollMax < 0 ||
			p.AttemptTimeout < 0 {
			return errors.New("evotor: negative duration in retry policy")
		}
		c.retry = p
		return nil
	}
}

// WithLogger sets a logger for what the client does: token fetches,
// retries, duplicates. nil, the default, logs nothing. Secrets and buyer
// contacts are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error { c.log = l; return nil }
}

// WithJournal sets where the client records the SHA-256 of every body it
// sends, per external_id. The default is a fresh [MemoryJournal]; pass a
// persistent one to keep the protection against double sales across
// restarts.
func WithJournal(j Journal) Option {
	return func(c *Client) error {
		if j == nil {
			return errors.New("evotor: nil journal")
		}
		c.journal = j
		return nil
	}
}

// WithValidator makes [Client.Submit] check each request with v before
// sending it and refuse, with KindInvalid and the violations, a request
// that has errors. Without it nothing is checked locally.
func WithValidator(v *validate.Validator) Option {
	return func(c *Client) error { c.validator = v; return nil }
}

// RetryPolicy says how often and how patiently the client retries.
// Backoffs grow from the minimum, doubling up to the maximum, and each
// wait is drawn at random from its upper half so that many clients do not
// retry in step. Zero durations mean no wait, which tests use.
type RetryPolicy struct {
	// MaxAttempts bounds the sends of one request when the outcome is
	// transient (a network error, HTTP 5xx). Values below 1 mean 1. The
	// single resend after a token refresh is not counted.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the wait between attempts.
	MinBackoff, MaxBackoff time.Duration
	// PollMin and PollMax bound the wait between report polls in
	// [Client.Wait].
	PollMin, PollMax time.Duration
	// AttemptTimeout bounds one HTTP exchange; 0 means none beyond the
	// context's and the HTTP client's.
	AttemptTimeout time.Duration
}

// DefaultRetryPolicy returns the policy used when none is given: 5
// attempts, backoff 0.5 s to 8 s, polls from 1 s to 10 s, 30 s per
// exchange. The service documents no rate limit or polling interval; these
// keep a stuck client from hammering it while a receipt still comes back
// within seconds.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts: 5,
		MinBackoff:  500 * time.Millisecond, MaxBackoff: 8 * time.Second,
		PollMin: time.Second, PollMax: 10 * time.Second,
		AttemptTimeout: 30 * time.Second,
	}
}
