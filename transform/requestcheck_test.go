package transform_test

import (
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/validate"
)

// RequestCheck runs a pack's checks on requests from elsewhere only when
// every one of them can run there, and otherwise locates each that reads
// the order document, however it reads it.
func TestRequestCheck(t *testing.T) {
	receipt := `  - code: small
    path: receipt.total
    assert: total < 1000
    message: '"the receipt totals " + str(total)'
`
	tests := []struct {
		name   string
		checks string
		errs   []string // "" when the checks can run
	}{
		{"receipt only", receipt, nil},
		{"doc", receipt + `  - code: paid
    when: doc.paid != nil
    assert: dec(doc.paid) == total
    message: '"paid"'
`, []string{"t.yaml:42:11: checks.when: check paid reads doc; a request carries no order"}},
		{"let names, the first in the file", receipt + `  - code: late
    message: '"late " + str(number)'
    assert: total > limit && total > least
`, []string{"t.yaml:42:15: checks.message: check late reads number and the let names " +
			"limit and least"}},
		{"$env", `  - code: env
    assert: '$env["doc"] != nil'
    message: '"no doc"'
`, []string{`t.yaml:38:14: checks.assert: check env reads $env`}},
	}
	lets := "let:\n  limit: dec(1)\n  least: dec(0)\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mapper(t, strings.Replace(base, "operation:", lets+"operation:", 1)+
				"checks:\n"+tt.checks, nil)
			c, err := m.RequestCheck()
			if len(tt.errs) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				req := &model.Request{Receipt: &model.Receipt{Total: model.MustMoney("1500")}}
				r := validate.New(validate.WithCheck(c)).Request(model.Sell, req)
				found := false
				for _, v := range r.Violations {
					found = found || v.Code == "small"
				}
				if !found {
					t.Errorf("the check did not run: %v", r.Violations)
				}
				return
			}
			list := rules.AsList(err)
			if c != nil || len(list) != len(tt.errs) {
				t.Fatalf("check %v, errors %v; want %d errors", c, err, len(tt.errs))
			}
			for i, want := range tt.errs {
				if !strings.HasPrefix(list[i].Error(), want) {
					t.Errorf("error %q, want it to start %q", list[i].Error(), want)
				}
			}
		})
	}
}

// A check that cannot be evaluated on a request is one violation, at the
// check's path and naming it, and the checks after it still run.
func TestRequestCheckFailsAlone(t *testing.T) {
	checks := `  - code: broken
    path: receipt.total
    assert: dec(str(total) + "x") > 0
    message: '"never"'
  - code: small
    path: receipt.total
    assert: total < 1000
    message: '"the receipt totals " + str(total)'
`
	m := mapper(t, base+"checks:\n"+checks, nil)
	c, err := m.RequestCheck()
	if err != nil {
		t.Fatal(err)
	}
	req := &model.Request{Receipt: &model.Receipt{Total: model.MustMoney("1500")}}
	var failed, small bool
	for _, v := range c.Check(model.Sell, req) {
		switch v.Code {
		case "check_failed":
			failed = v.Path == "receipt.total" && strings.Contains(v.MessageEN, "check broken ")
			if !failed {
				t.Errorf("check_failed at %q: %s", v.Path, v.MessageEN)
			}
		case "small":
			small = true
		}
	}
	if !failed || !small {
		t.Errorf("check_failed reported %v, the next check ran %v", failed, small)
	}
}

// A pack's check may quote the customer; what it reports hides the buyer's
// details, in the receipt's form and in the order's own.
func TestCheckHidesBuyer(t *testing.T) {
	checks := `  - code: leak
    path: receipt.client
    assert: total < 1
    message: '"buyer " + str(doc.email) + " phone " + str(doc.phone) + " " + toJSON(doc)'
    expected: str(doc.email)
    actual: '"+7 (916) 123-45-67"'
`
	src := strings.Replace(base, `email: '"a@example.com"'`, `email: str(doc.email)`, 1)
	m := mapper(t, src+"checks:\n"+checks, nil)
	res, err := m.Map([]byte(`{"id": "A1", "email": "secret.buyer@mail.example",
		"phone": "8 (916) 123-45-67", "lines": [{"name": "Чай", "price": "99.90"}]}`))
	if err != nil || len(res) != 1 {
		t.Fatalf("%v %v", res, err)
	}
	var found bool
	for _, v := range res[0].Violations {
		if v.Code != "leak" {
			continue
		}
		found = true
		all := v.MessageRU + v.MessageEN + v.Expected + v.Actual
		for _, s := range []string{"secret", "mail.example", "123-45-67", "916"} {
			if strings.Contains(all, s) {
				t.Errorf("the check shows %q: %q", s, all)
			}
		}
		if v.Expected != "xxxxxx.xxxxx@xxxx.xxxxxxx" {
			t.Errorf("expected %q", v.Expected)
		}
	}
	if !found {
		t.Fatalf("the check did not fail: %+v", res[0].Violations)
	}
}
