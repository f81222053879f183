package validate

import (
	"errors"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
)

// Check is an extra rule, such as an organisation's business check. It
// reports in the same shape as the built-in rules.
type Check interface {
	Check(op model.Operation, req *model.Request) []Violation
}

// CheckFunc adapts a function to [Check].
type CheckFunc func(op model.Operation, req *model.Request) []Violation

// Check calls f.
func (f CheckFunc) Check(op model.Operation, req *model.Request) []Violation {
	return f(op, req)
}

// Option configures a [Validator].
type Option func(*Validator)

// Disable turns the rules with these codes off.
func Disable(codes ...string) Option {
	return func(v *Validator) {
		for _, c := range codes {
			v.disabled[c] = true
		}
	}
}

// WithSeverity reports the rule code with severity s, for example to
// downgrade a rule to a warning.
func WithSeverity(code string, s Severity) Option {
	return func(v *Validator) { v.severity[code] = s }
}

// WithCheck adds extra rules that run after the built-in ones.
func WithCheck(c ...Check) Option {
	return func(v *Validator) { v.checks = append(v.checks, c...) }
}

// WithDecodeOptions sets how [Validator.JSON] reads its input; the default
// is strict, as the service is.
func WithDecodeOptions(o model.DecodeOptions) Option {
	return func(v *Validator) { v.decode = o }
}

// Validator checks requests. It is immutable after [New] and safe for
// concurrent use.
type Validator struct {
	disabled map[string]bool
	severity map[string]Severity
	checks   []Check
	decode   model.DecodeOptions
}

// New returns a validator with every rule of the catalogue on, at its default
// severity, changed by opts.
func New(opts ...Option) *Validator {
	v := &Validator{disabled: map[string]bool{}, severity: map[string]Severity{}}
	for _, o := range opts {
		o(v)
	}
	return v
}

var std = New()

// Request checks req with the default validator. See [Validator.Request].
func Request(op model.Operation, req *model.Request) Result { return std.Request(op, req) }

// JSON decodes and checks data with the default validator. See
// [Validator.JSON].
func JSON(data []byte, op model.Operation) (*model.Document, Result) { return std.JSON(data, op) }

// Request checks req as a document of operation op. When op is "" the
// rules that depend on the operation are skipped.
func (v *Validator) Request(op model.Operation, req *model.Request) Result {
	c := &checker{op: op, req: req}
	c.run()
	return v.finish(c.out, op, req)
}

// JSON decodes a bare request or a {"operation","request"} document and
// checks it. Decoding problems come out as violations with the same paths;
// when the JSON is malformed no further rule runs. A document's own
// operation wins; a bare request is checked as op, or when op is "" as sell
// (sell_correction for a correction).
//
// The decoder lists at most its first 1000 problems. When it found more, a
// violation [CodeProblemsOmitted] at the root, placed last, says how many
// were left out, so that a listing never looks complete when it is not.
func (v *Validator) JSON(data []byte, op model.Operation) (*model.Document, Result) {
	opts := v.decode
	var empties []string
	opts.Empties = &empties
	doc, err := model.DecodeDocument(data, opts)
	var out []Violation
	var omitted *Violation
	if err != nil {
		var de *model.DecodeError
		if !errors.As(err, &de) {
			out = append(out, newViolation2(model.CodeSyntax, "", "", "",
				[]any{syntaxRU(err.Error())}, []any{err.Error()}))
			return doc, v.finish(out, "", nil)
		}
		if de.Omitted > 0 {
			vi := newViolation(CodeProblemsOmitted, "", "", "", de.Omitted, len(de.Errors))
			omitted = &vi
		}
		for _, fe := range de.Errors {
			out = append(out, DecodeViolation(fe))
			if fe.Code == model.CodeSyntax || fe.Code == model.CodeTooDeep {
				return doc, v.last(v.finish(appendPtr(out, omitted), "", nil))
			}
		}
		out = appendPtr(out, omitted)
	}
	if doc.Operation == "" && op != "" {
		doc.Operation = op
	}
	if doc.Operation == "" {
		doc.Operation = model.Sell
		if doc.Request.Receipt == nil && doc.Request.Correction != nil {
			doc.Operation = model.SellCorrection
		}
	}
	out = append(out, emptyValues(empties)...)
	c := &checker{op: doc.Operation, req: doc.Request, decoded: out, fromJSON: true}
	c.run()
	return doc, v.last(v.finish(c.out, doc.Operation, doc.Request))
}

// CodeEmptyValue is the code of an optional key given an empty string or
// array where the schema's pattern, minimum length or item count rejects
// it. The model reads such a key as absent, so only the JSON input shows
// it.
const CodeEmptyValue = "empty_value"

// emptyRejected lists the optional keys (by last path element) whose empty
// value the official schema rejects: a pattern, a minimum length or count,
// an enumeration, or the oneOf of mark_code. Empty values elsewhere pass
// the schema and are not reported.
var emptyRejected = map[string]bool{"phone": true, "inn": true, "cashier_inn": true,
	"country_code": true, "mark_processing_mode": true, "vats": true}

func emptyValues(paths []string) []Violation {
	var out []Violation
	for _, p := range paths {
		key := p[strings.LastIndexAny(p, ".]")+1:]
		if !emptyRejected[key] && !strings.Contains(p, ".mark_code.") {
			continue
		}
		actual := `""`
		if key == "vats" {
			actual = "[]"
		}
		out = append(out, newViolation(CodeEmptyValue, p, "absent or a value", actual))
	}
	return out
}

// CodeProblemsOmitted is the code of the violation that counts the
// decoding problems not listed; see [Validator.JSON].
const CodeProblemsOmitted = "problems_omitted"

func appendPtr(out []Violation, v *Violation) []Violation {
	if v == nil {
		return out
	}
	return append(out, *v)
}

// last moves the count of omitted problems to the end of the result,
// where a reader of a long listing looks for how it ends.
func (v *Validator) last(r Result) Result {
	for i, vi := range r.Violations {
		if vi.Code == CodeProblemsOmitted {
			r.Violations = append(append(r.Violations[:i:i], r.Violations[i+1:]...), vi)
			break
		}
	}
	return r
}

func (v *Validator) finish(out []Violation, op model.Operation, req *model.Request) Result {
	if req != nil {
		for _, c := range v.checks {
			out = append(out, c.Check(op, req)...)
		}
	}
	kept := out[:0]
	for _, vi := range out {
		if v.disabled[vi.Code] {
			continue
		}
		if s, ok := v.severity[vi.Code]; ok {
			vi.Severity = s
		}
		kept = append(kept, vi)
	}
	sortViolations(kept)
	return Result{Violations: kept}
}
