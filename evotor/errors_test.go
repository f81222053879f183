package evotor_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/model"
)

// TestRegisterErrorCodes maps every service error of §9.1 met while
// registering: its kind, and how often the document was sent (retried as
// the policy allows when transient, resent once after a token refresh).
func TestRegisterErrorCodes(t *testing.T) {
	t.Parallel()
	attempts := fastRetry.MaxAttempts
	tests := []struct {
		name        string
		status      int
		body        string
		kind        evotor.Kind
		sends       int
		tokenFetchs int
	}{
		{"0 undefined", 400, svcErr(0, "Undefined"), evotor.KindTransient, attempts, 1},
		{"1 processing failed", 400, svcErr(1, "failed"), evotor.KindTransient, attempts, 1},
		{"10 missing token", 401, svcErr(10, "MissingToken"), evotor.KindAuth, 2, 2},
		{"11 expired token", 401, svcErr(11, "ExpiredToken"), evotor.KindAuth, 2, 2},
		{"12 wrong login", 401, svcErr(12, "Wrong"), evotor.KindAuth, 1, 1},
		{"13 validation", 400, svcErr(13, "Ошибочные поля"), evotor.KindInvalid, 1, 1},
		{"14 blocked", 403, svcErr(14, "UserBlocked"), evotor.KindAuth, 1, 1},
		{"20 group", 401, svcErr(20, "GroupCode"), evotor.KindConfig, 1, 1},
		{"21 protocol", 401, svcErr(21, "NotSupported"), evotor.KindConfig, 1, 1},
		{"30 uuid", 400, svcErr(30, "MissingUuid"), evotor.KindNotFound, 1, 1},
		{"31 operation", 400, svcErr(31, "NotSupported"), evotor.KindInvalid, 1, 1},
		{"32 receipt", 400, svcErr(32, "Ошибочные поля : NumberTooSmall: #/receipt.total"),
			evotor.KindInvalid, 1, 1},
		{"33 unknown body", 400, `{"uuid":"u-1","status":"wait","error":{"code":33,` +
			`"text":"exists","type":"system"}}`, evotor.KindConflict, 1, 1},
		{"40 bad request", 400, svcErr(40, "BadRequest"), evotor.KindInvalid, 1, 1},
		{"41 media type", 415, svcErr(41, "UnsupportedMediaType"), evotor.KindInvalid, 1, 1},
		{"50 server", 500, svcErr(50, "ErrorServerConfiguration"), evotor.KindTransient,
			attempts, 1},
		{"502 html", 502, "<html>bad gateway</html>", evotor.KindTransient, attempts, 1},
		{"404 html", 404, "<html>not found</html>", evotor.KindUnknown, 1, 1},
		{"200 without uuid", 200, `{"error":null}`, evotor.KindUnknown, 1, 1},
		{"dropped", 0, "", evotor.KindTransient, attempts, 1},
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
			_, err := c.Submit(context.Background(), model.Sell, sellRequest(t, "e-1"))
			var e *evotor.Error
			if !errors.As(err, &e) {
				t.Fatalf("err %v, want *evotor.Error", err)
			}
			if e.Kind != tt.kind || evotor.KindOf(err) != tt.kind {
				t.Fatalf("kind %v, want %v: %v", e.Kind, tt.kind, err)
			}
			if n := s.count(testGroup + "/sell"); n != tt.sends {
				t.Fatalf("sent %d times, want %d", n, tt.sends)
			}
			if n := s.count("getToken"); n != tt.tokenFetchs {
				t.Fatalf("%d token requests, want %d", n, tt.tokenFetchs)
			}
			if tt.status != 0 && e.HTTPStatus != tt.status {
				t.Fatalf("HTTPStatus %d, want %d", e.HTTPStatus, tt.status)
			}
			if e.ExternalID != "e-1" || e.Op != "sell" {
				t.Fatalf("error lacks the document: %+v", e)
			}
		})
	}
}

// TestTokenErrorCodes maps getToken's errors: all final but 50 and
// network failures.
func TestTokenErrorCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		code   int
		kind   evotor.Kind
		calls  int
	}{
		{401, 12, evotor.KindAuth, 1},
		{200, 12, evotor.KindAuth, 1},
		{400, 13, evotor.KindAuth, 1},
		{400, 32, evotor.KindAuth, 1},
		{403, 14, evotor.KindAuth, 1},
		{401, 20, evotor.KindConfig, 1},
		{401, 21, evotor.KindConfig, 1},
		{500, 50, evotor.KindTransient, fastRetry.MaxAttempts},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.status, tt.code), func(t *testing.T) {
			t.Parallel()
			s := newScript(t, func(c call) (int, string) {
				return tt.status, svcErr(tt.code, "refused")
			})
			c := newClient(t, s.URL())
			_, err := c.Submit(context.Background(), model.Sell, sellRequest(t, "e-2"))
			var e *evotor.Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Code != tt.code {
				t.Fatalf("err %v, want kind %v code %d", err, tt.kind, tt.code)
			}
			if s.count("getToken") != tt.calls || s.count(testGroup+"/sell") != 0 {
				t.Fatalf("%d token requests, %d sends", s.count("getToken"),
					s.count(testGroup+"/sell"))
			}
		})
	}
}

func TestErrorClassification(t *testing.T) {
	t.Parallel()
	e := &evotor.Error{Kind: evotor.KindTransient, Op: "sell", ExternalID: "o-1",
		HTTPStatus: 500, Code: 50, Type: model.ErrorSystem, Text: "server",
		ErrorID: "e-9"}
	wrapped := fmt.Errorf("saving order: %w", e)
	if !errors.Is(wrapped, evotor.ErrTransient) || errors.Is(wrapped, evotor.ErrAuth) {
		t.Fatal("errors.Is does not follow the kind")
	}
	if !evotor.IsTransient(wrapped) || evotor.KindOf(wrapped) != evotor.KindTransient {
		t.Fatal("IsTransient/KindOf")
	}
	if evotor.KindOf(errors.New("other")) != evotor.KindUnknown ||
		evotor.IsTransient(nil) {
		t.Fatal("KindOf of foreign errors")
	}
	want := "evotor: sell o-1: transient: HTTP 500, code 50 (system): server [error_id e-9]"
	if e.Error() != want {
		t.Fatalf("Error() = %q\nwant      %q", e.Error(), want)
	}
	local := &evotor.Error{Kind: evotor.KindConflict, Op: "sell", Code: evotor.NoCode,
		Text: "taken"}
	if got := local.Error(); got != "evotor: sell: conflict: taken" {
		t.Fatalf("Error() = %q", got)
	}
	ctxErr := &evotor.Error{Kind: evotor.KindTransient, Code: evotor.NoCode,
		Err: context.Canceled}
	if !errors.Is(ctxErr, context.Canceled) {
		t.Fatal("the cause is not unwrapped")
	}
	for k := evotor.KindUnknown; k <= evotor.KindFailed; k++ {
		if strings.HasPrefix(k.String(), "kind(") {
			t.Errorf("kind %d has no name", k)
		}
	}
}

// TestRedirectNotFollowed checks that a redirect does not carry the token
// to another server.
func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	elsewhere := newScript(t, func(c call) (int, string) { return 200, "{}" })
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/getToken") {
			io.WriteString(w, `{"error":null,"token":"tok-abcdef"}`)
			return
		}
		http.Redirect(w, r, elsewhere.srv.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirect.Close)
	c := newClient(t, redirect.URL+"/possystem/v5/")
	_, err := c.Submit(context.Background(), model.Sell, sellRequest(t, "r-1"))
	if err == nil {
		t.Fatal("a redirect was taken for success")
	}
	if n := elsewhere.count("/steal"); n != 0 {
		t.Fatalf("%d requests followed the redirect", n)
	}
}
