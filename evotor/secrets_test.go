package evotor_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

const (
	secretToken = "TOKEN-7f3a9c-SECRET"
	buyerEmail  = "ivan.petrov@example.org"
	buyerPhone  = "+79001234567"
)

// leaks lists the secrets found in s.
func leaks(s string) []string {
	var found []string
	for _, v := range []string{testPass, secretToken, buyerEmail, buyerPhone} {
		if strings.Contains(s, v) {
			found = append(found, v)
		}
	}
	return found
}

func buyerRequest(t *testing.T, id string) *model.Request {
	req := sellRequest(t, id)
	req.Receipt.Client = &model.Client{Email: buyerEmail, Phone: buyerPhone}
	return req
}

// TestSecretsNeverLeak makes a service echo every secret in its errors,
// and checks errors, log lines and String output.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	echo := "echo " + secretToken + " " + testPass + " " + buyerEmail + " " + buyerPhone
	s := newScript(t, func(c call) (int, string) {
		switch {
		case c.Path == "getToken":
			return 200, `{"error":null,"token":"` + secretToken + `"}`
		case strings.HasSuffix(c.Path, "/report/u-1"):
			return 200, `{"uuid":"u-1","status":"fail","error":{"code":2006,"type":"agent",` +
				`"error_id":"` + secretToken + `","text":"` + echo + `"}}`
		case c.N == 1:
			return 401, svcErr(11, echo)
		case c.N == 2:
			return 500, svcErr(50, echo)
		}
		return 400, svcErr(32, echo)
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, s.URL(), evotor.WithLogger(logger))
	ctx := context.Background()

	var out []string
	_, err := c.Submit(ctx, model.Sell, buyerRequest(t, "leak-1"))
	if err == nil {
		t.Fatal("no error")
	}
	out = append(out, err.Error(), fmt.Sprintf("%v|%+v|%#v", err, err, err))
	_, err = c.Wait(ctx, "u-1")
	if err == nil {
		t.Fatal("no error from a failed report")
	}
	out = append(out, err.Error(), fmt.Sprintf("%+v|%#v", err, err))
	out = append(out, c.String(), fmt.Sprintf("%v|%+v|%#v", c, c, c))

	// Pre-flight violations may quote the values they found.
	quoting := validate.New(validate.WithCheck(validate.CheckFunc(
		func(op model.Operation, req *model.Request) []validate.Violation {
			cl := req.Receipt.Client
			return []validate.Violation{{Code: "contact", Path: "receipt.client.phone",
				Severity: validate.Error, MessageEN: "bad " + cl.Email, MessageRU: cl.Phone,
				Actual: cl.Phone}}
		})))
	c2 := newClient(t, s.URL(), evotor.WithValidator(quoting), evotor.WithLogger(logger))
	_, err = c2.Submit(ctx, model.Sell, buyerRequest(t, "leak-2"))
	if err == nil {
		t.Fatal("no pre-flight error")
	}
	out = append(out, err.Error(), fmt.Sprintf("%+v|%#v", err, err))

	for i, s := range out {
		if l := leaks(s); l != nil {
			t.Errorf("output %d leaks %v: %s", i, l, s)
		}
	}
	if logs.Len() == 0 {
		t.Fatal("nothing was logged")
	}
	if l := leaks(logs.String()); l != nil {
		t.Errorf("log leaks %v:\n%s", l, logs.String())
	}
}

func TestSubmissionString(t *testing.T) {
	t.Parallel()
	s := &evotor.Submission{Operation: model.Sell, ExternalID: "o-1", UUID: "u-1",
		Status: model.StatusWait, Duplicate: true}
	if got := s.String(); got != "sell o-1: uuid u-1, status wait (duplicate)" {
		t.Fatalf("String() = %q", got)
	}
}

// TestReportTextsRedacted makes a service echo the token, the password and
// buyer contacts in every text of a report, and checks that Report and
// Wait hand back none of them, whatever form the phone takes, while an
// INN in the same text is kept.
func TestReportTextsRedacted(t *testing.T) {
	t.Parallel()
	const inn = "7701493822"
	forms := []string{buyerPhone, "+7 (900) 123-45-67", "89001234567", "8 (900) 123-45-67",
		"7 900 123 45 67"}
	echo := "echo " + secretToken + " " + testPass + " " + buyerEmail + " " +
		strings.Join(forms, " ") + " ИНН " + inn
	for _, status := range []string{"fail", "done", "wait"} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			s := newScript(t, func(c call) (int, string) {
				if c.Path == "getToken" {
					return 200, `{"error":null,"token":"` + secretToken + `"}`
				}
				return 200, `{"uuid":"u-1","status":"` + status + `","error":{"code":2006,` +
					`"type":"agent","error_id":"` + secretToken + `","text":"` + echo + `"},` +
					`"warnings":{"callback_url":"` + echo + `"},"device_code":"` + buyerEmail +
					`","daemon_code":"` + secretToken + `","group_code":"` + testGroup + `"}`
			})
			c := newClient(t, s.URL())
			rep, err := c.Report(context.Background(), "u-1")
			if err != nil {
				t.Fatal(err)
			}
			out := fmt.Sprintf("%+v %+v %v", rep, *rep.Error, rep.Warnings)
			for _, f := range forms {
				if strings.Contains(out, f) {
					t.Errorf("report keeps the phone %q: %s", f, out)
				}
			}
			if l := leaks(out); l != nil {
				t.Errorf("report leaks %v: %s", l, out)
			}
			if !strings.Contains(rep.Error.Text, inn) || rep.GroupCode != testGroup {
				t.Errorf("cleaning took more than secrets: %s", out)
			}
		})
	}
}

// TestReportOfAnotherUUID checks that a report for another document is
// refused, not taken for this one's result; a report without uuid is
// this one's.
func TestReportOfAnotherUUID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, answerUUID string
		ok               bool
	}{
		{"same", "u-1", true},
		{"missing", "", true},
		{"other", "u-2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newScript(t, func(c call) (int, string) {
				if c.Path == "getToken" {
					return tokenOK(c)
				}
				return 200, `{"uuid":"` + tt.answerUUID + `","status":"done","error":null,` +
					`"payload":null}`
			})
			c := newClient(t, s.URL())
			rep, err := c.Wait(context.Background(), "u-1")
			if tt.ok {
				if err != nil || rep.UUID != "u-1" || rep.Status != model.StatusDone {
					t.Fatalf("report %+v, err %v", rep, err)
				}
				return
			}
			if err == nil || rep != nil || evotor.KindOf(err) != evotor.KindUnknown ||
				!strings.Contains(err.Error(), "u-2") {
				t.Fatalf("report %+v, err %v: want a refusal naming u-2", rep, err)
			}
			if n := s.count(testGroup + "/report/u-1"); n != 1 {
				t.Fatalf("%d polls, want 1", n)
			}
		})
	}
}
