package rules

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/checker/nature"
	"github.com/expr-lang/expr/file"
	"github.com/shopspring/decimal"
)

// The patchers below rewrite an expression's syntax tree while it is
// checked, so that decimals behave as numbers do. expr's operator
// overloading only rewrites binary operators whose operand types match a
// declared signature; these fill the gaps the engines reference lists.

// floatLiterals turns every float literal into a decimal constant made from
// its shortest text, so 0.1 is one tenth and no binary float enters
// arithmetic. Integer literals stay ints: they index lists, and the decimal
// operators accept an int beside a decimal.
type floatLiterals struct{}

func (floatLiterals) Visit(node *ast.Node) {
	f, ok := (*node).(*ast.FloatNode)
	if !ok {
		return
	}
	d, err := decimal.NewFromString(strconv.FormatFloat(f.Value, 'f', -1, 64))
	if err != nil {
		return // NaN and infinities cannot be written as literals
	}
	c := &ast.ConstantNode{Value: d}
	ast.Patch(node, c)
	c.SetType(decimalType)
}

// branchLiterals makes an integer literal a decimal where it stands beside
// a decimal in a choice: c ? x : 0 and x ?? 0 then have the decimal type,
// so that arithmetic on them is overloaded. (Beside an operator the int
// signatures of the overloads do this already.)
type branchLiterals struct{ repeatable }

func (p *branchLiterals) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.ConditionalNode:
		p.fix(&n.Exp1, n.Exp2)
		p.fix(&n.Exp2, n.Exp1)
	case *ast.BinaryNode:
		if n.Operator == "??" {
			p.fix(&n.Right, n.Left)
		}
	}
}

func (p *branchLiterals) fix(lit *ast.Node, other ast.Node) {
	i, ok := (*lit).(*ast.IntegerNode)
	if !ok || other.Type() != decimalType {
		return
	}
	c := &ast.ConstantNode{Value: decimal.NewFromInt(int64(i.Value))}
	ast.Patch(lit, c)
	c.SetType(decimalType)
	p.applied = true
}

// repeatable is the part of a patcher that expr runs in its multi-pass loop
// together with operator overloading: the loop repeats while a patcher
// changed the tree, and types are checked again before each pass, so a
// unary minus above an overloaded + sees its decimal type on the next pass.
type repeatable struct{ applied bool }

func (r *repeatable) Reset()             { r.applied = false }
func (r *repeatable) ShouldRepeat() bool { return r.applied }

// retype clears the types the checker stored on function calls. The
// checker keeps a call's stored type on later passes and then does not
// visit its arguments again (so that a type a patcher set survives), which
// leaves an overloaded operator inside an argument with the unknown type of
// the first pass: round((c ? a * b : a) * r, 2) would keep a raw * on
// decimals. Every function of the library has typed signatures, so the
// checker finds the same type again. retype runs first in each pass.
type retype struct{}

func (retype) Visit(node *ast.Node) {
	if c, ok := (*node).(*ast.CallNode); ok {
		c.SetNature(nature.Nature{})
	}
}
func (retype) Reset()             {}
func (retype) ShouldRepeat() bool { return false }

// unaryMinus rewrites -x for a decimal x into a call of _dneg.
type unaryMinus struct{ repeatable }

func (p *unaryMinus) Visit(node *ast.Node) {
	u, ok := (*node).(*ast.UnaryNode)
	if !ok || u.Operator != "-" || u.Node.Type() != decimalType {
		return
	}
	call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: "_dneg"},
		Arguments: []ast.Node{u.Node}}
	ast.Patch(node, call)
	call.SetType(decimalType)
	p.applied = true
}

// decimalSum rewrites sum() over decimals into dsum(): expr's sum starts
// from the int 0 and adds with the raw opcode, which fails at run time on
// decimals. sum(list) becomes dsum(list) and sum(list, pred) becomes
// dsum(map(list, pred)).
type decimalSum struct{ repeatable }

func (p *decimalSum) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BuiltinNode)
	if !ok || b.Name != "sum" || len(b.Arguments) == 0 {
		return
	}
	var arg ast.Node
	switch len(b.Arguments) {
	case 1:
		if !decimalElems(unwrapCharge(b.Arguments[0])) {
			return
		}
		arg = b.Arguments[0]
	case 2:
		pred, ok := b.Arguments[1].(*ast.PredicateNode)
		if !ok || pred.Node.Type() != decimalType {
			return
		}
		arg = &ast.BuiltinNode{Name: "map", Arguments: b.Arguments}
	default:
		return
	}
	call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: "dsum"}, Arguments: []ast.Node{arg}}
	ast.Patch(node, call)
	call.SetType(decimalType)
	p.applied = true
}

// decimalElems reports whether n is a list whose elements are decimals, as
// far as the checker knows.
func decimalElems(n ast.Node) bool {
	if t := n.Type(); t != nil && t.Kind() == reflect.Slice && t.Elem() == decimalType {
		return true
	}
	switch x := n.(type) {
	case *ast.ArrayNode:
		if len(x.Nodes) == 0 {
			return false
		}
		for _, e := range x.Nodes {
			if e.Type() != decimalType {
				return false
			}
		}
		return true
	case *ast.BuiltinNode:
		if x.Name == "map" && len(x.Arguments) == 2 {
			if pred, ok := x.Arguments[1].(*ast.PredicateNode); ok {
				return pred.Node.Type() == decimalType
			}
		}
	}
	return false
}

// names collects the identifiers an expression reads, to tell the checks
// that need the order document from those that need only the receipt.
type names map[string]bool

func (n names) Visit(node *ast.Node) {
	if id, ok := (*node).(*ast.IdentifierNode); ok {
		n[id.Value] = true
	}
}

// strict finds what the checker lets through but would fail on the input a
// pack is written for: a value whose type is only known at run time (read
// from the order document) used in arithmetic, in an ordering, in an
// equality with a number, or passed where a function wants a number or
// text. JSON numbers are json.Number text, so doc.qty * 2 or doc.qty == 1
// would fail or be false on every document; dec() and int() say what the
// value is.
//
// It also reports names that are not in the expression's scope. expr
// v1.17.8 loses that error for a name inside the arguments of a typed
// function once any patcher is registered (the final check keeps the call's
// stored type and skips its arguments), so str(nope) would compile and
// read nil.
type strict struct {
	known func(string) bool
	// off gives, for each builtin switched off, why (see disabledBuiltins).
	off  map[string]string
	vars map[string]bool
	// fn finds a function of the library by name.
	fn   func(string) (fn, bool)
	errs []*file.Error
}

var arithmetic = map[string]bool{"+": true, "-": true, "*": true, "/": true, "%": true,
	"**": true, "^": true, "<": true, "<=": true, ">": true, ">=": true}

func unknown(n ast.Node) bool {
	t := n.Type()
	return t == nil || t.Kind() == reflect.Interface
}

func numeric(n ast.Node) bool {
	t := n.Type()
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Float64:
		return true
	}
	return t == decimalType
}

func (s *strict) fail(n ast.Node, format string, args ...any) {
	s.errs = append(s.errs, &file.Error{Location: n.Location(),
		Message: fmt.Sprintf(format, args...)})
}

func (s *strict) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.VariableDeclaratorNode:
		s.vars[n.Name] = true
	case *ast.IdentifierNode:
		if s.known(n.Value) || s.vars[n.Value] {
			return
		}
		if why, off := s.off[n.Value]; off {
			s.fail(n, "%s", why)
			return
		}
		s.fail(n, "unknown name %s", n.Value)
	case *ast.BinaryNode:
		l, r := unknown(n.Left), unknown(n.Right)
		switch {
		case arithmetic[n.Operator] && (l || r):
			if n.Operator == "+" && (isString(n.Left) || isString(n.Right)) {
				return // joining text: "N" + doc.number works on text
			}
			s.fail(n, "%s on a value whose type is only known when the pack runs; "+
				"convert it with dec() or int() (or str() to join text)", n.Operator)
		case (n.Operator == "==" || n.Operator == "!=") &&
			((l && numeric(n.Right)) || (r && numeric(n.Left))):
			s.fail(n, "%s between a number and a value read from the document, which is "+
				"never equal (JSON numbers are text); convert it with dec() or int()", n.Operator)
		}
	case *ast.UnaryNode:
		if (n.Operator == "-" || n.Operator == "+") && unknown(n.Node) {
			s.fail(n, "%s on a value whose type is only known when the pack runs; "+
				"convert it with dec()", n.Operator)
		}
	case *ast.CallNode:
		ft := n.Callee.Type()
		if ft == nil || ft.Kind() != reflect.Func {
			return
		}
		name := calleeName(n)
		f, lib := s.fn(name)
		hidden := 0
		if lib && f.takesEnv() {
			if _, replaced := builtin.Index[name]; replaced {
				// A function that replaces an expr builtin (upper, join)
				// to charge the budget takes what the builtin took: values
				// of unknown type, refused when they run if not text.
				return
			}
			hidden = 1 // the environment the compiler passes
		}
		for i, a := range n.Arguments {
			if i >= ft.NumIn() {
				break
			}
			want := ft.In(i)
			if want.Kind() != reflect.Interface && unknown(a) {
				s.fail(a, "argument %d of %s wants %s, and this value's type is only known "+
					"when the pack runs; convert it (dec, int, str)", i+1-hidden, name,
					typeName(want))
			}
		}
	}
}

func isString(n ast.Node) bool {
	t := n.Type()
	return t != nil && t.Kind() == reflect.String
}

func calleeName(n *ast.CallNode) string {
	if id, ok := n.Callee.(*ast.IdentifierNode); ok {
		return id.Value
	}
	return "the function"
}
