package model_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
)

func TestRequestBody(t *testing.T) {
	req, corr := fullRequest(), fullCorrection()
	tests := []struct {
		name string
		r    *model.Request
		body *model.Receipt
		root string
	}{
		{"receipt", req, req.Receipt, "receipt"},
		{"correction", corr, &corr.Correction.Receipt, "correction"},
		{"neither", &model.Request{}, nil, "receipt"},
		{"nil", nil, nil, "receipt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Body(); got != tc.body {
				t.Errorf("Body() = %p, want %p", got, tc.body)
			}
			if got := tc.r.RootKey(); got != tc.root {
				t.Errorf("RootKey() = %q, want %q", got, tc.root)
			}
		})
	}
}

func TestMarkCodeKinds(t *testing.T) {
	var none *model.MarkCode
	if none.Kinds() != nil || none.Value(model.MarkKindGS1M) != "" {
		t.Error("a nil mark code has kinds")
	}
	c := fullReceipt().Items[0].MarkCode
	if got := len(c.Kinds()); got != 10 {
		t.Errorf("%d kinds set, want 10", got)
	}
	for _, k := range c.Kinds() {
		if !k.Valid() || c.Value(k) == "" {
			t.Errorf("kind %s: valid %v, value %q", k, k.Valid(), c.Value(k))
		}
	}
	if c.Value("bogus") != "" {
		t.Error("Value of an unknown kind is not empty")
	}
}

func TestPaymentObjectHelpers(t *testing.T) {
	for p := model.PaymentObject(1); p <= 33; p++ {
		if want := p == 31 || p == 33; p.WithCode() != want {
			t.Errorf("%s: WithCode %v", p, p.WithCode())
		}
		if want := p == 2 || p == 30 || p == 31; p.Excise() != want {
			t.Errorf("%s: Excise %v", p, p.Excise())
		}
	}
	s := fmt.Sprint(model.ObjectMarked, model.MeasureKilogram, model.PaymentCash)
	if s != "33 11 0" {
		t.Errorf("String = %q", s)
	}
}

// TestSecretsHidden checks that printing a token request or answer in any
// of fmt's forms shows neither the password nor the token.
func TestSecretsHidden(t *testing.T) {
	values := []any{
		model.TokenRequest{Login: "user", Pass: "s3cret-pass", Source: "app"},
		model.TokenResponse{Token: "s3cret-token", Timestamp: "05.01.2026 10:15:00",
			Error: fullServiceError()},
	}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, "s3cret") {
				t.Errorf("%s of %T shows a secret: %s", verb, v, out)
			}
		}
	}
	if s := fmt.Sprint(values[1]); !strings.Contains(s, "code 32 (system)") {
		t.Errorf("the error is not shown: %s", s)
	}
	var e *model.ServiceError
	if e.String() != "<nil>" {
		t.Errorf("nil ServiceError prints %q", e.String())
	}
}
