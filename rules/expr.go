package rules

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser/lexer"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// Expr is one compiled expression of a pack, with its place in the YAML.
type Expr struct {
	// Src is the expression text.
	Src string
	// Pos is where the expression's text starts in the pack file.
	Pos Pos
	// Field names what the expression computes, as in messages:
	// "request.receipt.items.price", "skip.when".
	Field string
	node  *yaml.Node
	src   *source
	prog  *vm.Program
	// reads are the names of the environment the expression uses.
	reads names
	// perElement, for the source list of an each, is the values of the
	// request each of its elements makes.
	perElement int64
}

// source is a pack's file name and text, shared by its expressions for
// rendering run-time errors.
type source struct {
	file string
	data []byte
}

// Env is what an expression sees: the names of its scope (input, doc,
// params, number, the pack's let names, line and index inside an each,
// items, total and operation after the items, base in discount, payments in
// checks). Values that come from order documents are the decoded JSON, CSV
// or XML: map[string]any, []any, string, json.Number, bool and nil.
type Env map[string]any

// Machine evaluates expressions. It reuses one virtual machine and is not
// safe for concurrent use; the zero value is not ready, use [Pack.Machine].
type Machine struct {
	vm vm.VM
	// budget is expr's memory budget of one evaluation, limits what the
	// evaluations of one document may do together, and doc what is left
	// of that for the current document.
	budget uint
	limits Budget
	doc    budget
	// memory is the vm's count of the units it used (see used).
	memory reflect.Value
}

// Machine returns a machine for the pack's expressions, with the pack's
// memory budget and document budget.
func (p *Pack) Machine() *Machine { return &Machine{budget: p.memoryBudget, limits: p.budget} }

// Eval runs the expression with env. A run-time failure is an [*Error] at
// the expression's place in the YAML, naming its field.
//
// What the expression builds and does is charged to the budget of the
// document ([Budget]), which Eval keeps in env: the first evaluation with
// an environment that has none starts a full budget, so a caller starts
// each document with a cleared (or new) environment, as package transform
// does. The budget is kept under a key no expression can name; $env shows
// it, and keys and values leave it out.
func (e *Expr) Eval(m *Machine, env Env) (any, error) {
	if env == nil {
		env = Env{}
	}
	b, ok := env[budgetKey].(*budget)
	if !ok {
		m.doc = newBudget(m.limits)
		b = &m.doc
		env[budgetKey] = b
	}
	if err := b.spendSteps("the evaluation", 1); err != nil {
		return nil, e.Errorf("%v", err)
	}
	per := int64(m.budget)
	if per == 0 {
		per = int64(conf.DefaultMemoryBudget)
	}
	// expr's budget is refused when reached, not passed, so at least one
	// unit is given: 0 would mean expr's default.
	m.vm.MemoryBudget = uint(max(1, min(per, b.memory)))
	out, err := m.vm.Run(e.prog, map[string]any(env))
	b.memory -= m.used()
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) && fe.Message == "memory budget exceeded" {
			// Say which budget: the evaluation's or the document's.
			fe.Message += fmt.Sprintf(": an evaluation may build %d list, map and range "+
				"elements", per)
			if b.memory < per {
				fe.Message = fmt.Sprintf("memory budget exceeded: %d list, map and range "+
					"elements were left of the %d a document's expressions may build",
					m.vm.MemoryBudget, b.limits.Memory)
			}
		}
		return nil, e.runError(err)
	}
	if _, text := out.(string); e.perElement > 0 && !text {
		n := mulSat(int64(size(out)), e.perElement)
		if err := b.spendMemory("each", n); err != nil {
			return nil, e.Errorf("%v (the request's values made from the list)", err)
		}
	}
	return out, nil
}

// Reads reports whether the expression uses name from its environment.
func (e *Expr) Reads(name string) bool { return e.reads[name] }

func (e *Expr) runError(err error) *Error {
	var fe *file.Error
	if errors.As(err, &fe) {
		pe := positioned(e, fe)
		pe.Msg = unquoteBuyer(pe.Msg)
		return pe
	}
	return &Error{Pos: e.Pos, Field: e.Field, Msg: unquoteBuyer(err.Error()),
		Snippet: snippet(e.src.data, e.Pos.Line, e.Pos.Column), Err: err}
}

// emailText and phoneText find an e-mail address or a phone number (ten
// digits or more) in a message.
var (
	emailText = regexp.MustCompile(`[^\s"'<>(),;:\[\]` + "`" + `]+@[^\s"'<>(),;:\[\]` + "`" + `]+`)
	phoneText = regexp.MustCompile(`\+?\d[\d \-()]{8,}\d`)
)

// maxRunMessage bounds a run-time message: expr's own functions print the
// value they refuse (fromPairs a whole list), which may be huge.
const maxRunMessage = 400

// unquoteBuyer masks what looks like a buyer's e-mail or phone in a
// run-time message, and cuts a long one. The library's functions mask the
// text they quote themselves; expr's builtins (fromPairs, float, duration,
// matches) quote their input as it is.
func unquoteBuyer(msg string) string {
	msg = clip(msg, maxRunMessage)
	msg = emailText.ReplaceAllStringFunc(msg, maskText)
	return phoneText.ReplaceAllStringFunc(msg, func(p string) string {
		if phoneLike(p) {
			return maskText(p)
		}
		return p
	})
}

// Errorf returns an error at the expression's place, for problems found
// with its result while running.
func (e *Expr) Errorf(format string, args ...any) *Error {
	return &Error{Pos: e.Pos, Field: e.Field, Msg: fmt.Sprintf(format, args...),
		Snippet: snippet(e.src.data, e.Pos.Line, e.Pos.Column)}
}

// want is what a place in a pack needs an expression to give.
type want int

const (
	wantAny    want = iota // anything: checked when the value is used
	wantBool               // true or false: conditions
	wantString             // text
	wantInt                // an integer
	wantNumber             // a decimal (or an integer)
	wantList               // a list (or a value only known at run time)
	wantObject             // an object or a list (whole parts of a request)
)

// wantFor returns what a request field of Go type t needs.
func wantFor(t reflect.Type) want {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case isNumberType(t):
		return wantNumber
	case isTextType(t), t.Kind() == reflect.String:
		return wantString
	case t.Kind() == reflect.Bool:
		return wantBool
	case t.Kind() == reflect.Int, t.Kind() == reflect.Int64:
		return wantInt
	}
	return wantObject
}

var wantText = map[want]string{
	wantBool: "true or false", wantString: "text", wantInt: "an integer",
	wantNumber: "a number", wantList: "a list", wantObject: "an object",
}

// convertHint says how to make a dynamic value concrete.
var convertHint = map[want]string{
	wantBool:   "compare it (x == \"yes\") or use bool(x)",
	wantString: "use str(x) or trim(x)",
	wantInt:    "use int(x)",
	wantNumber: "use dec(x)",
}

// compile compiles the scalar n as an expression in scope, checking that
// it gives what w asks for. Errors are collected in c.
func (c *compiler) compile(n *yaml.Node, field string, sc scope, w want) *Expr {
	e := &Expr{Src: n.Value, Pos: scalarStart(c.file, n, c.src), Field: field, node: n,
		src: c.source}
	if strings.TrimSpace(e.Src) == "" {
		c.errorAt(e.Pos, field, "the expression is empty")
		return e
	}
	tokens, ok := c.checkShape(e)
	if !ok {
		return e
	}
	opts := make([]expr.Option, 0, len(c.opts)+8)
	opts = append(opts, expr.Env(sc.only(tokens)), expr.MaxNodes(c.maxNodes),
		expr.Patch(retype{}))
	opts = append(opts, c.opts...)
	opts = append(opts, expr.Patch(floatLiterals{}), expr.Patch(&unaryMinus{}),
		expr.Patch(&decimalSum{}), expr.Patch(&branchLiterals{}))
	prog, err := expr.Compile(e.Src, opts...)
	if err != nil {
		c.exprError(e, err)
		return e
	}
	e.prog = prog
	e.reads = names{}
	root := prog.Node()
	ast.Walk(&root, e.reads)
	if !usesEnv(tokens) {
		// The $env the compiler passes to the functions that charge the
		// budget is not the pack's: the expression reads no more for it.
		delete(e.reads, "$env")
	}
	st := &strict{known: func(name string) bool { return c.known(sc, name) },
		off: c.disabled, vars: names{}, fn: c.fn}
	// Declared variables (let x = ...; x) are visited after their uses
	// in a post-order walk, so collect them first.
	ast.Walk(&root, declared(st.vars))
	ast.Walk(&root, st)
	for _, fe := range st.errs {
		c.list = append(c.list, positioned(e, fe.Bind(file.NewSource(e.Src))))
	}
	if len(st.errs) > 0 {
		return e
	}
	c.checkResult(e, w)
	return e
}

// usesEnv reports whether the expression of tokens names $env itself. With
// tokens unknown it is taken to, which can only make a check run less.
func usesEnv(tokens []lexer.Token) bool {
	if tokens == nil {
		return true
	}
	for _, t := range tokens {
		if t.Kind == lexer.Identifier && t.Value == "$env" {
			return true
		}
	}
	return false
}

// fn finds the library's function called name.
func (c *compiler) fn(name string) (fn, bool) {
	if c.byName == nil {
		c.byName = make(map[string]fn, len(c.fns))
		for _, f := range c.fns {
			c.byName[f.name] = f
		}
	}
	f, ok := c.byName[name]
	return f, ok
}

// known reports whether name is in scope sc, a function or a builtin.
func (c *compiler) known(sc scope, name string) bool {
	if _, ok := sc.types[name]; ok || name == "$env" {
		return true
	}
	if _, ok := c.fn(name); ok {
		return true
	}
	if _, off := c.disabled[name]; off {
		return false
	}
	for _, b := range builtin.Builtins {
		if b.Name == name {
			return true
		}
	}
	return false
}

// Bounds on the text of one expression, checked before expr parses it.
// expr's parser recurses once per bracket and per unary operator, and a
// deep enough nesting ('((((…' or '!!!!…') overflows the goroutine's
// stack: a fatal error that no recover catches, so it must never reach
// the parser. No sensible expression comes near either bound.
const (
	maxExprLen   = 16 << 10
	maxExprDepth = 100
)

// checkShape refuses an expression that is too long or nested too deep,
// with an error at the place it goes too deep, and returns its tokens.
// A text the lexer cannot read is left to the compiler, which reports it
// (the lexer does not recurse).
func (c *compiler) checkShape(e *Expr) ([]lexer.Token, bool) {
	if len(e.Src) > maxExprLen {
		c.errorAt(e.Pos, e.Field, fmt.Sprintf("the expression is %d bytes long; at most %d "+
			"are allowed (split it with let)", len(e.Src), maxExprLen))
		return nil, false
	}
	tokens, err := lexer.Lex(file.NewSource(e.Src))
	if err != nil {
		return nil, true
	}
	if at := tooDeep(tokens); at >= 0 {
		line, col := runeLineCol(e.Src, tokens[at].From)
		pos := exprPos(e, line, col)
		c.list = append(c.list, &Error{Pos: pos, Field: e.Field,
			Msg: fmt.Sprintf("the expression is nested deeper than %d (brackets and unary "+
				"operators such as ! and -); split it with let", maxExprDepth),
			Snippet: snippet(c.src, pos.Line, pos.Column)})
		return nil, false
	}
	return tokens, true
}

// tooDeep returns the index of the token at which the nesting of brackets
// and unary operators passes maxExprDepth, or -1. A run of unary operators
// nests until a binary operator ends its operand; a bracket nests until it
// closes, and takes the unary operators inside it along.
func tooDeep(tokens []lexer.Token) int {
	runs := []int{0} // unary operators pending at each bracket level
	depth := 0
	operand := false // the previous token ends an operand
	for i, t := range tokens {
		switch {
		case t.Kind == lexer.Bracket && strings.Contains("([{", t.Value):
			runs = append(runs, 0)
			depth++
			operand = false
		case t.Kind == lexer.Bracket:
			if len(runs) > 1 {
				depth -= 1 + runs[len(runs)-1]
				runs = runs[:len(runs)-1]
			}
			operand = true
		case t.Kind == lexer.Operator && !operand &&
			(t.Value == "!" || t.Value == "not" || t.Value == "-" || t.Value == "+"):
			runs[len(runs)-1]++
			depth++
		case t.Kind == lexer.Operator:
			depth -= runs[len(runs)-1]
			runs[len(runs)-1] = 0
			operand = false
		default:
			operand = true
		}
		if depth > maxExprDepth {
			return i
		}
	}
	return -1
}

// runeLineCol returns the 1-based line and 0-based column of the rune
// offset off in s, as expr's positions count them.
func runeLineCol(s string, off int) (int, int) {
	line, col, i := 1, 0, 0
	for _, r := range s {
		if i == off {
			break
		}
		i++
		if r == '\n' {
			line++
			col = 0
		} else {
			col++
		}
	}
	return line, col
}

// declared collects the names an expression declares with let.
type declared names

func (d declared) Visit(node *ast.Node) {
	if v, ok := (*node).(*ast.VariableDeclaratorNode); ok {
		d[v.Name] = true
	}
}

// checkResult reports an expression whose static type cannot give what w
// asks for. An expression whose type is only known when it runs (a value
// read from the order document) must be converted explicitly where a
// scalar is wanted, so that a pack that loads cannot fail later with a type
// error on the input it was written for.
func (c *compiler) checkResult(e *Expr, w want) {
	got := e.prog.Node().Type()
	if w == wantAny {
		return
	}
	dynamic := got == nil || got.Kind() == reflect.Interface
	if dynamic {
		if w == wantList || w == wantObject {
			return
		}
		c.errorAt(e.Pos, e.Field, fmt.Sprintf("the value's type is only known when the "+
			"pack runs, and this place needs %s; %s", wantText[w], convertHint[w]))
		return
	}
	ok := false
	switch w {
	case wantBool:
		ok = got.Kind() == reflect.Bool
	case wantString:
		ok = got.Kind() == reflect.String
	case wantInt:
		ok = got.Kind() == reflect.Int || got.Kind() == reflect.Int64
	case wantNumber:
		ok = got == decimalType || got.Kind() == reflect.Int || got.Kind() == reflect.Int64
	case wantList:
		ok = got.Kind() == reflect.Slice || got.Kind() == reflect.Array
	case wantObject:
		ok = got.Kind() == reflect.Map || got.Kind() == reflect.Slice ||
			got.Kind() == reflect.Struct
	}
	if !ok {
		c.errorAt(e.Pos, e.Field, fmt.Sprintf("the expression gives %s; this place needs %s",
			typeName(got), wantText[w]))
	}
}

func typeName(t reflect.Type) string {
	switch {
	case t == decimalType || isNumberType(t):
		return "a number"
	case t.Kind() == reflect.String:
		return "text"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		return "an integer"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return "a list"
	case t.Kind() == reflect.Map || t.Kind() == reflect.Struct:
		return "an object"
	case t.Kind() == reflect.Float64:
		return "a binary float"
	}
	return t.String()
}

// typeOf returns the expr type of values of Go type t.
func typeOf(t reflect.Type) types.Type {
	if t == nil || t.Kind() == reflect.Interface {
		return types.Any
	}
	return types.TypeOf(reflect.Zero(t).Interface())
}

// exprError turns an expr compile error into a pack error positioned in the
// YAML.
func (c *compiler) exprError(e *Expr, err error) {
	var fe *file.Error
	if !errors.As(err, &fe) {
		c.errorAt(e.Pos, e.Field, err.Error())
		return
	}
	c.list = append(c.list, positioned(e, fe))
}

func positioned(e *Expr, fe *file.Error) *Error {
	pos := exprPos(e, fe.Line, fe.Column)
	return &Error{Pos: pos, Field: e.Field, Msg: friendly(fe.Message),
		Snippet: snippet(e.src.data, pos.Line, pos.Column), Err: fe}
}

// friendly rewords the expr messages that show the engine's internals.
func friendly(msg string) string {
	r := strings.NewReplacer("decimal.Decimal", "decimal", "interface {}", "unknown",
		"map[string]interface {}", "object", "[]interface {}", "list")
	msg = r.Replace(msg)
	if strings.HasPrefix(msg, "invalid operation:") && strings.Contains(msg, "decimal") &&
		strings.Contains(msg, "unknown") {
		msg += " (convert the document's value with dec())"
	}
	return msg
}

// exprPos maps a line and 0-based column inside the expression text to the
// YAML file. Plain and quoted scalars start at the node's column (quotes
// add one); block scalars (| and >) start on the next line at their
// indentation. Folded scalars join lines, so positions inside them after the
// first line are approximate.
func exprPos(e *Expr, line, col int) Pos {
	p := e.Pos
	if line <= 1 {
		p.Column += col
		return p
	}
	p.Line += line - 1
	if e.node != nil && (e.node.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
		p.Column = e.Pos.Column + col
		return p
	}
	// A multi-line quoted or plain scalar: continuation lines are indented
	// by an unknown amount; point at the line start.
	p.Column = 1 + col
	return p
}

// scalarStart returns where the text of a scalar node begins.
func scalarStart(file string, n *yaml.Node, src []byte) Pos {
	p := Pos{File: file, Line: n.Line, Column: n.Column}
	switch {
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		p.Column++
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// The text starts on the next line, at the block's indentation.
		if next, ok := lineOf(src, n.Line+1); ok {
			p.Line = n.Line + 1
			p.Column = 1 + len(next) - len(strings.TrimLeft(next, " "))
		}
	}
	return p
}

// lineOf returns line number n (1-based) of src.
func lineOf(src []byte, n int) (string, bool) {
	s := string(src)
	for i := 1; i < n; i++ {
		k := strings.IndexByte(s, '\n')
		if k < 0 {
			return "", false
		}
		s = s[k+1:]
	}
	if k := strings.IndexByte(s, '\n'); k >= 0 {
		s = s[:k]
	}
	return strings.TrimRight(s, "\r"), true
}
