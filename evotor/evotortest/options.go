package evotortest

import (
	"net/http"
	"time"

	"github.com/evoreceipt/evoreceipt/validate"
)

// Defaults of a sandbox.
const (
	DefaultLogin    = "sandbox"
	DefaultPassword = "sandbox-password"
	DefaultGroup    = "sandbox-group"
)

// Option configures a sandbox.
type Option func(*config)

type config struct {
	login, pass, group string
	seed               uint64
	now                func() time.Time
	processing         time.Duration
	latency            time.Duration
	serverErrors       uint64 // per million
	drops              uint64 // per million
	dupCallbacks       uint64 // per million
	tokenTTL           time.Duration
	callbackClient     *http.Client
	validator          *validate.Validator
}

func defaults() config {
	return config{
		login: DefaultLogin, pass: DefaultPassword, group: DefaultGroup,
		seed: 1, now: time.Now, tokenTTL: 24 * time.Hour,
	}
}

// WithCredentials sets the only login and password getToken accepts.
func WithCredentials(login, pass string) Option {
	return func(c *config) { c.login, c.pass = login, pass }
}

// WithGroupCode sets the only group code the sandbox serves.
func WithGroupCode(group string) Option { return func(c *config) { c.group = group } }

// WithSeed makes the sandbox's choices (which requests fail, uuids, fiscal
// attributes) follow seed. Faults are drawn per document and attempt, not
// in arrival order, so the same client doing the same things meets the
// same faults even when its requests interleave differently.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = uint64(seed) } }

// WithClock sets the sandbox's time, used for timestamps, token expiry and
// processing.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithProcessingTime sets how long a document stays in status wait (code
// 34 from report) after it is accepted. The default is 0: ready at once.
func WithProcessingTime(d time.Duration) Option {
	return func(c *config) { c.processing = d }
}

// WithLatency delays every answer by up to d, drawn from the seed.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithServerErrors makes a fraction rate (0 to 1) of requests fail with
// HTTP 500 and code 50. For registrations, half of them fail after the
// document was registered, as when a gateway gives up on a slow backend.
func WithServerErrors(rate float64) Option {
	return func(c *config) { c.serverErrors = perMillion(rate) }
}

// WithDroppedConnections makes a fraction rate of requests end with the
// connection closed and no answer. For registrations, half of them are
// dropped after the document was registered: the answer is lost.
func WithDroppedConnections(rate float64) Option {
	return func(c *config) { c.drops = perMillion(rate) }
}

// WithTokenTTL sets how long a token stays valid; afterwards requests with
// it get code 11. The default is the service's 24 hours.
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithDuplicateCallbacks makes a fraction rate of callbacks arrive twice.
func WithDuplicateCallbacks(rate float64) Option {
	return func(c *config) { c.dupCallbacks = perMillion(rate) }
}

// WithCallbackClient sets the HTTP client that delivers callbacks. The
// sandbox delivers only to loopback addresses, whatever the client.
func WithCallbackClient(hc *http.Client) Option {
	return func(c *config) { c.callbackClient = hc }
}

// WithValidator sets the validator whose violations become code 32. The
// default is validate.New().
func WithValidator(v *validate.Validator) Option {
	return func(c *config) { c.validator = v }
}

// perMillion turns a rate into an integer threshold, so that a draw is an
// integer comparison; rates outside [0, 1] are clamped.
func perMillion(rate float64) uint64 {
	switch {
	case rate <= 0 || rate != rate:
		return 0
	case rate >= 1:
		return million
	}
	return uint64(rate*million + 0.5)
}

const million = 1_000_000
