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
