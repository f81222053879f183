package evotor

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
)

// The service's tokens live 24 hours from issue. The client renews a token
// a little before that, so that a request does not leave with a token that
// expires on the way; a token the service already considers expired (it
// may hand back an older one) is renewed on code 11 instead.
const (
	tokenLifetime = 24 * time.Hour
	tokenMargin   = 10 * time.Minute
)

type tokenAnswer struct{ model.TokenResponse }

func (a *tokenAnswer) reset()                          { *a = tokenAnswer{} }
func (a *tokenAnswer) serviceErr() *model.ServiceError { return a.Error }

// token returns a valid token, fetching one when there is none, when it is
// about to expire, or when it is stale: the token the service just refused
// with code 10 or 11. Concurrent callers share a single fetch.
func (c *Client) token(ctx context.Context, stale string) (string, error) {
	t := &c.tok
	for {
		t.mu.Lock()
		if t.token != "" && t.token != stale && c.now().Before(t.expires) {
			tok := t.token
			t.mu.Unlock()
			return tok, nil
		}
		f := t.flight
		leader := f == nil
		if leader {
			f = &tokenFlight{done: make(chan struct{})}
			t.flight = f
		}
		t.mu.Unlock()

		if leader {
			f.token, f.err = c.fetchToken(ctx)
			t.mu.Lock()
			if f.err == nil {
				if t.token != "" && t.token != f.token {
					t.recent[1], t.recent[0] = t.recent[0], t.token
				}
				t.token = f.token
				t.expires = c.now().Add(tokenLifetime - tokenMargin)
			}
			t.flight = nil
			t.mu.Unlock()
			close(f.done)
			return f.token, f.err
		}
		select {
		case <-f.done:
			if f.err != nil && ctx.Err() == nil && isContextErr(f.err) {
				// The caller that fetched gave up; this one still wants
				// a token, so it fetches itself.
				continue
			}
			return f.token, f.err
		case <-ctx.Done():
			return "", contextError("getToken", ctx.Err())
		}
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// fetchToken asks the service for a token, retrying transient failures.
func (c *Client) fetchToken(ctx context.Context) (string, error) {
	body, err := json.Marshal(model.TokenRequest{Login: c.login, Pass: c.pass, Source: c.source})
	if err != nil {
		return "", err
	}
	u := c.endpoint("getToken")
	var ans tokenAnswer
	for attempt := 0; ; attempt++ {
		st, _, err := c.exchange(ctx, http.MethodPost, u, body, "", &ans)
		e := c.classify("getToken", st, err, ans.Error)
		if e == nil && ans.Token == "" {
			e = &Error{Kind: KindUnknown, Op: "getToken", HTTPStatus: st, Code: NoCode,
				Text: "answer has neither a token nor an error"}
		}
		if e == nil {
			c.logAt(ctx, slog.LevelDebug, "evotor: token issued", slog.Int("attempt", attempt+1))
			return ans.Token, nil
		}
		// A token request is refused for the credentials, whatever the
		// code: a malformed login (13, or 32 on some deployments) is as
		// final as a wrong one.
		if e.Kind == KindInvalid || e.Kind == KindUnknown && e.Code != NoCode {
			e.Kind = KindAuth
		}
		if e.Kind != KindTransient || attempt+1 >= c.retry.MaxAttempts || ctx.Err() != nil {
			c.logAt(ctx, slog.LevelWarn, "evotor: no token", errAttrs(e)...)
			return "", e
		}
		c.logAt(ctx, slog.LevelInfo, "evotor: retrying getToken", errAttrs(e)...)
		if err := sleep(ctx, backoff(c.retry.MinBackoff, c.retry.MaxBackoff, attempt)); err != nil {
			return "", contextError("getToken", err)
		}
	}
}

// classify turns the outcome of one exchange into an error, or nil when
// the answer is a success. The service's text is cleaned of secrets and of
// the extra values given.
func (c *Client) classify(op string, status int, err error, se *model.ServiceError,
	extra ...string) *Error {
	e := &Error{Op: op, HTTPStatus: status, Code: NoCode}
	switch {
	case err != nil && isContextErr(err):
		e.Kind, e.Text, e.Err = KindTransient, "no answer", err
	case errors.Is(err, errNotJSON):
		e.Kind, e.Text = KindUnknown, "answer is not the service's JSON"
		if status >= 500 || status == http.StatusTooManyRequests {
			e.Kind = KindTransient
		}
	case err != nil:
		e.Kind, e.Text, e.Err = KindTransient, "no answer", c.redactor(extra...).safeErr(err)
		if isConnectFailure(err) {
			e.Text = "could not connect"
		}
	case se != nil:
		red := c.redactor(extra...)
		e.Kind = kindOfCode(se.Code, status)
		e.Code, e.Type, e.ErrorID = se.Code, se.Type, red.clean(se.ErrorID)
		e.Text = red.clean(se.Text)
	case status >= 500 || status == http.StatusTooManyRequests:
		e.Kind, e.Text = KindTransient, http.StatusText(status)
	case status >= 300:
		e.Kind, e.Text = KindUnknown, "HTTP error without an error object"
	default:
		return nil
	}
	return e
}

// contextError wraps a context's error, so that errors.Is(err,
// context.Canceled) holds.
func contextError(op string, err error) *Error {
	return &Error{Kind: KindTransient, Op: op, Code: NoCode, Text: "gave up", Err: err}
}

// errAttrs describes e for a log line: never its wrapped cause's secrets,
// since e was built from cleaned text.
func errAttrs(e *Error) []slog.Attr {
	a := []slog.Attr{slog.String("kind", e.Kind.String())}
	if e.HTTPStatus != 0 {
		a = append(a, slog.Int("http_status", e.HTTPStatus))
	}
	if e.Code != NoCode {
		a = append(a, slog.Int("code", e.Code))
	}
	if e.ErrorID != "" {
		a = append(a, slog.String("error_id", e.ErrorID))
	}
	return append(a, slog.String("error", e.Error()))
}
