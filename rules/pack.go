package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/expr-lang/expr"
	"gopkg.in/yaml.v3"
)

// Pack is a compiled rule pack. It is immutable and safe for concurrent
// use; evaluating its expressions needs a [Machine] per goroutine.
type Pack struct {
	Name        string
	Description string
	// File is the path or name the pack was loaded from.
	File string
	// Builtin is set for the packs embedded in the library.
	Builtin bool
	// Params are the declared parameters with their defaults, in file order.
	Params []Param
	Input  Input
	// ID names a document in messages and skip reports; nil means the
	// request's external_id, or "document N".
	ID *Expr
	// Let are the named values computed for each document, in order.
	Let []Let
	// Reject rules make a document an error; Skip rules leave it out.
	Reject, Skip []Rule
	Operation    *Expr
	// Request is the template of the v5 request, and Items its items list
	// (request.receipt.items or request.correction.items).
	Request, Items *Node
	// Discount is the order-level amount to spread over the discountable
	// lines; nil means none.
	Discount *Expr
	// Split says whether lines whose sum is not price × quantity are split
	// (the default) or reported as errors.
	Split  bool
	Checks []Check
	Tests  []Test

	source       *source
	memoryBudget uint
	budget       Budget
}

// Param is one declared parameter.
type Param struct {
	Name    string
	Type    string // string, decimal, int or bool
	Doc     string
	Default any // a value of Type; its zero value when the pack gives none
	Pos     Pos
}

// Input says how to read the input and find the order documents in it.
type Input struct {
	// Format is json (one value, a list of documents, or JSON Lines), csv or
	// xml.
	Format string
	// Documents picks the documents out of each input value (json, xml);
	// nil means the value is one document, or for a list each element is.
	Documents *Expr
	// Group (csv) gives the key that joins consecutive rows into one
	// document {"key": key, "rows": [...]}; nil makes every row a document.
	Group *Expr
	// Delimiter separates CSV fields; Encoding is utf-8 or windows-1251 for
	// CSV and XML (an XML declaration may also name it).
	Delimiter rune
	Encoding  string
	// Element (xml) makes every element of that name, at any depth, one
	// document, read one at a time.
	Element string
	// Columns (csv) are the columns the pack reads. A header cell that
	// matches one of a column's names, whatever its case and spacing, is
	// keyed by the column's first name; a file without a required column
	// is refused.
	Columns []Column
}

// Column is a CSV column a pack reads. Names[0] is the name rows are keyed
// by; the others are spellings other exports use.
type Column struct {
	Names    []string
	Required bool
}

// Let is one named value of a document.
type Let struct {
	Name string
	Expr *Expr
}

// Rule is a skip or reject rule: when When is true, the document is left
// out (or refused) for Reason.
type Rule struct {
	When, Reason *Expr
}

// Check is an organisation check: when Assert is false (and When, if set,
// is true) it reports a violation with Code, Severity, Path and Message.
type Check struct {
	Code     string
	Severity string // error or warning
	Path     string
	Pos      Pos
	When     *Expr
	Assert   *Expr
	Message  *Expr
	// Expected and Actual, when set, give the values the violation shows.
	Expected, Actual *Expr
	// Source is set when the check reads the order document (doc, input,
	// number or a let name), so it can run only while mapping.
	Source bool
}

// Option configures [Load].
type Option func(*config)

type config struct {
	clock        func() time.Time
	maxNodes     uint
	memoryBudget uint
	budget       Budget
}

// WithClock makes now() available to expressions, returning the documented
// timestamp of the clock's time. Without it now() does not exist, so that a
// pack gives the same output for the same input.
func WithClock(clock func() time.Time) Option { return func(c *config) { c.clock = clock } }

// WithLimits bounds every expression to maxNodes syntax nodes when it is
// compiled, and every evaluation to memoryBudget units of expr's memory
// accounting (elements allocated by map, filter, ranges and the like).
// Zero keeps the defaults, 1000 nodes and 1 000 000 units. All the
// evaluations of one document together are bounded by [WithBudget].
func WithLimits(maxNodes, memoryBudget uint) Option {
	return func(c *config) {
		if maxNodes > 0 {
			c.maxNodes = maxNodes
		}
		if memoryBudget > 0 {
			c.memoryBudget = memoryBudget
		}
	}
}

type compiler struct {
	file     string
	src      []byte
	source   *source
	fns      []fn
	opts     []expr.Option
	maxNodes uint
	// disabled are the expr builtins switched off, with the reason.
	disabled map[string]string
	// byName indexes fns.
	byName map[string]fn
	list   ErrorList
	sc     *scopes
}

// disabledBuiltins says why each builtin that is switched off is. expr
// still type-checks a call to a disabled builtin and only fails when the
// call runs ("cannot call nil"), so the compiler refuses the names itself.
func disabledBuiltins(clock func() time.Time) map[string]string {
	m := map[string]string{
		"date": "date() is switched off: it reads the clock and the machine's time zone, " +
			"so the output would change with where and when the pack runs; read times " +
			"from the document with ts()",
		"fromJSON": "fromJSON() is switched off: it reads numbers as binary floats; use " +
			"parsejson(), which keeps them exact",
	}
	if clock == nil {
		m["now"] = "now() needs a clock: without one a pack gives the same output for " +
			"the same input whenever it runs; load the pack with rules.WithClock to allow now()"
	}
	return m
}

func (c *compiler) errorAt(p Pos, field, msg string) {
	c.list = append(c.list, &Error{Pos: p, Field: field, Msg: msg,
		Snippet: snippet(c.src, p.Line, p.Column)})
}

func (c *compiler) posOf(n *yaml.Node) Pos {
	return Pos{File: c.file, Line: n.Line, Column: n.Column}
}

func (c *compiler) nodeError(n *yaml.Node, field, msg string) {
	c.errorAt(c.posOf(n), field, msg)
}

// LoadFile reads and compiles the pack at path, reading at most one byte
// more than a pack may have: the path may be a device or a pipe that never
// ends (/dev/zero).
func LoadFile(path string, opts ...Option) (*Pack, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	defer f.Close()
	data, err := ReadPack(f)
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", path, err)
	}
	return Load(path, data, opts...)
}

// maxPackSize bounds a pack file; packs are small, and a huge one is a
// mistake or an attack.
const maxPackSize = 4 << 20

// ReadPack reads the text of a pack from r, at most one byte more than a
// pack may have, so that Load can say it is too large without r being read
// to its end. Read packs with it (or [LoadFile]) rather than io.ReadAll.
func ReadPack(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, maxPackSize+1))
}

// Load compiles a pack from its YAML source. name is used in positions.
// Every problem is reported in one [ErrorList], sorted by position.
func Load(name string, data []byte, opts ...Option) (*Pack, error) {
	cfg := config{maxNodes: 1000, memoryBudget: 1_000_000, budget: Budget{}.withDefaults()}
	for _, o := range opts {
		o(&cfg)
	}
	fns := library(cfg.clock)
	c := &compiler{file: name, src: data, source: &source{file: name, data: data}, fns: fns,
		opts: options(fns), maxNodes: cfg.maxNodes, disabled: disabledBuiltins(cfg.clock)}
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
	p := &Pack{File: name, Split: true, source: c.source, memoryBudget: cfg.memoryBudget,
		budget: cfg.budget}
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

// decodeYAML parses one YAML document into a node tree. Packs have no use
// for aliases, and alias expansion is the way to a YAML bomb, so any alias
// is refused; so is nesting deeper than maxYAMLDepth, which no pack needs
// and which the compiler would otherwise follow by recursion. A pack is one
// document: a second one (after ---) would otherwise be left unread
// without a word, its rules never applied.
func decodeYAML(data []byte, root *yaml.Node) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(root); err != nil {
		return err
	}
	if err := checkTree(root, 0); err != nil {
		return err
	}
	for {
		var next yaml.Node
		switch err := dec.Decode(&next); {
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		case emptyDocument(&next):
			continue // a --- at the end, or before a comment, leaves nothing out
		}
		// yaml.v3 puts a document at its --- marker.
		return &treeError{next.Line, next.Column, "a pack is one YAML document, and " +
			"another one starts here, which would be left unread; remove the --- (or " +
			"what follows it), or make the rest a pack file of its own"}
	}
}

// emptyDocument reports whether n holds nothing but a comment.
func emptyDocument(n *yaml.Node) bool {
	if len(n.Content) == 0 {
		return true
	}
	c := n.Content[0]
	return len(n.Content) == 1 && c.Kind == yaml.ScalarNode && c.Tag == "!!null" &&
		c.Value == "" && c.Style == 0
}

// maxYAMLDepth bounds the nesting of a pack's mappings and lists.
const maxYAMLDepth = 100

// treeError is an alias or a too deep node in a pack's YAML.
type treeError struct {
	line, col int
	msg       string
}

func (e *treeError) Error() string { return e.msg }

func checkTree(n *yaml.Node, depth int) error {
	if n.Kind == yaml.AliasNode {
		return &treeError{n.Line, n.Column, "YAML aliases are not allowed in packs"}
	}
	if depth > maxYAMLDepth {
		return &treeError{n.Line, n.Column, fmt.Sprintf("the YAML is nested deeper than %d",
			maxYAMLDepth)}
	}
	for _, ch := range n.Content {
		if err := checkTree(ch, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// yamlError locates a YAML syntax error. yaml.v3 reports "yaml: line N: msg".
func yamlError(name string, data []byte, err error) *Error {
	var te *treeError
	if errors.As(err, &te) {
		return &Error{Pos: Pos{File: name, Line: te.line, Column: te.col}, Msg: te.Error(),
			Snippet: snippet(data, te.line, te.col), Err: err}
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

var packKeys = []string{"name", "description", "params", "input", "id", "let", "reject",
	"skip", "operation", "request", "discount", "split", "checks", "tests"}

// pack compiles the top-level keys in the order their scopes need (params
// before any expression, let before what uses it), whatever their order in
// the file.
func (c *compiler) pack(p *Pack, m *yaml.Node) {
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch {
		case !slices.Contains(packKeys, k.Value):
			c.nodeError(k, k.Value, "unknown key; a pack has "+strings.Join(packKeys, ", ")+
				suggest(k.Value, packKeys))
		case keys[k.Value] != nil:
			c.nodeError(k, k.Value, "key appears twice")
		default:
			keys[k.Value] = v
		}
	}
	if v := keys["name"]; v != nil {
		p.Name = c.str(v, "name")
	} else {
		c.nodeError(m, "name", "the pack has no name")
	}
	if v := keys["description"]; v != nil {
		p.Description = c.str(v, "description")
	}
	p.Params = c.params(keys["params"])
	c.sc = newScopes(paramsType(p.Params))
	c.input(p, keys["input"])
	if v := keys["let"]; v != nil {
		p.Let = c.lets(v)
		c.sc.letsDone()
	}
	if v := keys["id"]; v != nil {
		p.ID = c.compile(v, "id", c.sc.doc, wantString)
	}
	if v := keys["reject"]; v != nil {
		p.Reject = c.rules(v, "reject")
	}
	if v := keys["skip"]; v != nil {
		p.Skip = c.rules(v, "skip")
	}
	if v := keys["operation"]; v != nil {
		p.Operation = c.compile(v, "operation", c.sc.doc, wantString)
	} else {
		c.nodeError(m, "operation", "the pack has no operation (for example '\"sell\"')")
	}
	if v := keys["request"]; v != nil {
		p.Request = c.node(p, v, "", "request", reflect.TypeFor[model.Request](), nil,
			tmplCtx{sc: c.sc.receipt})
		if p.Items == nil {
			c.nodeError(v, "request", "the request has no items (receipt.items)")
		}
	} else {
		c.nodeError(m, "request", "the pack has no request template")
	}
	if v := keys["discount"]; v != nil {
		c.discount(p, v)
	}
	if v := keys["split"]; v != nil {
		b, err := strconv.ParseBool(v.Value)
		if err != nil || v.Kind != yaml.ScalarNode {
			c.nodeError(v, "split", "split is true or false")
		}
		p.Split = b
	}
	if v := keys["checks"]; v != nil {
		p.Checks = c.checks(v)
	}
	if v := keys["tests"]; v != nil {
		p.Tests = c.tests(v)
	}
}

func (c *compiler) str(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode {
		c.nodeError(n, field, "want text")
		return ""
	}
	return n.Value
}

func (c *compiler) input(p *Pack, n *yaml.Node) {
	p.Input = Input{Format: "json", Delimiter: ',', Encoding: "utf-8"}
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "input", "want a mapping with format, documents, ...")
		return
	}
	keys := []string{"format", "documents", "group", "delimiter", "encoding", "element",
		"columns"}
	var docs, group, columns *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := "input." + k.Value
		switch k.Value {
		case "format":
			p.Input.Format = c.str(v, field)
			if !slices.Contains([]string{"json", "csv", "xml"}, p.Input.Format) {
				c.nodeError(v, field, "format is json, csv or xml")
			}
		case "documents":
			docs = v
		case "group":
			group = v
		case "delimiter":
			d := []rune(c.str(v, field))
			if len(d) != 1 || d[0] == '"' || d[0] == '\n' || d[0] == '\r' {
				c.nodeError(v, field, "the delimiter is one character (, ; | or a tab)")
			} else {
				p.Input.Delimiter = d[0]
			}
		case "encoding":
			p.Input.Encoding = strings.ToLower(c.str(v, field))
			if !slices.Contains([]string{"utf-8", "windows-1251"}, p.Input.Encoding) {
				c.nodeError(v, field, "encoding is utf-8 or windows-1251")
			}
		case "element":
			p.Input.Element = c.str(v, field)
		case "columns":
			columns = v
			p.Input.Columns = c.columns(v)
		default:
			c.nodeError(k, "input", "unknown key; input has "+strings.Join(keys, ", ")+
				suggest(k.Value, keys))
		}
	}
	f := p.Input.Format
	if docs != nil {
		if f == "csv" {
			c.nodeError(docs, "input.documents", "CSV rows are the documents; use group "+
				"to join rows")
		} else {
			p.Input.Documents = c.compile(docs, "input.documents", c.sc.input, wantList)
		}
	}
	if group != nil {
		if f != "csv" {
			c.nodeError(group, "input.group", "group is for csv input")
		} else {
			p.Input.Group = c.compile(group, "input.group", c.sc.row, wantString)
		}
	}
	if columns != nil && f != "csv" {
		c.nodeError(columns, "input.columns", "columns are for csv input")
	}
	if p.Input.Element != "" && f != "xml" {
		c.nodeError(n, "input.element", "element is for xml input")
	}
	if p.Input.Element != "" && docs != nil {
		c.nodeError(docs, "input.documents", "with element, each element is a document")
	}
}

// columns reads input.columns: {required: [...], optional: [...]}, each
// entry a column name or a list of the names one column goes by.
func (c *compiler) columns(n *yaml.Node) []Column {
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "input.columns", "want a mapping with required and optional")
		return nil
	}
	var out []Column
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := "input.columns." + k.Value
		if k.Value != "required" && k.Value != "optional" {
			c.nodeError(k, "input.columns", "unknown key; columns has required and optional"+
				suggest(k.Value, []string{"required", "optional"}))
			continue
		}
		if v.Kind != yaml.SequenceNode {
			c.nodeError(v, field, "want a list of column names")
			continue
		}
		for _, e := range v.Content {
			col := Column{Required: k.Value == "required"}
			names := []*yaml.Node{e}
			if e.Kind == yaml.SequenceNode {
				names = e.Content
			}
			for _, nm := range names {
				name := strings.TrimSpace(c.str(nm, field))
				switch {
				case name == "":
					c.nodeError(nm, field, "a column name is not empty")
				case seen[strings.ToLower(name)]:
					c.nodeError(nm, field, "the column "+strconv.Quote(name)+" is listed twice")
				default:
					seen[strings.ToLower(name)] = true
					col.Names = append(col.Names, name)
				}
			}
			if len(col.Names) > 0 {
				out = append(out, col)
			}
		}
	}
	return out
}

func (c *compiler) lets(n *yaml.Node) []Let {
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "let", "want a mapping of names to expressions")
		return nil
	}
	var out []Let
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := "let." + k.Value
		if why := nameTaken(k.Value, c.fns); why != "" {
			c.nodeError(k, field, why)
			continue
		}
		if seen[k.Value] {
			c.nodeError(k, field, "key appears twice")
			continue
		}
		seen[k.Value] = true
		e := c.compile(v, field, c.sc.doc, wantAny)
		var t reflect.Type
		if e.prog != nil {
			t = e.prog.Node().Type()
		}
		// Later expressions see the name with the type it was compiled
		// to; an earlier let cannot see a later one.
		c.sc.addLet(k.Value, typeOf(t))
		out = append(out, Let{Name: k.Value, Expr: e})
	}
	return out
}

func (c *compiler) rules(n *yaml.Node, field string) []Rule {
	if n.Kind != yaml.SequenceNode {
		c.nodeError(n, field, "want a list of {when, reason}")
		return nil
	}
	var out []Rule
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			c.nodeError(e, field, "want a mapping with when and reason")
			continue
		}
		var r Rule
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, v := e.Content[i], e.Content[i+1]
			switch k.Value {
			case "when":
				r.When = c.compile(v, field+".when", c.sc.doc, wantBool)
			case "reason":
				r.Reason = c.compile(v, field+".reason", c.sc.doc, wantString)
			default:
				c.nodeError(k, field, "unknown key; a rule has when and reason"+
					suggest(k.Value, []string{"when", "reason"}))
			}
		}
		if r.When == nil || r.Reason == nil {
			c.nodeError(e, field, "a rule needs when and reason")
			continue
		}
		out = append(out, r)
	}
	return out
}

func (c *compiler) discount(p *Pack, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "discount", "want a mapping with amount")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value != "amount" {
			c.nodeError(k, "discount", "unknown key; discount has amount")
			continue
		}
		p.Discount = c.compile(v, "discount.amount", c.sc.discount, wantNumber)
	}
	if p.Discount == nil {
		c.nodeError(n, "discount", "discount needs amount")
	}
}

var checkKeys = []string{"code", "when", "assert", "severity", "path", "message", "expected",
	"actual"}

func (c *compiler) checks(n *yaml.Node) []Check {
	if n.Kind != yaml.SequenceNode {
		c.nodeError(n, "checks", "want a list of checks")
		return nil
	}
	var out []Check
	codes := map[string]bool{}
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			c.nodeError(e, "checks", "want a mapping with code, assert and message")
			continue
		}
		ch := Check{Severity: "error", Pos: c.posOf(e)}
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, v := e.Content[i], e.Content[i+1]
			field := "checks." + k.Value
			sc := c.sc.check
			switch k.Value {
			case "code":
				ch.Code = c.str(v, field)
				if !letName.MatchString(ch.Code) {
					c.nodeError(v, field, "a code is lower-case letters, digits and _")
				} else if codes[ch.Code] {
					c.nodeError(v, field, "two checks have the code "+ch.Code)
				}
				codes[ch.Code] = true
			case "severity":
				ch.Severity = c.str(v, field)
				if ch.Severity != "error" && ch.Severity != "warning" {
					c.nodeError(v, field, "severity is error or warning")
				}
			case "path":
				ch.Path = c.str(v, field)
			case "when":
				ch.When = c.compile(v, field, sc, wantBool)
			case "assert":
				ch.Assert = c.compile(v, field, sc, wantBool)
			case "message":
				ch.Message = c.compile(v, field, sc, wantString)
			case "expected":
				ch.Expected = c.compile(v, field, sc, wantAny)
			case "actual":
				ch.Actual = c.compile(v, field, sc, wantAny)
			default:
				c.nodeError(k, "checks", "unknown key; a check has "+
					strings.Join(checkKeys, ", ")+suggest(k.Value, checkKeys))
			}
		}
		if ch.Code == "" || ch.Assert == nil || ch.Message == nil {
			c.nodeError(e, "checks", "a check needs code, assert and message")
			continue
		}
		for _, x := range []*Expr{ch.When, ch.Assert, ch.Message, ch.Expected, ch.Actual} {
			if x != nil && readsSource(x, c.sc) {
				ch.Source = true
			}
		}
		out = append(out, ch)
	}
	return out
}

// readsSource reports whether e reads the order document: doc, input,
// number, a let name, or $env, which reaches all of them ($env["doc"]).
func readsSource(e *Expr, sc *scopes) bool {
	for name := range e.reads {
		if name == NameDoc || name == NameInput || name == NameNumber || name == "$env" {
			return true
		}
		if _, inDoc := sc.doc.types[name]; inDoc && name != NameParams {
			return true
		}
	}
	return false
}

// Source returns the pack's YAML text.
func (p *Pack) Source() []byte { return p.source.data }

// Dir returns the directory of the pack file, for resolving test inputs.
func (p *Pack) Dir() string { return filepath.Dir(p.File) }

// ErrorAt returns a pack error at pos, for problems found while running.
func (p *Pack) ErrorAt(pos Pos, field, msg string) *Error {
	return &Error{Pos: pos, Field: field, Msg: msg,
		Snippet: snippet(p.source.data, pos.Line, pos.Column)}
}
