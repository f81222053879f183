package transform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/shopspring/decimal"
)

// Result is what one order document became.
type Result struct {
	// Index counts documents across the input, from 0.
	Index int
	// ID names the document in messages: its external_id when there is
	// one, else "document N".
	ID string
	// Skipped is set, with Reason, when a skip rule matched.
	Skipped bool
	Reason  string
	// Document is the produced request with its operation.
	Document *model.Document
}

// Mapper applies one pack with fixed parameters. It is safe for concurrent
// use.
type Mapper struct {
	pack   *rules.Pack
	params map[string]any
}

// New returns a mapper for pack with the parameter overrides set (name →
// text, as from --set company.inn=...).
func New(pack *rules.Pack, set map[string]string) (*Mapper, error) {
	params, err := pack.ParamValues(set)
	if err != nil {
		return nil, err
	}
	return &Mapper{pack: pack, params: params}, nil
}

// Map maps every order document in input: one JSON document, or several
// (JSON Lines). It stops at the first document that cannot be mapped and
// returns the results before it with the error.
func (m *Mapper) Map(input []byte) ([]Result, error) {
	var out []Result
	err := m.Each(bytes.NewReader(input), func(r Result) error {
		out = append(out, r)
		return nil
	})
	return out, err
}

// Each maps the documents of r one input value at a time, calling fn for
// each result, so that a long JSON Lines stream is mapped in constant
// memory. An error from fn stops the run and is returned.
func (m *Mapper) Each(r io.Reader, fn func(Result) error) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	index := 0
	for value := 0; ; value++ {
		var input any
		err := dec.Decode(&input)
		if err == io.EOF {
			if value == 0 {
				return errors.New("transform: the input is empty")
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("transform: input value %d: %w", value+1, err)
		}
		docs, err := m.documents(input)
		if err != nil {
			return err
		}
		for _, doc := range docs {
			res, err := m.one(index, input, doc)
			index++
			if err != nil {
				return err
			}
			if err := fn(res); err != nil {
				return err
			}
		}
	}
}

func (m *Mapper) documents(input any) ([]any, error) {
	p := m.pack
	if p.Documents == nil {
		return []any{input}, nil
	}
	env := m.env(input, nil)
	v, err := p.Documents.Eval(p, "input.documents", env)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case []any:
		return x, nil
	case nil:
		return nil, p.ErrorAt(p.Documents.Pos, "input.documents",
			"found no documents in the input")
	case map[string]any:
		return []any{x}, nil
	}
	return nil, p.ErrorAt(p.Documents.Pos, "input.documents",
		fmt.Sprintf("want a list of documents, got %T", v))
}

func (m *Mapper) env(input, doc any) *rules.Env {
	return &rules.Env{Input: input, Doc: doc, Params: m.params}
}

// DocumentError is a failure to map one document. It wraps the pack error
// (with its YAML position) or the decoding error of the produced request.
type DocumentError struct {
	Index int
	ID    string
	Err   error
}

func (e *DocumentError) Error() string {
	return "transform: " + e.ID + ": " + e.Err.Error()
}

func (e *DocumentError) Unwrap() error { return e.Err }

func (m *Mapper) one(index int, input, doc any) (Result, error) {
	p := m.pack
	res := Result{Index: index, ID: "document " + strconv.Itoa(index+1)}
	env := m.env(input, doc)
	fail := func(err error) (Result, error) {
		return res, &DocumentError{Index: index, ID: res.ID, Err: err}
	}
	for _, s := range p.Skip {
		v, err := s.When.Eval(p, "skip.when", env)
		if err != nil {
			return fail(err)
		}
		if v == true {
			res.Skipped = true
			res.Reason = "skip rule matched"
			if s.Reason != nil {
				r, err := s.Reason.Eval(p, "skip.reason", env)
				if err != nil {
					return fail(err)
				}
				res.Reason, _ = r.(string)
			}
			return res, nil
		}
	}
	opv, err := p.Operation.Eval(p, "operation", env)
	if err != nil {
		return fail(err)
	}
	op := model.Operation(fmt.Sprint(opv))
	if !op.Valid() {
		return fail(p.ErrorAt(p.Operation.Pos, "operation",
			fmt.Sprintf("operation %q is not one of the eight v5 operations", op)))
	}
	b := builder{pack: p, env: env, where: map[string]rules.Pos{}}
	tree, err := b.node(p.Request, "")
	if err != nil {
		return fail(err)
	}
	if id, ok := lookupString(tree, "external_id"); ok && id != "" {
		res.ID = id
	}
	data, err := json.Marshal(tree)
	if err != nil {
		return fail(err)
	}
	var req model.Request
	if err := model.Decode(data, &req, model.DecodeOptions{}); err != nil {
		return fail(b.locate(err))
	}
	res.Document = &model.Document{Operation: op, Request: &req}
	return res, nil
}

func lookupString(tree any, key string) (string, bool) {
	m, ok := tree.(map[string]any)
	if !ok {
		return "", false
	}
	s, ok := m[key].(string)
	return s, ok
}

// builder evaluates a request template into a JSON tree.
type builder struct {
	pack *rules.Pack
	env  *rules.Env
	// where maps JSON paths of the produced request to the YAML position
	// of the template that produced them.
	where map[string]rules.Pos
	// haveTotal is set once the items are built and env.Total holds their
	// sum.
	haveTotal bool
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (b *builder) node(n *rules.Node, path string) (any, error) {
	b.where[path] = n.Pos
	switch {
	case n.Expr != nil:
		if n.Expr.Src == "" {
			return nil, nil
		}
		b.where[path] = n.Expr.Pos
		v, err := n.Expr.Eval(b.pack, n.Path, b.env)
		if err != nil {
			return nil, err
		}
		return jsonValue(v)
	case n.Each != nil:
		return b.each(n, path)
	case n.List != nil:
		out := make([]any, 0, len(n.List))
		for i, e := range n.List {
			v, err := b.node(e, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case n.Fields != nil:
		return b.object(n, path)
	}
	return jsonValue(n.Literal)
}

// object evaluates the fields of an object. items goes first, so that the
// other fields can use items and total; a missing sum or total is derived.
func (b *builder) object(n *rules.Node, path string) (any, error) {
	out := map[string]any{}
	fields := n.Fields
	for _, f := range fields {
		if f.Key == "items" {
			v, err := b.node(f, join(path, f.Key))
			if err != nil {
				return nil, err
			}
			if v != nil {
				out["items"] = v
			}
			total, err := totalOf(v)
			if err == nil {
				b.env.Items, _ = v.([]any)
				b.env.Total = total
				b.haveTotal = true
			}
		}
	}
	for _, f := range fields {
		if f.Key == "items" {
			continue
		}
		v, err := b.node(f, join(path, f.Key))
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[f.Key] = v
		}
	}
	if _, hasItems := out["items"]; hasItems {
		if _, ok := out["total"]; !ok {
			if b.haveTotal {
				out["total"] = json.Number(model.NewMoney(b.env.Total).String())
			}
		}
	}
	return out, nil
}

func (b *builder) each(n *rules.Node, path string) (any, error) {
	src, err := n.Each.Eval(b.pack, n.Path+".each", b.env)
	if err != nil {
		return nil, err
	}
	list, ok := src.([]any)
	if !ok {
		if src == nil {
			return nil, b.pack.ErrorAt(n.Each.Pos, n.Path+".each", "the source list is missing")
		}
		return nil, b.pack.ErrorAt(n.Each.Pos, n.Path+".each",
			fmt.Sprintf("want a list, got %T", src))
	}
	out := make([]any, 0, len(list))
	saveLine, saveIndex := b.env.Line, b.env.Index
	defer func() { b.env.Line, b.env.Index = saveLine, saveIndex }()
	for i, line := range list {
		b.env.Line, b.env.Index = line, i
		p := path + "[" + strconv.Itoa(i) + "]"
		v, err := b.node(n.Elem, p)
		if err != nil {
			return nil, err
		}
		if m, ok := v.(map[string]any); ok && strings.HasSuffix(n.Path, ".items") {
			deriveSum(m)
		}
		out = append(out, v)
	}
	return out, nil
}

// deriveSum fills in sum = price × quantity rounded to kopecks when the
// template did not give one.
func deriveSum(item map[string]any) {
	if _, ok := item["sum"]; ok {
		return
	}
	price, ok1 := item["price"].(json.Number)
	qty, ok2 := item["quantity"].(json.Number)
	if !ok1 || !ok2 {
		return
	}
	pm, err1 := model.ParseMoney(string(price))
	q, err2 := model.ParseQuantity(string(qty))
	if err1 != nil || err2 != nil {
		return
	}
	item["sum"] = json.Number(compute.ItemSum(pm, q).String())
}

func totalOf(items any) (decimal.Decimal, error) {
	list, ok := items.([]any)
	if !ok {
		return decimal.Decimal{}, errors.New("no items")
	}
	t := decimal.Zero
	for _, it := range list {
		m, ok := it.(map[string]any)
		if !ok {
			return decimal.Decimal{}, errors.New("item is not an object")
		}
		s, ok := m["sum"].(json.Number)
		if !ok {
			return decimal.Decimal{}, errors.New("item has no sum")
		}
		d, err := model.ParseMoney(string(s))
		if err != nil {
			return decimal.Decimal{}, err
		}
		t = t.Add(d.Decimal())
	}
	return t, nil
}

// jsonValue converts an expression result into a value encoding/json
// writes exactly: decimals become json.Number, never float64.
func jsonValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, int, int64, json.Number:
		return x, nil
	case decimal.Decimal:
		return json.Number(model.NewMoney(x).String()), nil
	case model.Money:
		return json.Number(x.String()), nil
	case model.Quantity:
		return json.Number(x.String()), nil
	case float64:
		return nil, fmt.Errorf("a float (%v) reached the receipt; use dec() so money stays exact", x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot put a %T into the receipt", v)
}

// locate turns the decoding error of a produced request into pack errors
// at the YAML positions of the templates that produced each bad value.
func (b *builder) locate(err error) error {
	var de *model.DecodeError
	if !errors.As(err, &de) {
		return err
	}
	var list rules.ErrorList
	for _, fe := range de.Errors {
		pos, ok := b.posOf(fe.Path)
		msg := fe.Message
		if !ok {
			pos = b.pack.Request.Pos
		}
		list = append(list, b.pack.ErrorAt(pos, fe.Path, msg))
	}
	return list
}

// posOf finds the template position for a path, walking up to the nearest
// parent that has one.
func (b *builder) posOf(path string) (rules.Pos, bool) {
	for p := path; ; {
		if pos, ok := b.where[p]; ok {
			return pos, true
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return rules.Pos{}, false
		}
		p = p[:i]
	}
}
