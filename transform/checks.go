package transform

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	defer func() {
		if body != nil {
			hideBuyer(out, body.Client)
		}
	}()
	for i := range p.Checks {
		c := &p.Checks[i]
		if c.Source && !withSource {
			continue
		}
		v, failed, err := r.check(c)
		if err != nil && r.checkFailed != nil {
			// Checking a request: one check that cannot run is one
			// violation, and the others still run.
			out = append(out, r.checkFailed(c, err))
			continue
		}
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
		if req == nil || req.Body() == nil {
			// Nothing for the checks to read (every one would fail on a
			// missing total); the validator reports the missing body itself.
			return nil
		}
		r := m.newRun()
		r.checkFailed = checkFailed
		defer func() {
			r.checkFailed = nil
			m.runs.Put(r)
		}()
		vs, err := r.checks(&model.Document{Operation: op, Request: req}, false)
		if err != nil {
			vs = append(vs, checkFailed(nil, err))
		}
		return vs
	})
}

// RequestCheck is [Mapper.Check] for callers that must run every check of
// the pack or none: when some check reads the order document, it returns
// an error locating each such check instead. Mapper.Check leaves those
// checks out, which would pass requests that the pack was written to stop.
// A check that names $env counts as reading the document, since $env may
// reach it ($env["doc"]) where the pack's own analysis does not look.
func (m *Mapper) RequestCheck() (validate.Check, error) {
	var errs rules.ErrorList
	for i := range m.pack.Checks {
		if err := m.sourceRead(&m.pack.Checks[i]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return m.Check(), nil
}

// orderNames are the names of the environment that hold the order document
// or depend on it, besides the pack's let names.
var orderNames = []string{rules.NameDoc, rules.NameInput, rules.NameNumber, "$env"}

// sourceRead returns an error at the first expression of c (in the file)
// that reads the order document, naming everything of it that c reads, or
// nil.
func (m *Mapper) sourceRead(c *rules.Check) *rules.Error {
	names := append([]string(nil), orderNames...)
	for _, l := range m.pack.Let {
		names = append(names, l.Name)
	}
	exprs := []*rules.Expr{c.When, c.Assert, c.Message, c.Expected, c.Actual}
	reads := func(name string) bool {
		return slices.ContainsFunc(exprs, func(e *rules.Expr) bool {
			return e != nil && e.Reads(name)
		})
	}
	var read, lets []string
	for i, name := range names {
		switch {
		case !reads(name):
		case name == "$env":
			read = append(read, "$env (every name, the order document's among them)")
		case i >= len(orderNames):
			lets = append(lets, name)
		default:
			read = append(read, name)
		}
	}
	if len(lets) == 1 {
		read = append(read, "the let name "+lets[0])
	} else if len(lets) > 1 {
		read = append(read, "the let names "+andList(lets))
	}
	if len(read) == 0 {
		return nil
	}
	var first *rules.Expr
	for _, e := range exprs {
		if e == nil || !slices.ContainsFunc(names, e.Reads) {
			continue
		}
		if first == nil || e.Pos.Line < first.Pos.Line ||
			e.Pos.Line == first.Pos.Line && e.Pos.Column < first.Pos.Column {
			first = e
		}
	}
	return m.pack.ErrorAt(first.Pos, first.Field, "check "+c.Code+" reads "+andList(read)+
		"; a request carries no order document, so the check cannot run on one")
}

// andList joins words as "a, b and c".
func andList(words []string) string {
	n := len(words)
	if n <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:n-1], ", ") + " and " + words[n-1]
}

// checkFailed is the violation for check c (nil: the checks as a whole)
// that could not be evaluated: at the path where c reports, naming it.
func checkFailed(c *rules.Check, err error) validate.Violation {
	why := err.Error()
	var pe *rules.Error
	if errors.As(err, &pe) {
		// A violation is one line: the place in the pack says enough
		// without the snippet under it.
		why = pe.Pos.String() + ": " + pe.Msg
		if pe.Field != "" {
			why = pe.Pos.String() + ": " + pe.Field + ": " + pe.Msg
		}
	}
	v := validate.Violation{Code: "check_failed", Severity: validate.Error,
		MessageRU: "проверка пакета правил не выполнилась: " + why,
		MessageEN: "a check of the rule pack failed to run: " + why}
	if c != nil {
		v.Path = c.Path
		v.MessageRU = "проверка " + c.Code + " пакета правил " +
			"не выполнилась: " + why
		v.MessageEN = "check " + c.Code + " of the rule pack failed to run: " + why
	}
	return v
}

// emailLike and phoneLike find a buyer's contact in a check's own text,
// in whatever form the order wrote it: the receipt's client holds the
// normalised form, a message may quote the order's ("+7 (916) 123-45-67").
var (
	emailLike = regexp.MustCompile(`[^\s"'<>(),;:]+@[^\s"'<>(),;:]+`)
	phoneLike = regexp.MustCompile(`\+?\d[\d \-().]{8,}\d`)
)

// hideBuyer masks, in what the checks report, the buyer's details that the
// receipt carries and any text shaped like an e-mail or a phone number (ten
// digits or more, which also hides an INN a message quotes). A pack's
// message is the pack author's text, and the author may well have quoted
// the customer; the listing must not show it.
func hideBuyer(vs []validate.Violation, cl *model.Client) {
	if len(vs) == 0 {
		return
	}
	var known []string
	if cl != nil {
		for _, s := range []string{cl.Email, cl.Phone, cl.Name, cl.INN, cl.Address,
			cl.DocumentData} {
			if len(s) > 1 && s != "none" {
				known = append(known, s)
			}
		}
	}
	hide := func(s string) string {
		for _, k := range known {
			s = strings.ReplaceAll(s, k, validate.Mask(k))
		}
		s = emailLike.ReplaceAllStringFunc(s, validate.Mask)
		return phoneLike.ReplaceAllStringFunc(s, func(p string) string {
			digits := 0
			for _, r := range p {
				if r >= '0' && r <= '9' {
					digits++
				}
			}
			if digits < 10 {
				return p
			}
			return validate.Mask(p)
		})
	}
	for i := range vs {
		v := &vs[i]
		v.MessageRU, v.MessageEN = hide(v.MessageRU), hide(v.MessageEN)
		v.Expected, v.Actual = hide(v.Expected), hide(v.Actual)
	}
}
