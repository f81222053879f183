package transform

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/validate"
	"github.com/shopspring/decimal"
)

// checks runs the pack's organisation checks over a built document. The
// environment already holds the document and the items; withSource false
// runs only the checks that read nothing but the receipt (the rest would
// find no document).
func (r *run) checks(doc *model.Document, withSource bool) ([]validate.Violation, error) {
	p := r.m.pack
	if len(p.Checks) == 0 {
		return nil, nil
	}
	body := doc.Request.Body()
	env := r.env
	env[rules.NameOperation] = string(doc.Operation)
	if body != nil {
		env[rules.NameTotal] = body.Total.Decimal()
		pays := make([]rules.Payment, len(body.Payments))
		for i, pay := range body.Payments {
			pays[i] = rules.Payment{Type: int(pay.Type), Sum: pay.Sum.Decimal()}
		}
		env[rules.NamePayments] = pays
		if _, ok := env[rules.NameItems]; !ok {
			env[rules.NameItems] = lineView(body.Items, nil)
		}
	}
	var out []validate.Violation
	for i := range p.Checks {
		c := &p.Checks[i]
		if c.Source && !withSource {
			continue
		}
		v, failed, err := r.check(c)
		if err != nil {
			return out, err
		}
		if failed {
			out = append(out, v)
		}
	}
	return out, nil
}

// check evaluates one check; failed reports a violation.
func (r *run) check(c *rules.Check) (v validate.Violation, failed bool, err error) {
	eval := func(e *rules.Expr) (any, error) {
		if e == nil {
			return nil, nil
		}
		return e.Eval(r.mach, r.env)
	}
	if c.When != nil {
		on, err := eval(c.When)
		if err != nil || on != true {
			return v, false, err
		}
	}
	ok, err := eval(c.Assert)
	if err != nil || ok == true {
		return v, false, err
	}
	msg, err := eval(c.Message)
	if err != nil {
		return v, false, err
	}
	exp, err := eval(c.Expected)
	if err != nil {
		return v, false, err
	}
	act, err := eval(c.Actual)
	if err != nil {
		return v, false, err
	}
	text, _ := msg.(string)
	text = strings.Clone(text) // see builder.set
	sev := validate.Error
	if c.Severity == "warning" {
		sev = validate.Warning
	}
	return validate.Violation{Code: c.Code, Path: c.Path, Severity: sev, MessageRU: text,
		MessageEN: text, Expected: show(exp), Actual: show(act)}, true, nil
}

// show writes a value for Expected and Actual; decimals keep their scale.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.Clone(x) // see builder.set
	case decimal.Decimal:
		return model.NewMoney(x).String()
	case json.Number:
		return strings.Clone(string(x))
	}
	return fmt.Sprint(v)
}

// Check returns the pack's checks that read only the receipt (not the
// order document) as a [validate.Check], for validating requests that were
// built elsewhere or edited since: pass it to [validate.WithCheck]. A check
// that fails to evaluate is reported as a violation with code check_failed.
func (m *Mapper) Check() validate.Check {
	return validate.CheckFunc(func(op model.Operation, req *model.Request) []validate.Violation {
		r := m.newRun()
		defer m.runs.Put(r)
		vs, err := r.checks(&model.Document{Operation: op, Request: req}, false)
		if err != nil {
			vs = append(vs, validate.Violation{Code: "check_failed", Severity: validate.Error,
				MessageRU: "проверка пакета правил не выполнилась: " + err.Error(),
				MessageEN: "a check of the rule pack failed to run: " + err.Error()})
		}
		return vs
	})
}
