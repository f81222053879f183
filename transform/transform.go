package transform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/validate"
)

// Result is what one order document became: a request, a skip with its
// reason, or an error.
type Result struct {
	// Index counts documents across the input, from 0.
	Index int
	// ID names the document in messages: its external_id when a request was
	// built, else the pack's id expression, else "document N".
	ID string
	// Skipped is set, with Reason, when a skip rule matched.
	Skipped bool
	Reason  string
	// Document is the produced request with its operation.
	Document *model.Document
	// Violations are what the pack's checks reported about the document.
	Violations []validate.Violation
	// Err is set when the document could not be mapped: a reject rule
	// matched, or an expression failed on it. It is a [*DocumentError].
	Err error
}

// Check returns the result's check violations as a [validate.Check], so
// that a validator reports them with its own: pass it to
// [validate.WithCheck] when validating r.Document.
func (r Result) Check() validate.Check {
	return validate.CheckFunc(func(op model.Operation, req *model.Request) []validate.Violation {
		if r.Document == nil || req != r.Document.Request {
			return nil
		}
		return r.Violations
	})
}

// DocumentError is a failure to map one document. It wraps the pack error
// (with its YAML position) or [ErrRejected].
type DocumentError struct {
	Index int
	ID    string
	Err   error
}

// Error names the document and gives the cause.
func (e *DocumentError) Error() string {
	return "transform: " + e.ID + ": " + e.Err.Error()
}

// Unwrap returns the cause: a [*rules.Error], or an error wrapping
// [ErrRejected].
func (e *DocumentError) Unwrap() error { return e.Err }

// ErrRejected is wrapped by the error of a document that a reject rule
// refused, with the rule's reason.
var ErrRejected = errors.New("refused")

// Limits bound what one input may cost. The zero value of a field means its
// default.
type Limits struct {
	// MaxDocument is the largest input document (one JSON value, one CSV
	// record, one XML document or element) in bytes; default 64 MiB.
	MaxDocument int64
	// MaxDepth is the deepest nesting of objects and lists; default 512.
	MaxDepth int
}

func (l Limits) withDefaults() Limits {
	if l.MaxDocument <= 0 {
		l.MaxDocument = 64 << 20
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = 512
	}
	return l
}

// Mapper applies one pack with fixed parameters. It is safe for concurrent
// use.
type Mapper struct {
	pack   *rules.Pack
	params map[string]any
	limits Limits
	runs   sync.Pool
}

// Option configures a [Mapper].
type Option func(*Mapper)

// WithLimits sets the bounds of an input.
func WithLimits(l Limits) Option { return func(m *Mapper) { m.limits = l.withDefaults() } }

// New returns a mapper for pack with the parameter overrides set (name →
// text, as from --set company.inn=...).
func New(pack *rules.Pack, set map[string]string, opts ...Option) (*Mapper, error) {
	params, err := pack.ParamValues(set)
	if err != nil {
		return nil, err
	}
	m := &Mapper{pack: pack, params: params, limits: Limits{}.withDefaults()}
	for _, o := range opts {
		o(m)
	}
	return m, nil
}

// Pack returns the mapper's pack.
func (m *Mapper) Pack() *rules.Pack { return m.pack }

// Map maps every order document in input. It returns a result per
// document; the error is an [*InputError] when the input cannot be read,
// else the first document's error, if any.
func (m *Mapper) Map(input []byte) ([]Result, error) {
	var out []Result
	var first error
	err := m.Each(bytes.NewReader(input), func(r Result) error {
		out = append(out, r)
		if r.Err != nil && first == nil {
			first = r.Err
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	return out, first
}

// Each maps the documents of r one at a time, calling fn with each result
// (a failed document included, with Err set) and keeping nothing between
// documents, so that a long JSON Lines, JSON list, CSV or XML input is
// mapped in memory bounded by its largest document. It stops at an input
// that cannot be read ([*InputError]) or an error from fn.
func (m *Mapper) Each(r io.Reader, fn func(Result) error) error {
	run := m.newRun()
	defer m.runs.Put(run)
	p := m.pack
	switch p.Input.Format {
	case "csv":
		return run.csv(r, fn)
	case "xml":
		x := newXMLReader(r, p.Input, m.limits)
		return run.values(x.next, fn)
	}
	j := newJSONReader(r, p.Input.Documents == nil, m.limits)
	defer j.release()
	return run.values(j.next, fn)
}

// run is the state of one Each: a machine and an environment reused from
// document to document.
type run struct {
	m     *Mapper
	mach  *rules.Machine
	env   rules.Env
	index int
}

// newRun returns a run from the mapper's pool (a machine and an
// environment are worth keeping between calls), reset.
func (m *Mapper) newRun() *run {
	if r, ok := m.runs.Get().(*run); ok {
		clear(r.env)
		r.env[rules.NameParams] = m.params
		r.index = 0
		return r
	}
	return &run{m: m, mach: m.pack.Machine(), env: rules.Env{rules.NameParams: m.params}}
}

// values maps the documents of each input value from next.
func (r *run) values(next func() (any, error), fn func(Result) error) error {
	p := r.m.pack
	seen := false
	for {
		input, err := next()
		if err == io.EOF {
			if !seen {
				return &InputError{Msg: "the input is empty"}
			}
			return nil
		}
		if err != nil {
			return err
		}
		seen = true
		docs := []any{input}
		if p.Input.Documents != nil {
			if docs, err = r.documents(input); err != nil {
				return err
			}
		}
		for _, doc := range docs {
			if err := fn(r.one(input, doc)); err != nil {
				return err
			}
		}
	}
}

func (r *run) documents(input any) ([]any, error) {
	d := r.m.pack.Input.Documents
	clear(r.env)
	r.env[rules.NameParams] = r.m.params
	r.env[rules.NameInput] = input
	v, err := d.Eval(r.mach, r.env)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case []any:
		return x, nil
	case nil:
		return nil, d.Errorf("found no documents in the input (the expression gives null)")
	}
	return nil, d.Errorf("want a list of documents, got %T", v)
}

// csv maps CSV rows: each row a document, or with input.group each run of
// consecutive rows with the same key.
func (r *run) csv(in io.Reader, fn func(Result) error) error {
	p := r.m.pack
	cr, err := newCSVReader(in, p.Input, r.m.limits)
	if err != nil {
		return err
	}
	var key string
	var rows []any
	flush := func() error {
		if rows == nil {
			return nil
		}
		doc := map[string]any{"key": key, "rows": rows}
		rows = nil
		return fn(r.one(doc, doc))
	}
	for {
		row, err := cr.next()
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return err
		}
		if p.Input.Group == nil {
			if err := fn(r.one(row, row)); err != nil {
				return err
			}
			continue
		}
		clear(r.env)
		r.env[rules.NameParams] = r.m.params
		r.env[rules.NameDoc] = row
		k, err := p.Input.Group.Eval(r.mach, r.env)
		if err != nil {
			return &DocumentError{Index: r.index, ID: "row " + strconv.Itoa(cr.row), Err: err}
		}
		ks, _ := k.(string)
		if rows != nil && ks != key {
			if err := flush(); err != nil {
				return err
			}
		}
		key = ks
		rows = append(rows, row)
	}
}

// one maps one document.
func (r *run) one(input, doc any) Result {
	p := r.m.pack
	index := r.index
	r.index++
	res := Result{Index: index, ID: "document " + strconv.Itoa(index+1)}
	env := r.env
	clear(env)
	env[rules.NameParams] = r.m.params
	env[rules.NameInput] = input
	env[rules.NameDoc] = doc
	env[rules.NameNumber] = index + 1
	fail := func(err error) Result {
		res.Err = &DocumentError{Index: index, ID: res.ID, Err: err}
		return res
	}
	for _, l := range p.Let {
		v, err := l.Expr.Eval(r.mach, env)
		if err != nil {
			return fail(err)
		}
		env[l.Name] = v
	}
	if p.ID != nil {
		id, err := p.ID.Eval(r.mach, env)
		if err != nil {
			return fail(err)
		}
		if s, _ := id.(string); s != "" {
			res.ID = s
		}
	}
	// A skipped document is not a receipt at all, so skip rules come
	// before the reasons a receipt cannot be made.
	for _, rule := range p.Skip {
		hit, reason, err := r.rule(rule)
		if err != nil {
			return fail(err)
		}
		if hit {
			res.Skipped, res.Reason = true, reason
			return res
		}
	}
	for _, rule := range p.Reject {
		hit, reason, err := r.rule(rule)
		if err != nil {
			return fail(err)
		}
		if hit {
			return fail(fmt.Errorf("%w: %s", ErrRejected, reason))
		}
	}
	b := &builder{run: r}
	doc2, err := b.request()
	if err != nil {
		return fail(err)
	}
	res.Document = doc2
	if id := doc2.Request.ExternalID; id != "" {
		res.ID = id
	}
	if res.Violations, err = r.checks(doc2, true); err != nil {
		return fail(err)
	}
	return res
}

func (r *run) rule(rule rules.Rule) (bool, string, error) {
	v, err := rule.When.Eval(r.mach, r.env)
	if err != nil || v != true {
		return false, "", err
	}
	reason, err := rule.Reason.Eval(r.mach, r.env)
	if err != nil {
		return false, "", err
	}
	s, _ := reason.(string)
	return true, s, nil
}
