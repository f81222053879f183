package validate_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// Listings never show a buyer's contact details: they are masked in every
// printed form, and stay whole in the Violation for the caller's own use.
func TestContactsMasked(t *testing.T) {
	tests := []struct {
		name, code     string
		edit           func(c *model.Client)
		path           string
		secret         string
		expect, actual string // as printed
		rawExpect      string // in the Violation
	}{
		{name: "email with a space", code: "email", path: "receipt.client.email", secret: "victim",
			edit:   func(c *model.Client) { c.Email = "victim secret@example.test" },
			expect: "name@domain or none", actual: `"xxxxxx xxxxxx@xxxxxxx.xxxx"`,
			rawExpect: "name@domain or none"},
		{name: "phone with brackets", code: "phone", path: "receipt.client.phone", secret: "1234567",
			edit:   func(c *model.Client) { c.Phone = "+7 (900) 123-45-67" },
			expect: "+###########", actual: `"+# (###) ###-##-##"`,
			rawExpect: "+79001234567"},
		{name: "short +7 phone", code: "phone", path: "receipt.client.phone", secret: "790012",
			edit:   func(c *model.Client) { c.Phone = "+790012" },
			expect: "+7 and 10 digits", actual: `"+######"`, rawExpect: "+7 and 10 digits"},
		{name: "name with a control character", code: "control_character",
			path:   "receipt.client.name",
			secret: "Ivanov",
			edit: func(c *model.Client) {
				c.Email, c.Name = "buyer@example.test", "Ivanov\u0007"
			},
			actual: "U+0007"},
	}
	tests = append(tests, []struct {
		name, code     string
		edit           func(c *model.Client)
		path           string
		secret         string
		expect, actual string
		rawExpect      string
	}{
		{name: "buyer INN checksum", code: "inn_checksum", path: "receipt.client.inn",
			secret: "7701493823",
			edit: func(c *model.Client) {
				c.Email, c.INN = "buyer@example.test", "7701493823"
			},
			expect: "valid check digits", actual: "##########"},
		{name: "citizenship", code: "country_code", path: "receipt.client.citizenship",
			secret: "SECRET",
			edit: func(c *model.Client) {
				c.Email, c.Citizenship = "buyer@example.test", "SECRET"
			},
			expect: "3 digits", actual: `"xxxxxx"`},
	}...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := base()
			r.Receipt.Client = &model.Client{}
			tc.edit(r.Receipt.Client)
			res := validate.Request(model.Sell, r)
			v, ok := find(res, tc.code, tc.path)
			if !ok {
				t.Fatalf("no violation at %s:%s", tc.path, dump(res))
			}
			if tc.rawExpect != "" && v.Expected != tc.rawExpect {
				t.Errorf("Violation.Expected = %q, want %q", v.Expected, tc.rawExpect)
			}
			for _, lang := range []validate.Lang{validate.English, validate.Russian} {
				js, _ := json.Marshal(res.Report(lang))
				for _, out := range []string{string(js), v.Format(lang), v.String()} {
					if strings.Contains(out, tc.secret) {
						t.Errorf("%s shows %q:\n%s", lang, tc.secret, out)
					}
				}
			}
			j := v.JSON(validate.English)
			if j.Actual != tc.actual || tc.expect != "" && j.Expected != tc.expect {
				t.Errorf("printed expected %q, actual %q; want %q, %q",
					j.Expected, j.Actual, tc.expect, tc.actual)
			}
		})
	}
}

// A key under client is shown masked too: it may be the e-mail itself.
func TestClientKeyMasked(t *testing.T) {
	data := editJSON(t, requestJSON(t, base()), func(d map[string]any) {
		obj(d, "receipt", "client")["SECRET@mail.ru"] = "x"
	})
	_, res := validate.JSON(data, model.Sell)
	if len(res.Violations) == 0 {
		t.Fatal("an unknown key passed")
	}
	for _, lang := range []validate.Lang{validate.English, validate.Russian} {
		js, _ := json.Marshal(res.Report(lang))
		if strings.Contains(string(js), "SECRET") || strings.Contains(string(js), "mail.ru") {
			t.Errorf("%s listing shows the key:\n%s", lang, js)
		}
		if !strings.Contains(string(js), `receipt.client[\"xxxxxx@xxxx.xx\"]`) {
			t.Errorf("%s listing lacks the masked path:\n%s", lang, js)
		}
	}
}
