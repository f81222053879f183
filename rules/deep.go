package rules

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm/runtime"
)

// Comparing two values goes through both, part by part. Lists that share
// their parts cost little to build ([a, a] of an a of the same kind, forty
// times over, is eighty small lists), but have 2^40 leaves, which ==, in
// and uniq would go through for hours. So a comparison of two lists or
// maps is charged a step for each pair of parts it may go through, counted
// before it is done and counting no further than the steps left.
//
// Charging the whole size of such a list when it is built would need the
// size of each part, found by going through it (the same walk), in every
// way of building one (a list or map written out, map, reduce, concat,
// fromPairs, groupBy, ...): missing one would bring the hang back. The
// ways of going through a whole value are few (==, !=, in, uniq here;
// max, min, mean and median charge their leaves, flatten, string and
// toJSON were bounded already), and what they go through is charged.

// maxCompareDepth bounds how deeply nested values may be compared: the
// comparison recurses once per level, and a list nested a million deep
// (reduce can build one within the budget) would overflow the stack, which
// no recover catches.
const maxCompareDepth = 10_000

// nestedTooDeep is what compareSteps returns for values nested deeper than
// maxCompareDepth.
const nestedTooDeep = -1

// checkDepth refuses a value nested deeper than maxCompareDepth before a
// function that recurses through it (flatten, max, string, toJSON) does:
// their recursion, or encoding/json's, would overflow the stack on a list
// nested a million deep. The walk visits lists and maps only, and each
// visit is a step of the budget, so a list that holds itself many times
// over ([a, a] forty times) runs out of steps instead of taking hours.
func checkDepth(b *budget, fn string, v any) error {
	w := depthWalk{left: b.steps}
	deep := w.deeper(reflect.ValueOf(v), 0)
	// Running out leaves w.left below zero, and so asks for more than is left.
	if err := b.spendSteps(fn, b.steps-w.left); err != nil {
		return err
	}
	if deep {
		return fmt.Errorf("%s: the value is lists or maps nested deeper than %d",
			fn, maxCompareDepth)
	}
	return nil
}

type depthWalk struct{ left int64 }

// deeper reports whether v nests lists and maps deeper than
// maxCompareDepth; it gives up, with left below zero, when its steps run
// out.
func (w *depthWalk) deeper(v reflect.Value, depth int) bool {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	k := v.Kind()
	if k != reflect.Slice && k != reflect.Array && k != reflect.Map {
		return false
	}
	if w.left--; w.left < 0 {
		return false
	}
	if depth >= maxCompareDepth {
		return true
	}
	if k == reflect.Map {
		it := v.MapRange()
		for it.Next() {
			if w.deeper(it.Value(), depth+1) || w.left < 0 {
				return w.left >= 0
			}
		}
		return false
	}
	for i := 0; i < v.Len(); i++ {
		if w.deeper(v.Index(i), depth+1) || w.left < 0 {
			return w.left >= 0
		}
	}
	return false
}

// compound reports whether v is a value a comparison goes through part by
// part: a list, a map or a structure. It is cheap for the scalars
// documents are made of, which are compared as before.
func compound(v any) bool {
	switch v.(type) {
	case nil, string, bool, int, int64, float64, Decimal, json.Number:
		return false
	case []any, map[string]any:
		return true
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Struct, reflect.Pointer,
		reflect.Interface:
		return true
	}
	return false
}

// compareSteps counts the pairs of parts runtime.Equal may go through to
// compare a and b (it stops at the first difference; this goes on), and
// stops once the count passes limit. It returns nestedTooDeep for values nested
// deeper than maxCompareDepth.
func compareSteps(a, b any, limit int64) int64 {
	return pairSteps(reflect.ValueOf(a), reflect.ValueOf(b), limit, 0)
}

func pairSteps(a, b reflect.Value, limit int64, depth int) int64 {
	if depth > maxCompareDepth {
		return nestedTooDeep
	}
	for a.Kind() == reflect.Interface || a.Kind() == reflect.Pointer {
		if a.IsNil() {
			return 1
		}
		a = a.Elem()
	}
	for b.Kind() == reflect.Interface || b.Kind() == reflect.Pointer {
		if b.IsNil() {
			return 1
		}
		b = b.Elem()
	}
	if !a.IsValid() || !b.IsValid() || a.Type() == decimalType {
		return 1
	}
	n := int64(1)
	add := func(x, y reflect.Value) bool {
		k := pairSteps(x, y, limit-n, depth+1)
		if k == nestedTooDeep {
			n = nestedTooDeep
			return false
		}
		n += k
		return n <= limit
	}
	switch a.Kind() {
	case reflect.Slice, reflect.Array:
		if (b.Kind() != reflect.Slice && b.Kind() != reflect.Array) || a.Len() != b.Len() {
			return n
		}
		for i := 0; i < a.Len() && add(a.Index(i), b.Index(i)); i++ {
		}
	case reflect.Map:
		if b.Kind() != reflect.Map || a.Len() != b.Len() ||
			a.Type().Key() != b.Type().Key() {
			return n
		}
		for it := a.MapRange(); it.Next(); {
			if w := b.MapIndex(it.Key()); w.IsValid() && !add(it.Value(), w) {
				break
			}
		}
	case reflect.Struct:
		if a.Type() != b.Type() {
			return n
		}
		for i := 0; i < a.NumField() && add(a.Field(i), b.Field(i)); i++ {
		}
	}
	return n
}

// chargeCompare charges the comparison of a and b, done by fn.
func chargeCompare(bud *budget, fn string, a, b any) error {
	if !compound(a) || !compound(b) {
		return nil
	}
	n := compareSteps(a, b, bud.steps+1)
	if n == nestedTooDeep {
		return fmt.Errorf("%s: the values compared are lists or maps nested deeper than %d",
			fn, maxCompareDepth)
	}
	return bud.spendSteps(fn, n)
}

// comparingBuiltins replace == and != on values that may be lists or maps
// (the compiler rewrites them, see compares), in, and uniq: each charges
// the comparisons it makes.
func comparingBuiltins() []fn {
	return []fn{
		{"_eq", func(p ...any) (any, error) {
			if err := chargeCompare(budgetOf(p[0]), "==", p[1], p[2]); err != nil {
				return nil, err
			}
			return runtime.Equal(p[1], p[2]), nil
		}, []any{new(func(envParam, any, any) bool)}},
		{"_ne", func(p ...any) (any, error) {
			if err := chargeCompare(budgetOf(p[0]), "!=", p[1], p[2]); err != nil {
				return nil, err
			}
			return !runtime.Equal(p[1], p[2]), nil
		}, []any{new(func(envParam, any, any) bool)}},
		{"_in", func(p ...any) (any, error) {
			bud, needle, hay := budgetOf(p[0]), p[1], p[2]
			if rv := reflect.ValueOf(hay); rv.Kind() == reflect.Slice ||
				rv.Kind() == reflect.Array {
				if err := bud.spendSteps("a search", int64(rv.Len())); err != nil {
					return nil, err
				}
				for i := range rv.Len() {
					if err := chargeCompare(bud, "in", rv.Index(i).Interface(),
						needle); err != nil {
						return nil, err
					}
				}
			}
			return runtime.In(needle, hay), nil
		}, []any{new(func(envParam, any, any) bool)}},
		{"uniq", func(p ...any) (any, error) {
			return uniqCharged(budgetOf(p[0]), p[1])
		}, []any{new(func(envParam, []any) []any), new(func(envParam, []string) []any)}},
	}
}

// uniqCharged is uniq: the elements of v, each once, in order. The
// comparisons of scalars are charged before (see libraryCost); those of
// lists and maps as they are made.
func uniqCharged(bud *budget, v any) (any, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("uniq: want a list, got %s", describe(v))
	}
	out := []any{}
next:
	for i := range rv.Len() {
		x := rv.Index(i).Interface()
		for _, kept := range out {
			if err := chargeCompare(bud, "uniq", x, kept); err != nil {
				return nil, err
			}
			if runtime.Equal(x, kept) {
				continue next
			}
		}
		out = append(out, x)
	}
	return out, nil
}

// compares rewrites == and != on two values that may both be lists or
// maps into _eq and _ne, and in with such a needle and a list into _in,
// which charge what they go through. Scalars on either side keep expr's
// own operators: their comparison is one step, and most conditions of a
// pack compare a value read from the document with a literal. Operands
// of kinds that cannot be equal are left for the checker to refuse.
func compares(node *ast.Node, n *ast.BinaryNode) bool {
	var name string
	switch n.Operator {
	case "==", "!=":
		if !maybeCompound(n.Left) || !maybeCompound(n.Right) || !sameKind(n.Left, n.Right) {
			return false
		}
		name = map[string]string{"==": "_eq", "!=": "_ne"}[n.Operator]
	case "in":
		if !maybeCompound(n.Left) || !maybeSlice(n.Right) || scalarsWrittenOut(n.Right) {
			return false
		}
		name = "_in"
	default:
		return false
	}
	call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: name},
		Arguments: []ast.Node{envNode(n), n.Left, n.Right}}
	call.SetLocation(n.Location())
	ast.Patch(node, call)
	return true
}

// maybeCompound reports whether n may be a list, a map or a structure, as
// far as the checker knows.
func maybeCompound(n ast.Node) bool {
	if _, ok := n.(*ast.NilNode); ok {
		return false
	}
	t := n.Type()
	if t == nil {
		return true
	}
	switch t.Kind() {
	case reflect.Interface, reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer:
		return true
	case reflect.Struct:
		return t != decimalType
	}
	return false
}

func maybeSlice(n ast.Node) bool {
	t := n.Type()
	return t == nil || t.Kind() == reflect.Interface || t.Kind() == reflect.Slice ||
		t.Kind() == reflect.Array
}

// sameKind reports whether a and b may be of the same kind: a list and a
// map are never equal, and the checker refuses to compare them.
func sameKind(a, b ast.Node) bool {
	ta, tb := a.Type(), b.Type()
	if ta == nil || tb == nil || ta.Kind() == reflect.Interface ||
		tb.Kind() == reflect.Interface {
		return true
	}
	list := func(t reflect.Type) bool {
		return t.Kind() == reflect.Slice || t.Kind() == reflect.Array
	}
	return ta.Kind() == tb.Kind() || (list(ta) && list(tb))
}

// scalarsWrittenOut reports whether n is a list written out of literals
// that are not lists or maps: expr turns in through it into a lookup.
func scalarsWrittenOut(n ast.Node) bool {
	a, ok := n.(*ast.ArrayNode)
	if !ok {
		return false
	}
	for _, e := range a.Nodes {
		switch e.(type) {
		case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode,
			*ast.NilNode:
		case *ast.ConstantNode:
			if compound(e.(*ast.ConstantNode).Value) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
