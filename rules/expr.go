package rules

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// Expr is one compiled expression of a pack, with its place in the YAML.
type Expr struct {
	// Src is the expression text.
	Src string
	// Pos is where the expression's text starts in the pack file.
	Pos  Pos
	node *yaml.Node
	prog *vm.Program
}

// Env is what expressions see. Values that do not apply where an
// expression runs are nil (zero).
type Env struct {
	// Input is the whole input value (one JSON document or one CSV row set).
	Input any `expr:"input"`
	// Doc is the current order document.
	Doc any `expr:"doc"`
	// Params are the pack's parameters after overrides; a dotted name
	// company.inn is params.company.inn.
	Params map[string]any `expr:"params"`
	// Line is the current source line inside an each, Index its position.
	Line  any `expr:"line"`
	Index int `expr:"index"`
	// Items are the receipt's items once built, and Total their sum, for
	// the fields evaluated after the items (payments, total).
	Items []any   `expr:"items"`
	Total Decimal `expr:"total"`
}

// compile compiles e. want is the Go type the result must be convertible
// to (nil for any); the check is made only when the expression's static type
// is known, since values read from order documents are dynamic.
func (c *compiler) compile(e *Expr, field string, want reflect.Type) {
	opts := append([]expr.Option{expr.Env(Env{}), expr.MaxNodes(2000)}, c.funcs...)
	if want == reflect.TypeFor[bool]() {
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(e.Src, opts...)
	if err != nil {
		c.exprError(e, field, err)
		return
	}
	e.prog = prog
	if want == nil || want == reflect.TypeFor[bool]() {
		return
	}
	got := prog.Node().Type()
	if got == nil || got.Kind() == reflect.Interface {
		return
	}
	if !assignable(got, want) {
		c.errorAt(e.Pos, field, fmt.Sprintf("expression gives %s, the field wants %s",
			typeName(got), typeName(want)))
	}
}

// assignable reports whether a value of static type got can fill a field of
// type want.
func assignable(got, want reflect.Type) bool {
	switch want.Kind() {
	case reflect.String:
		return got.Kind() == reflect.String
	case reflect.Bool:
		return got.Kind() == reflect.Bool
	case reflect.Int, reflect.Int64:
		return got.Kind() == reflect.Int || got.Kind() == reflect.Int64
	case reflect.Slice:
		return got.Kind() == reflect.Slice
	case reflect.Map:
		return got.Kind() == reflect.Map
	}
	if isNumberType(want) {
		return got == reflect.TypeFor[Decimal]() || got.Kind() == reflect.Int ||
			got.Kind() == reflect.Int64
	}
	if want.Kind() == reflect.Struct {
		// Timestamps and dates are written as text; whole objects may
		// come from a map.
		return got.Kind() == reflect.String || got.Kind() == reflect.Map
	}
	return true
}

func typeName(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[Decimal]() || isNumberType(t):
		return "a decimal"
	case t.Kind() == reflect.String:
		return "text"
	case t.Kind() == reflect.Bool:
		return "a boolean"
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		return "an integer"
	case t.Kind() == reflect.Slice:
		return "a list"
	case t.Kind() == reflect.Map:
		return "an object"
	}
	return t.String()
}

// exprError turns an expr error into a pack error positioned in the YAML.
func (c *compiler) exprError(e *Expr, field string, err error) {
	fe, ok := err.(*file.Error)
	if !ok {
		c.errorAt(e.Pos, field, err.Error())
		return
	}
	c.list = append(c.list, c.positioned(e, field, fe))
}

func (c *compiler) positioned(e *Expr, field string, fe *file.Error) *Error {
	pos := exprPos(e, fe.Line, fe.Column)
	msg := fe.Message
	return &Error{Pos: pos, Field: field, Msg: msg, Snippet: snippet(c.src, pos.Line, pos.Column),
		Err: fe}
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
		lines := strings.Split(string(src), "\n")
		if n.Line < len(lines) {
			next := lines[n.Line]
			p.Line = n.Line + 1
			p.Column = 1 + len(next) - len(strings.TrimLeft(next, " "))
		}
	}
	return p
}
