package rules

import (
	"maps"
	"reflect"
	"regexp"

	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/parser/lexer"
	"github.com/expr-lang/expr/types"
)

// Line is a receipt item as expressions see it: items[i] in payments, the
// total, checks and discount.amount. Vat is the VAT type; Discountable says
// whether the line takes a share of the order discount.
type Line struct {
	Name          string  `expr:"name"`
	Price         Decimal `expr:"price"`
	Quantity      Decimal `expr:"quantity"`
	Sum           Decimal `expr:"sum"`
	Measure       int     `expr:"measure"`
	PaymentMethod string  `expr:"payment_method"`
	PaymentObject int     `expr:"payment_object"`
	Vat           string  `expr:"vat"`
	Discountable  bool    `expr:"discountable"`
}

// Payment is a receipt payment as checks see it (payments[i]).
type Payment struct {
	Type int     `expr:"type"`
	Sum  Decimal `expr:"sum"`
}

// The names of the environment. Each place in a pack sees some of them;
// see [Env].
const (
	NameInput     = "input"
	NameDoc       = "doc"
	NameParams    = "params"
	NameNumber    = "number"
	NameLine      = "line"
	NameIndex     = "index"
	NameItems     = "items"
	NameTotal     = "total"
	NameOperation = "operation"
	NameBase      = "base"
	NamePayments  = "payments"
)

var reservedNames = []string{NameInput, NameDoc, NameParams, NameNumber, NameLine, NameIndex,
	NameItems, NameTotal, NameOperation, NameBase, NamePayments, "env", "true", "false", "nil",
	"let", "if", "else", "in", "not", "and", "or", "matches", "contains", "startsWith",
	"endsWith"}

// scope is the names an expression may use, with their types.
type scope struct {
	types types.Map
}

// only returns the part of the scope that the expression of tokens can
// name. expr reads every name of an environment each time it compiles an
// expression, so handing it the whole scope would make loading a pack
// quadratic in the number of its let names. The whole scope is given when
// the expression uses $env, or when its tokens are not known.
func (s scope) only(tokens []lexer.Token) types.Map {
	if tokens == nil {
		return s.types
	}
	m := types.Map{}
	for _, t := range tokens {
		if t.Kind != lexer.Identifier {
			continue
		}
		if t.Value == "$env" {
			return s.types
		}
		if ty, ok := s.types[t.Value]; ok {
			m[t.Value] = ty
		}
	}
	return m
}

func (s scope) with(kv map[string]types.Type) scope {
	m := make(types.Map, len(s.types)+len(kv))
	maps.Copy(m, s.types)
	maps.Copy(m, kv)
	return scope{types: m}
}

var (
	lineListType    = typeOf(reflect.TypeFor[[]Line]())
	paymentListType = typeOf(reflect.TypeFor[[]Payment]())
	intType         = typeOf(reflect.TypeFor[int]())
	stringType      = typeOf(reflect.TypeFor[string]())
	decType         = typeOf(decimalType)
)

// scopes are the environments of the places of a pack. They nest: a
// document's scope has what the input's has, plus the document and the
// pack's let names; an each adds line and index; after the items are built
// the receipt scope adds items, total and operation.
type scopes struct {
	input, row, doc, receipt, discount, check scope
}

func newScopes(params types.Type) *scopes {
	s := &scopes{}
	s.input = scope{types: types.Map{NameInput: types.Any, NameParams: params}}
	s.row = scope{types: types.Map{NameDoc: types.Any, NameParams: params}}
	s.doc = s.input.with(map[string]types.Type{NameDoc: types.Any, NameNumber: intType})
	s.rebuild()
	return s
}

// addLet makes a let name visible to the document's scope. The expressions
// compiled before it have been compiled, so adding to the map in place
// hides the name from them as it should, and costs nothing per name
// already there; the scopes built on the document's are rebuilt once, by
// letsDone.
func (s *scopes) addLet(name string, t types.Type) {
	s.doc.types[name] = t
}

// letsDone rebuilds the scopes built on the document's after its let names
// are added.
func (s *scopes) letsDone() { s.rebuild() }

func (s *scopes) rebuild() {
	s.receipt = s.doc.with(map[string]types.Type{NameItems: lineListType, NameTotal: decType,
		NameOperation: stringType})
	s.discount = s.receipt.with(map[string]types.Type{NameBase: decType})
	s.check = s.receipt.with(map[string]types.Type{NamePayments: paymentListType})
}

// inEach returns sc with the names of an iteration.
func inEach(sc scope) scope {
	return sc.with(map[string]types.Type{NameLine: types.Any, NameIndex: intType})
}

var letName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// nameTaken reports why name cannot be a let name, or "".
func nameTaken(name string, fns []fn) string {
	if !letName.MatchString(name) {
		return "a let name is lower-case letters, digits and _, starting with a letter"
	}
	for _, r := range reservedNames {
		if name == r {
			return "the name " + name + " is taken by the environment"
		}
	}
	for _, f := range fns {
		if f.name == name {
			return "the name " + name + " is a function"
		}
	}
	for _, b := range builtin.Builtins {
		if b.Name == name {
			return "the name " + name + " is a builtin function"
		}
	}
	return ""
}
