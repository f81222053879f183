package transform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/validate"
)

// Result is what one order document became: a request, a skip with its
// reason, or an error.
type Result struct {
	// Index counts documents across the input, from 0; a malformed line or
	// row that was stepped over counts as one.
	Index int
	// Line is the input line where the document begins (for CSV, its first
	// row), or 0 where the format does not say (XML). Documents picked
	// out of one JSON value by input.documents share its line.
	Line int
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
	// Parts is set when the mapping split an order line in two receipt
	// lines (so that price × quantity makes the line's sum, after a
	// discount or alone): for each item of the receipt, in order, the
	// number (from 0) of the line of the pack's items it was made from.
	// Items with the same number are parts of one line, and share its
	// name and other text: a violation about that text is reported for
	// each. Parts is nil when no line was split.
	Parts []int
	// Err is set when the document could not be mapped: a reject rule
	// matched, an expression failed on it, or its external_id was already
	// produced; it is then a [*DocumentError]. For a malformed line of JSON
	// Lines or row of CSV that was stepped over it is an [*InputError].
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

// Error names the document and gives the cause. Control characters and
// bytes that are not UTF-8 in the name (which comes from the document) are
// escaped.
func (e *DocumentError) Error() string {
	return "transform: " + printable(e.ID) + ": " + e.Err.Error()
}

// Unwrap returns the cause: a [*rules.Error], or an error wrapping
// [ErrRejected].
func (e *DocumentError) Unwrap() error { return e.Err }

// ErrRejected is wrapped by the error of a document that a reject rule
// refused, with the rule's reason.
var ErrRejected = errors.New("refused")

// ErrDuplicateID is wrapped by the error of a document whose external_id
// an earlier document of the same input already produced.
var ErrDuplicateID = errors.New("duplicate external_id")

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
// document; the error is an [*InputError] when the input cannot be read or
// a part of it was malformed, else the first document's error, if any.
func (m *Mapper) Map(input []byte) ([]Result, error) {
	var out []Result
	var first, bad error
	err := m.Each(bytes.NewReader(input), func(r Result) error {
		out = append(out, r)
		var ie *InputError
		if errors.As(r.Err, &ie) && bad == nil {
			bad = r.Err
		}
		if r.Err != nil && first == nil {
			first = r.Err
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	if bad != nil {
		return out, bad
	}
	return out, first
}

// Each maps the documents of r one at a time, calling fn with each result
// (a failed document included, with Err set), so that a long JSON Lines,
// JSON list, CSV or XML input is mapped in memory bounded by its largest
// document; what is kept from one document to the next is the set of
// external_ids produced, so that a second receipt with one of them is
// refused.
//
// A malformed line of JSON Lines (or of values written one after another)
// and a malformed CSV row are reported as a result whose Err is an
// [*InputError], and mapping goes on with the next line or row. Each stops
// at input that cannot be read past (a malformed single JSON document, JSON
// list or XML file, a missing CSV header or column: an [*InputError]), an
// I/O error, or an error from fn.
func (m *Mapper) Each(r io.Reader, fn func(Result) error) error {
	run := m.newRun()
	defer func() {
		run.produced, run.line = nil, nil // not kept in the pool: it can be large
		m.runs.Put(run)
	}()
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
	run.line = func() int { return j.valueLine }
	return run.values(j.next, fn)
}

// run is the state of one Each: a machine and an environment reused from
// document to document, and the external_ids produced so far.
type run struct {
	m     *Mapper
	mach  *rules.Machine
	env   rules.Env
	index int
	// line gives the input line of the value last read, when the reader
	// knows it.
	line func() int
	// produced maps each external_id produced to where its document was.
	produced map[string]docPlace
	// checkFailed, when set, turns a check that cannot be evaluated into a
	// violation instead of an error of the document.
	checkFailed func(*rules.Check, error) validate.Violation
}

// docPlace is where a document was in the input, for naming it in
// messages. It is kept for every receipt of an input, so it is small.
type docPlace struct{ index, line int32 }

func (d docPlace) String() string {
	s := "document " + strconv.Itoa(int(d.index)+1)
	if d.line > 0 {
		s += " (input line " + strconv.Itoa(int(d.line)) + ")"
	}
	return s
}

// newRun returns a run from the mapper's pool (a machine and an
// environment are worth keeping between calls), reset.
func (m *Mapper) newRun() *run {
	if r, ok := m.runs.Get().(*run); ok {
		clear(r.env)
		r.env[rules.NameParams] = m.params
		r.index = 0
		r.line = nil
		r.produced = map[string]docPlace{}
		return r
	}
	return &run{m: m, mach: m.pack.Machine(), env: rules.Env{rules.NameParams: m.params},
		produced: map[string]docPlace{}}
}

// where returns the input line of the document being read, or 0.
func (r *run) where() int {
	if r.line == nil {
		return 0
	}
	return r.line()
}

// malformed reports a part of the input that the reader stepped over as
// the result of one document, and says whether err was one.
func (r *run) malformed(err error, fn func(Result) error) (bool, error) {
	if err == nil {
		return false, nil // before so, which errors.As makes escape
	}
	var so *steppedOver
	if !errors.As(err, &so) {
		return false, nil
	}
	so.err.Document = r.index + 1
	res := Result{Index: r.index, Line: so.err.Line, Err: so.err,
		ID: "input line " + strconv.Itoa(so.err.Line)}
	r.index++
	return true, fn(res)
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
		if ok, ferr := r.malformed(err, fn); ok {
			if ferr != nil {
				return ferr
			}
			seen = true
			continue
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
		line := r.where()
		for _, doc := range docs {
			if err := fn(r.one(input, doc, line)); err != nil {
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
	var line int
	flush := func() error {
		if rows == nil {
			return nil
		}
		doc := map[string]any{"key": key, "rows": rows}
		rows = nil
		return fn(r.one(doc, doc, line))
	}
	for {
		row, err := cr.next()
		if err == io.EOF {
			return flush()
		}
		if _, ok := err.(*steppedOver); ok {
			// The rows of a group around a bad row still make their
			// receipt, which the bad row is not part of; so the group
			// is finished first and the bad row reported after it.
			if ferr := flush(); ferr != nil {
				return ferr
			}
			if _, ferr := r.malformed(err, fn); ferr != nil {
				return ferr
			}
			continue
		}
		if err != nil {
			return err
		}
		if p.Input.Group == nil {
			if err := fn(r.one(row, row, cr.rowLine)); err != nil {
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
		if rows == nil {
			line = cr.rowLine
		}
		key = ks
		rows = append(rows, row)
	}
}

// one maps one document, which begins on input line (0 when unknown).
func (r *run) one(input, doc any, line int) Result {
	p := r.m.pack
	index := r.index
	r.index++
	res := Result{Index: index, Line: line, ID: "document " + strconv.Itoa(index+1)}
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
	name := func() error {
		if p.ID == nil {
			return nil
		}
		id, err := p.ID.Eval(r.mach, env)
		if s, _ := id.(string); err == nil && s != "" {
			res.ID = strings.Clone(s) // see builder.set
		}
		return err
	}
	for _, l := range p.Let {
		v, err := l.Expr.Eval(r.mach, env)
		if err != nil {
			// The id usually reads the document alone, so it can still
			// name the document whose let failed.
			_ = name()
			return fail(err)
		}
		env[l.Name] = v
	}
	if err := name(); err != nil {
		return fail(err)
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
			return fail(fmt.Errorf("%w: %s", ErrRejected, printable(reason)))
		}
	}
	b := &builder{run: r}
	doc2, err := b.request()
	if err != nil {
		return fail(err)
	}
	if id := doc2.Request.ExternalID; id != "" {
		res.ID = id
		// Evotor takes a second request with a known external_id for a
		// retry of the first, so a second receipt under it would be lost
		// (or the first one's data sent twice).
		here := docPlace{int32(index), int32(line)}
		if first, dup := r.produced[id]; dup {
			return fail(fmt.Errorf("%w: %s has the external_id %q, which %s already has; "+
				"two receipts cannot share one", ErrDuplicateID, here, id, first))
		}
		r.produced[id] = here
	}
	res.Document = doc2
	res.Parts = b.parts
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
	return true, strings.Clone(s), nil // see builder.set
}
