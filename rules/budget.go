package rules

import (
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker/nature"
	"github.com/expr-lang/expr/vm"
)

// Budget bounds what the expressions of one document may build and do, all
// its evaluations together (the lets, rules, template, discount and checks).
// expr's own memory budget ([WithLimits]) is per evaluation and counts list
// elements only: a pack of a few lines could still build text of any size
// (repeat, +, join, replace) or keep a large list in each of many lets, and
// a loop over a list that costs no memory could run for hours. Each kind of
// work is charged before it is done, so an exceeded budget is a located
// error, never an allocation that kills the process.
type Budget struct {
	// Memory is units of expr's memory accounting (elements of the lists,
	// maps and ranges expressions build), also charged by the library's
	// functions that build lists; default 4 000 000.
	Memory int
	// Text is the bytes of text expressions build (with +, str, repeat,
	// join, replace, upper, string, toJSON and the like); default 32 MiB.
	Text int
	// Steps bounds the time: an evaluation is a step, and so is each
	// element a loop (map, filter, all, count, ...), in, sort, uniq or
	// concat goes through, and each 64 bytes of text contains, matches,
	// indexOf, split and replace search; default 10 000 000.
	Steps int
}

const (
	defaultDocMemory = 4_000_000
	defaultDocText   = 32 << 20
	defaultDocSteps  = 10_000_000
	// textStep is the bytes of text searched that count as one step: a
	// search goes through text far faster than a loop through elements.
	textStep = 64
)

func (b Budget) withDefaults() Budget {
	if b.Memory <= 0 {
		b.Memory = defaultDocMemory
	}
	if b.Text <= 0 {
		b.Text = defaultDocText
	}
	if b.Steps <= 0 {
		b.Steps = defaultDocSteps
	}
	return b
}

// WithBudget sets what the expressions of one document may build and do;
// zero fields keep their defaults. See [Budget].
func WithBudget(b Budget) Option { return func(c *config) { c.budget = b.withDefaults() } }

// budgetKey is where [Expr.Eval] keeps the document's budget in its
// environment. The functions that charge it are given the environment
// ($env) as a hidden first argument: a compiled program is shared by every
// machine, so the budget cannot live in the functions. Transform clears
// the environment for each document, which starts a new budget.
const budgetKey = "$budget"

// budget is what is left of a [Budget] for the current document.
type budget struct {
	memory, text, steps int64
	limits              Budget
}

func newBudget(l Budget) budget {
	l = l.withDefaults()
	return budget{memory: int64(l.Memory), text: int64(l.Text), steps: int64(l.Steps),
		limits: l}
}

// budgetOf returns the budget in env, the environment a charging function
// was given. Expressions only run through Eval, which puts one there; an
// environment without one gets a fresh budget rather than a panic.
func budgetOf(env any) *budget {
	if m, ok := env.(map[string]any); ok {
		if b, ok := m[budgetKey].(*budget); ok {
			return b
		}
	}
	b := newBudget(Budget{})
	return &b
}

// spendText charges n bytes of text that fn is about to build.
func (b *budget) spendText(fn string, n int64) error {
	if n <= b.text {
		b.text -= n
		return nil
	}
	return fmt.Errorf("%s: memory budget exceeded: it would build %d bytes of text, and %d "+
		"of the %d a document's expressions may build are left", fn, n, max(b.text, 0),
		b.limits.Text)
}

// spendMemory charges n elements of lists or maps that fn is about to build.
func (b *budget) spendMemory(fn string, n int64) error {
	if n <= b.memory {
		b.memory -= n
		return nil
	}
	return fmt.Errorf("%s: memory budget exceeded: it would build %d list or map elements, "+
		"and %d of the %d a document's expressions may build are left", fn, n,
		max(b.memory, 0), b.limits.Memory)
}

// spendSteps charges n steps of work that fn is about to do. It is short
// enough to be inlined: every evaluation takes a step.
func (b *budget) spendSteps(fn string, n int64) error {
	if n <= b.steps {
		b.steps -= n
		return nil
	}
	return b.noSteps(fn, n)
}

func (b *budget) noSteps(fn string, n int64) error {
	return fmt.Errorf("%s: step budget exceeded: it would take %d %s (elements gone "+
		"through, %d-byte pieces of text searched), and %d of the %d a document's "+
		"expressions may take are left", fn, n, plural(int(min(n, 2)), "step", "steps"),
		textStep, max(b.steps, 0), b.limits.Steps)
}

// textSteps is the steps of searching s.
func textSteps(s string) int64 { return int64(len(s))/textStep + 1 }

// mulSat multiplies sizes, saturating instead of overflowing, so that a
// charge for repeat("x", huge) is refused rather than wrapped to a small
// number.
func mulSat(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	const top = int64(1) << 62
	if a > top/b {
		return top
	}
	return a * b
}

// vmMemory is the index of the field of vm.VM that counts the units of its
// memory budget the last Run used. expr has no accessor for it, and without
// it the per-document budget could not know what an evaluation built.
// Reading an unexported field through reflect is allowed and changes
// nothing; TestVMMemoryField fails if an upgrade of expr renames it.
var vmMemory = func() int {
	f, ok := reflect.TypeFor[vm.VM]().FieldByName("memory")
	if !ok || f.Type.Kind() != reflect.Uint || len(f.Index) != 1 {
		return -1
	}
	return f.Index[0]
}()

// used returns the units of expr's memory accounting the machine's last run
// used. The field is found once per machine: it is read after every
// evaluation.
func (m *Machine) used() int64 {
	if vmMemory < 0 {
		return 0
	}
	if !m.memory.IsValid() {
		m.memory = reflect.ValueOf(&m.vm).Elem().Field(vmMemory)
	}
	return int64(m.memory.Uint())
}

// Kinds of work the cost functions charge for the value they are
// given.
const (
	costIter   = iota // a loop through the elements
	costCopy          // a list as long, built from the elements
	costFlat          // a list of every element at any depth
	costScan          // a search through the elements or the text
	costUniq          // uniq: each element compared with those kept
	costSort          // a sort of the elements
	costLeaves        // a loop through the elements at any depth (max and min go into lists)
)

// costFns are the functions the compiler calls on a value whose use
// costs work in proportion to its size, before it is used (see wrap): each
// charges that work.
var costFns = map[string]int{
	"_iter": costIter, "_copy": costCopy, "_flat": costFlat, "_scan": costScan,
	"_uniq": costUniq, "_sort": costSort, "_leaves": costLeaves,
}

// charge is the body of the cost function of kind k.
func charge(k int) func(p ...any) (any, error) {
	return func(p ...any) (any, error) {
		b, v := budgetOf(p[0]), p[1]
		n := int64(size(v))
		var err error
		switch k {
		case costIter:
			err = b.spendSteps("a loop", n)
		case costCopy:
			if err = b.spendSteps("a copy of a list", n); err == nil {
				err = b.spendMemory("a copy of a list", n)
			}
		case costFlat:
			if err = checkDepth(b, "a walk through nested lists", v); err != nil {
				break
			}
			n = leaves(v, b.memory+1)
			if err = b.spendSteps("a walk through nested lists", n); err == nil {
				err = b.spendMemory("a walk through nested lists", n)
			}
		case costScan:
			if s, ok := v.(string); ok {
				err = b.spendSteps("a search", textSteps(s))
			} else if reflect.ValueOf(v).Kind() != reflect.Map {
				err = b.spendSteps("a search", n)
			}
		case costUniq:
			if err = b.spendSteps("uniq", mulSat(n, n+1)/2); err == nil {
				err = b.spendMemory("uniq", n)
			}
		case costLeaves:
			if err = checkDepth(b, "a loop", v); err == nil {
				err = b.spendSteps("a loop", leaves(v, b.steps+1))
			}
		case costSort:
			if err = b.spendSteps("a sort", mulSat(n, int64(log2(n)+1))); err == nil {
				err = b.spendMemory("a sort", n)
			}
		}
		return nil, err
	}
}

func log2(n int64) int {
	k := 0
	for n > 1 {
		n >>= 1
		k++
	}
	return k
}

// size is the length of a list, map or text, and 0 for anything else.
func size(v any) int {
	switch x := v.(type) {
	case nil:
		return 0
	case []any:
		return len(x)
	case map[string]any:
		return len(x)
	case string:
		return len(x)
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return rv.Len()
	}
	return 0
}

// leaves counts the elements flatten would give for v, stopping once the
// count passes limit.
func leaves(v any, limit int64) int64 {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return 1
	}
	var n int64
	for i := 0; i < rv.Len() && n <= limit; i++ {
		n += leaves(rv.Index(i).Interface(), limit-n)
	}
	return n
}

// passEnv gives the functions that charge the budget the environment as
// their first argument. It runs once, before charges, which needs the
// types of those calls with all their arguments. Like retype, it clears
// the type of every call: the checker keeps a call's type and does not
// look into its arguments again, so str(x) inside trim(str(x) + "a")
// would keep the unknown type it had without the environment, and the +
// would not be seen to join text.
type passEnv map[string]bool

func (p passEnv) Visit(node *ast.Node) {
	c, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	c.SetNature(nature.Nature{})
	if id, ok := c.Callee.(*ast.IdentifierNode); !ok || !p[id.Value] {
		return
	}
	c.Arguments = append([]ast.Node{envNode(c)}, c.Arguments...)
}

func envNode(at ast.Node) ast.Node {
	n := &ast.IdentifierNode{Value: "$env"}
	n.SetLocation(at.Location())
	return n
}

// charges has what costs work in proportion to the size of a value charged
// first (see wrap), and turns + on text into _cat, which charges the bytes
// it joins. It runs once, on a tree whose types the checker has just set.
type charges struct{}

// Builtins that go through their first argument, and what it costs.
var builtinCost = map[string]int{
	"all": costIter, "none": costIter, "any": costIter, "one": costIter,
	"filter": costIter, "map": costIter, "find": costIter, "findIndex": costIter,
	"findLast": costIter, "findLastIndex": costIter, "count": costIter, "sum": costIter,
	"groupBy": costIter, "reduce": costIter, "sortBy": costSort, "sort": costSort,
	"reverse": costCopy, "take": costCopy, "toPairs": costCopy,
	"fromPairs": costFlat, "flatten": costFlat, "indexOf": costScan,
	"lastIndexOf": costScan,
}

// Builtins that go through every argument.
var everyArgCost = map[string]int{
	"max": costLeaves, "min": costLeaves, "mean": costLeaves, "median": costLeaves,
	"concat": costCopy,
}

// Library functions that go through an argument: its index, without the
// hidden environment, and what it costs.
var libraryCost = map[string]struct{ arg, cost int }{
	"dsum": {0, costIter}, "spread": {1, costCopy}, "uniq": {0, costUniq},
}

var costFnName = func() map[int]string {
	m := map[int]string{}
	for name, k := range costFns {
		m[k] = name
	}
	return m
}()

func (charges) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		if compares(node, n) {
			return
		}
		switch n.Operator {
		case "+":
			if joinsText(n) {
				call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: "_cat"},
					Arguments: []ast.Node{envNode(n), n.Left, n.Right}}
				ast.Patch(node, call)
			}
		case "in":
			// expr turns a list written out or a range into a lookup or
			// comparisons, which a variable would hide from it.
			if !writtenOut(n.Right) && !isRange(n.Right) {
				wrap(&n.Right, costScan)
			}
		case "contains", "matches":
			wrap(&n.Left, costScan)
		}
	case *ast.BuiltinNode:
		defer noneFound(node, n)
		// A list written out is charged too: its elements are constants
		// that expr builds once, and a loop through it inside another
		// loop would cost no memory.
		if k, ok := builtinCost[n.Name]; ok && len(n.Arguments) > 0 {
			wrap(&n.Arguments[0], k)
		}
		if k, ok := everyArgCost[n.Name]; ok {
			for i := range n.Arguments {
				if maybeList(n.Arguments[i]) {
					wrap(&n.Arguments[i], k)
				}
			}
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return
		}
		c, ok := libraryCost[id.Value]
		if !ok {
			return
		}
		if len(n.Arguments) > 0 {
			if env, ok := n.Arguments[0].(*ast.IdentifierNode); ok && env.Value == "$env" {
				c.arg++ // passEnv has put the environment first
			}
		}
		if c.arg < len(n.Arguments) {
			wrap(&n.Arguments[c.arg], c.cost)
		}
	}
}

// noneFound makes findIndex and findLastIndex give -1 when no element
// matches, as indexOf does. expr's give nil, which the checker types as
// an int: findIndex(xs, # < 0) > 0 would load and fail when it runs.
func noneFound(node *ast.Node, n *ast.BuiltinNode) {
	if n.Name != "findIndex" && n.Name != "findLastIndex" {
		return
	}
	minus := &ast.IntegerNode{Value: -1}
	minus.SetLocation(n.Location())
	or := &ast.BinaryNode{Operator: "??", Left: n, Right: minus}
	or.SetLocation(n.Location())
	ast.Patch(node, or)
}

// chargedName is the variable that holds a value while its use is charged.
// No expression can name it (it has a space), and a declaration of it
// inside the value of another is out of that one's scope.
const chargedName = "charged value"

// wrap makes *arg charge the cost function of kind k before it is
// used: let v = arg; k($env, v); v. A call around arg that gave it back
// would do the same, but the checker types a call from its signature,
// which says less than arg's own type (the element type of a let variable
// holding map(...) of decimals, which filter(xs, # > 0) needs), and keeps
// a call's type from pass to pass without looking into it again.
func wrap(arg *ast.Node, k int) {
	at := *arg
	v := func() ast.Node {
		id := &ast.IdentifierNode{Value: chargedName}
		id.SetLocation(at.Location())
		return id
	}
	call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: costFnName[k]},
		Arguments: []ast.Node{envNode(at), v()}}
	call.SetLocation(at.Location())
	seq := &ast.SequenceNode{Nodes: []ast.Node{call, v()}}
	seq.SetLocation(at.Location())
	ast.Patch(arg, &ast.VariableDeclaratorNode{Name: chargedName, Value: at, Expr: seq})
}

// joinsText reports whether n is + on text, which builds new text: text
// on one side and text or a value known only when the pack runs on the
// other (anything else is a type error the checker reports). Text made of
// literals alone is left to expr, which joins it when it compiles.
func joinsText(n *ast.BinaryNode) bool {
	if constText(n) {
		return false
	}
	l, r := isString(n.Left), isString(n.Right)
	return (l && (r || unknown(n.Right))) || (r && unknown(n.Left))
}

func constText(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.StringNode:
		return true
	case *ast.BinaryNode:
		return x.Operator == "+" && constText(x.Left) && constText(x.Right)
	}
	return false
}

// writtenOut reports whether n is a list or map written out in the
// expression.
func writtenOut(n ast.Node) bool {
	switch n.(type) {
	case *ast.ArrayNode, *ast.MapNode:
		return true
	}
	return false
}

// maybeList reports whether n may be a list: max(a, b) of numbers costs
// nothing to charge.
func maybeList(n ast.Node) bool {
	t := n.Type()
	return t == nil || t.Kind() == reflect.Interface || t.Kind() == reflect.Slice ||
		t.Kind() == reflect.Array
}

func isRange(n ast.Node) bool {
	b, ok := n.(*ast.BinaryNode)
	return ok && b.Operator == ".."
}

// unwrapCharge returns the value wrap charged, or n.
func unwrapCharge(n ast.Node) ast.Node {
	if v, ok := n.(*ast.VariableDeclaratorNode); ok && v.Name == chargedName {
		return v.Value
	}
	return n
}
