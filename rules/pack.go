package rules

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// Pack is a compiled rule pack. It is immutable and safe for concurrent use.
type Pack struct {
	Name        string
	Description string
	// File is the path or name the pack was loaded from.
	File string
	// Params are the declared parameters with their defaults, in file order.
	Params []Param
	// Format is the input format: json (one document, or JSON Lines).
	Format string
	// Documents finds the order documents in the input; nil means the
	// input itself is one document.
	Documents *Expr
	Skip      []Skip
	Operation *Expr
	// Request is the template of the v5 request.
	Request *Node
	src     []byte
}

// Param is one declared parameter.
type Param struct {
	Name    string
	Type    string // string, decimal, int or bool
	Doc     string
	Default any
	Pos     Pos
}

// Skip says when a document must not become a receipt, and why.
type Skip struct {
	When   *Expr
	Reason *Expr
}

// Node is one field of the request template: a leaf expression or literal,
// an object, a list of element templates, or an iteration (items).
type Node struct {
	// Key is the JSON key; Path is the dotted path from the request root
	// (receipt.items.price).
	Key, Path string
	Pos       Pos
	Expr      *Expr
	Literal   any
	Fields    []*Node
	List      []*Node
	// Each iterates a source list; Elem is the template of each element,
	// evaluated with line and index set.
	Each *Expr
	Elem *Node
	typ  reflect.Type
}

// Option configures [Load].
type Option func(*config)

type config struct {
	clock func() time.Time
}

// WithClock makes now() available to expressions, returning the documented
// timestamp of the clock's time. Without it now() does not exist, so that a
// pack gives the same output for the same input.
func WithClock(clock func() time.Time) Option { return func(c *config) { c.clock = clock } }

type compiler struct {
	file  string
	src   []byte
	funcs []expr.Option
	list  ErrorList
}

func (c *compiler) errorAt(p Pos, field, msg string) {
	c.list = append(c.list, &Error{Pos: p, Field: field, Msg: msg,
		Snippet: snippet(c.src, p.Line, p.Column)})
}

func (c *compiler) nodeError(n *yaml.Node, field, msg string) {
	c.errorAt(Pos{File: c.file, Line: n.Line, Column: n.Column}, field, msg)
}

// LoadFile reads and compiles the pack at path.
func LoadFile(path string, opts ...Option) (*Pack, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return Load(path, data, opts...)
}

// maxPackSize bounds a pack file; packs are small, and a huge one is a
// mistake or an attack.
const maxPackSize = 4 << 20

// Load compiles a pack from its YAML source. name is used in positions.
// Every problem is reported in one [ErrorList].
func Load(name string, data []byte, opts ...Option) (*Pack, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	c := &compiler{file: name, src: data, funcs: functions(cfg.clock)}
	if len(data) > maxPackSize {
		c.errorAt(Pos{File: name, Line: 1, Column: 1}, "", "pack larger than 4 MiB")
		return nil, c.list
	}
	var root yaml.Node
	if err := decodeYAML(data, &root); err != nil {
		c.list = append(c.list, yamlError(name, data, err))
		return nil, c.list
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 ||
		root.Content[0].Kind != yaml.MappingNode {
		c.errorAt(Pos{File: name, Line: 1, Column: 1}, "", "a pack is a YAML mapping")
		return nil, c.list
	}
	p := &Pack{File: name, Format: "json", src: data}
	c.pack(p, root.Content[0])
	if len(c.list) > 0 {
		slices.SortStableFunc(c.list, func(a, b *Error) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Column - b.Column
		})
		return nil, c.list
	}
	return p, nil
}

// decodeYAML parses one YAML document into a node tree, refusing alias
// expansion bombs: yaml.v3 already limits alias expansion, and packs have no
// use for aliases at all, so any alias is refused.
func decodeYAML(data []byte, root *yaml.Node) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(root); err != nil {
		return err
	}
	if a := findAlias(root, 0); a != nil {
		return &aliasError{line: a.Line, col: a.Column}
	}
	return nil
}

type aliasError struct{ line, col int }

func (e *aliasError) Error() string { return "YAML aliases are not allowed in packs" }

func findAlias(n *yaml.Node, depth int) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	if depth > 100 {
		return n
	}
	for _, ch := range n.Content {
		if a := findAlias(ch, depth+1); a != nil {
			return a
		}
	}
	return nil
}

// yamlError locates a YAML syntax error. yaml.v3 reports "yaml: line N: msg".
func yamlError(name string, data []byte, err error) *Error {
	var ae *aliasError
	if errors.As(err, &ae) {
		return &Error{Pos: Pos{File: name, Line: ae.line, Column: ae.col}, Msg: ae.Error(),
			Snippet: snippet(data, ae.line, ae.col), Err: err}
	}
	msg := err.Error()
	line := 1
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		if num, tail, ok := strings.Cut(rest, ":"); ok {
			if n, perr := strconv.Atoi(num); perr == nil {
				line = n
				msg = strings.TrimSpace(tail)
			}
		}
	}
	return &Error{Pos: Pos{File: name, Line: line, Column: 1}, Msg: "YAML: " + msg,
		Snippet: snippet(data, line, 1), Err: err}
}

var packKeys = []string{"name", "description", "params", "input", "skip", "operation",
	"request", "tests"}

func (c *compiler) pack(p *Pack, m *yaml.Node) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if seen[k.Value] {
			c.nodeError(k, k.Value, "key appears twice")
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "name":
			p.Name = c.str(v, "name")
		case "description":
			p.Description = c.str(v, "description")
		case "params":
			p.Params = c.params(v)
		case "input":
			c.input(p, v)
		case "skip":
			p.Skip = c.skips(v)
		case "operation":
			p.Operation = c.expr(v, "operation", reflect.TypeFor[string]())
		case "request":
			p.Request = c.node(v, "", "request", reflect.TypeFor[model.Request]())
		case "tests":
			// Pack tests are read by the test runner, not compiled here.
		default:
			c.nodeError(k, k.Value, "unknown key; a pack has "+strings.Join(packKeys, ", "))
		}
	}
	if p.Name == "" {
		c.nodeError(m, "name", "the pack has no name")
	}
	if p.Operation == nil {
		c.nodeError(m, "operation", "the pack has no operation (for example '\"sell\"')")
	}
	if p.Request == nil {
		c.nodeError(m, "request", "the pack has no request template")
	}
}

func (c *compiler) str(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode {
		c.nodeError(n, field, "want text")
		return ""
	}
	return n.Value
}

func (c *compiler) params(n *yaml.Node) []Param {
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "params", "want a mapping of parameter names")
		return nil
	}
	var ps []Param
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := Param{Name: k.Value, Type: "string", Pos: Pos{File: c.file, Line: k.Line,
			Column: k.Column}}
		field := "params." + k.Value
		if v.Kind != yaml.MappingNode {
			c.nodeError(v, field, "want a mapping with type, default and doc")
			continue
		}
		var def *yaml.Node
		for j := 0; j+1 < len(v.Content); j += 2 {
			pk, pv := v.Content[j], v.Content[j+1]
			switch pk.Value {
			case "type":
				p.Type = pv.Value
				if !slices.Contains([]string{"string", "decimal", "int", "bool"}, p.Type) {
					c.nodeError(pv, field, "type must be string, decimal, int or bool")
				}
			case "default":
				def = pv
			case "doc":
				p.Doc = pv.Value
			default:
				c.nodeError(pk, field, "unknown key; a parameter has type, default and doc")
			}
		}
		if def != nil {
			val, err := ParseParam(p.Type, def.Value)
			if err != nil {
				c.nodeError(def, field, err.Error())
			}
			p.Default = val
		}
		ps = append(ps, p)
	}
	return ps
}

// ParseParam converts the text of a parameter value to its declared type.
func ParseParam(typ, s string) (any, error) {
	switch typ {
	case "decimal":
		d, err := parseDec(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a decimal", s)
		}
		return d, nil
	case "int":
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", s)
		}
		return n, nil
	case "bool":
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", s)
		}
		return b, nil
	}
	return s, nil
}

func (c *compiler) input(p *Pack, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "input", "want a mapping with format and documents")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "format":
			p.Format = v.Value
			if p.Format != "json" {
				c.nodeError(v, "input.format", "format must be json")
			}
		case "documents":
			p.Documents = c.expr(v, "input.documents", nil)
		default:
			c.nodeError(k, "input", "unknown key; input has format and documents")
		}
	}
}

func (c *compiler) skips(n *yaml.Node) []Skip {
	if n.Kind != yaml.SequenceNode {
		c.nodeError(n, "skip", "want a list of {when, reason}")
		return nil
	}
	var out []Skip
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			c.nodeError(e, "skip", "want a mapping with when and reason")
			continue
		}
		var s Skip
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, v := e.Content[i], e.Content[i+1]
			switch k.Value {
			case "when":
				s.When = c.expr(v, "skip.when", reflect.TypeFor[bool]())
			case "reason":
				s.Reason = c.expr(v, "skip.reason", reflect.TypeFor[string]())
			default:
				c.nodeError(k, "skip", "unknown key; a skip rule has when and reason")
			}
		}
		if s.When == nil {
			c.nodeError(e, "skip", "a skip rule needs when")
			continue
		}
		out = append(out, s)
	}
	return out
}

// expr compiles a scalar node as an expression.
func (c *compiler) expr(n *yaml.Node, field string, want reflect.Type) *Expr {
	if n.Kind != yaml.ScalarNode {
		c.nodeError(n, field, "want an expression")
		return nil
	}
	e := &Expr{Src: n.Value, Pos: scalarStart(c.file, n, c.src), node: n}
	c.compile(e, field, want)
	return e
}

// node compiles the template of one request field of Go type t.
func (c *compiler) node(n *yaml.Node, key, path string, t reflect.Type) *Node {
	out := &Node{Key: key, Path: path, Pos: Pos{File: c.file, Line: n.Line, Column: n.Column},
		typ: t}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!str" || n.Style != 0 {
			out.Expr = c.expr(n, path, t)
			return out
		}
		lit, err := literal(n, t)
		if err != nil {
			c.nodeError(n, path, err.Error())
		}
		out.Literal = lit
		return out
	case yaml.MappingNode:
		if t.Kind() == reflect.Slice {
			return c.each(n, out, path, t)
		}
		if t.Kind() != reflect.Struct || isNumberType(t) || isTextType(t) {
			c.nodeError(n, path, "this field is a single value, not an object")
			return out
		}
		fields := jsonFields(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				c.nodeError(k, path+"."+k.Value, "the format has no field "+
					strconv.Quote(k.Value)+" here"+suggest(k.Value, fields))
				continue
			}
			if seen[k.Value] {
				c.nodeError(k, path+"."+k.Value, "key appears twice")
				continue
			}
			seen[k.Value] = true
			out.Fields = append(out.Fields, c.node(v, k.Value, path+"."+k.Value, ft))
		}
		return out
	case yaml.SequenceNode:
		if t.Kind() != reflect.Slice {
			c.nodeError(n, path, "this field is not a list")
			return out
		}
		for _, e := range n.Content {
			out.List = append(out.List, c.node(e, "", path, t.Elem()))
		}
		return out
	}
	c.nodeError(n, path, "unexpected YAML here")
	return out
}

// each compiles {each: EXPR, fields: {...}}, the iteration form of a list.
func (c *compiler) each(n *yaml.Node, out *Node, path string, t reflect.Type) *Node {
	var fields *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "each":
			out.Each = c.expr(v, path+".each", nil)
		case "fields":
			fields = v
		default:
			c.nodeError(k, path, "a list template has each and fields")
		}
	}
	if out.Each == nil || fields == nil {
		c.nodeError(n, path, "a list template needs each (the source list) and fields")
		return out
	}
	out.Elem = c.node(fields, "", path, t.Elem())
	return out
}

func literal(n *yaml.Node, t reflect.Type) (any, error) {
	switch {
	case n.Tag == "!!null":
		return nil, nil
	case isNumberType(t):
		d, err := decimal.NewFromString(n.Value)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", n.Value)
		}
		return d, nil
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		v, err := strconv.Atoi(n.Value)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", n.Value)
		}
		return v, nil
	case t.Kind() == reflect.Bool:
		v, err := strconv.ParseBool(n.Value)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", n.Value)
		}
		return v, nil
	}
	return nil, fmt.Errorf("write %q as a quoted expression (for text: '\"%s\"')", n.Value, n.Value)
}

var (
	moneyType     = reflect.TypeFor[model.Money]()
	quantityType  = reflect.TypeFor[model.Quantity]()
	timestampType = reflect.TypeFor[model.Timestamp]()
	dateType      = reflect.TypeFor[model.Date]()
)

func isNumberType(t reflect.Type) bool { return t == moneyType || t == quantityType }
func isTextType(t reflect.Type) bool   { return t == timestampType || t == dateType }

// jsonFields maps the JSON keys of struct type t to their field types,
// following embedded structs as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			for k, v := range jsonFields(f.Type) {
				m[k] = v
			}
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = f.Type
	}
	return m
}

// suggest names the closest known key, for typos.
func suggest(key string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for k := range fields {
		if d := distance(key, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + strconv.Quote(best) + "?"
}

func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Eval runs the expression with env. A run-time failure is an [*Error] at
// the expression's place in the YAML, naming field.
func (e *Expr) Eval(p *Pack, field string, env *Env) (any, error) {
	out, err := vm.Run(e.prog, *env)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			c := &compiler{file: p.File, src: p.src}
			return nil, c.positioned(e, field, fe)
		}
		return nil, &Error{Pos: e.Pos, Field: field, Msg: err.Error(),
			Snippet: snippet(p.src, e.Pos.Line, e.Pos.Column), Err: err}
	}
	return out, nil
}

// ErrorAt returns a pack error at pos, for problems found while running.
func (p *Pack) ErrorAt(pos Pos, field, msg string) *Error {
	return &Error{Pos: pos, Field: field, Msg: msg, Snippet: snippet(p.src, pos.Line, pos.Column)}
}

// ParamValues returns the parameters' defaults, overridden by set (name →
// text), as the nested map expressions see as params: a dotted name
// company.inn becomes params.company.inn. Unknown names and values that do
// not fit their type are errors.
func (p *Pack) ParamValues(set map[string]string) (map[string]any, error) {
	vals := map[string]any{}
	declared := map[string]Param{}
	for _, pr := range p.Params {
		declared[pr.Name] = pr
		vals[pr.Name] = pr.Default
	}
	names := make([]string, 0, len(set))
	for k := range set {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		pr, ok := declared[k]
		if !ok {
			return nil, fmt.Errorf("rules: pack %s has no parameter %q", p.Name, k)
		}
		v, err := ParseParam(pr.Type, set[k])
		if err != nil {
			return nil, fmt.Errorf("rules: parameter %s: %w", k, err)
		}
		vals[k] = v
	}
	root := map[string]any{}
	for name, v := range vals {
		parts := strings.Split(name, ".")
		m := root
		for _, part := range parts[:len(parts)-1] {
			next, ok := m[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[part] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = v
	}
	return root, nil
}

// Source returns the pack's YAML text.
func (p *Pack) Source() []byte { return p.src }

// Dir returns the directory of the pack file, for resolving test inputs.
func (p *Pack) Dir() string { return filepath.Dir(p.File) }
