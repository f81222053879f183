package rules

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// Node is one field of the request template: an expression, a literal, an
// object of fields, or a list built from groups.
type Node struct {
	// Key is the JSON key; Path is the dotted path from the request root
	// (request.receipt.items.price).
	Key, Path string
	Pos       Pos
	// Type is the Go type of the value the node fills, and Index the
	// position of that field in its parent struct (nil for list elements
	// and the root).
	Type  reflect.Type
	Index []int
	// Exactly one of Expr, Fields and Groups is set for a value; a literal
	// (a YAML number, boolean or null) has none, and Literal holds it as a
	// value of Type (nil for null).
	Expr    *Expr
	Literal any
	Fields  []*Node
	Groups  []*Group
}

// Group makes elements of a list: one element, or one per element of the
// source list Each, kept when When is true. Discountable (items only) says
// whether a line takes a share of the order discount.
type Group struct {
	Pos                      Pos
	Each, When, Discountable *Expr
	Elem                     *Node
}

// tmplCtx is where in the template the compiler is.
type tmplCtx struct {
	sc      scope
	inItems bool
}

var itemsType = reflect.TypeFor[[]model.Item]()

// node compiles the template of one request field of Go type t.
func (c *compiler) node(p *Pack, n *yaml.Node, key, path string, t reflect.Type,
	index []int, ctx tmplCtx) *Node {
	out := &Node{Key: key, Path: path, Pos: c.posOf(n), Type: t, Index: index}
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!str" || n.Style != 0 {
			out.Expr = c.compile(n, path, ctx.sc, wantFor(base))
			return out
		}
		lit, err := literal(n, base)
		if err != nil {
			c.nodeError(n, path, err.Error())
		}
		out.Literal = lit
		return out
	case yaml.MappingNode, yaml.SequenceNode:
		if base.Kind() == reflect.Slice && !isNumberType(base) {
			if base == itemsType && p.Items == nil {
				p.Items = out
				ctx.inItems = true
			}
			out.Groups = c.groups(p, n, path, base, ctx)
			return out
		}
		if n.Kind == yaml.SequenceNode {
			c.nodeError(n, path, "this field is a single value, not a list")
			return out
		}
		if base.Kind() != reflect.Struct || isNumberType(base) || isTextType(base) {
			c.nodeError(n, path, "this field is a single value, not an object")
			return out
		}
		fields := jsonFields(base)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			fpath := path + "." + k.Value
			if !ok {
				c.nodeError(k, fpath, "the format has no field "+strconv.Quote(k.Value)+
					" here"+suggest(k.Value, fieldNames(fields)))
				continue
			}
			if seen[k.Value] {
				c.nodeError(k, fpath, "key appears twice")
				continue
			}
			seen[k.Value] = true
			out.Fields = append(out.Fields, c.node(p, v, k.Value, fpath, f.typ, f.index, ctx))
		}
		return out
	}
	c.nodeError(n, path, "unexpected YAML here")
	return out
}

// groups compiles a list template. A mapping is one group; a sequence holds
// groups and plain elements. A group is a mapping with fields and
// optionally each, when and (for items) discountable; any other element is
// the template of one element.
func (c *compiler) groups(p *Pack, n *yaml.Node, path string, t reflect.Type,
	ctx tmplCtx) []*Group {
	elems := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		elems = n.Content
	}
	var out []*Group
	for _, e := range elems {
		if e.Kind == yaml.MappingNode && hasKey(e, "fields") {
			out = append(out, c.group(p, e, path, t, ctx))
			continue
		}
		if n.Kind == yaml.MappingNode {
			c.nodeError(n, path, "a list template is a list of elements, or a mapping with "+
				"each and fields")
			return nil
		}
		out = append(out, &Group{Pos: c.posOf(e), Elem: c.node(p, e, "", path, t.Elem(), nil,
			ctx)})
	}
	return out
}

func (c *compiler) group(p *Pack, n *yaml.Node, path string, t reflect.Type,
	ctx tmplCtx) *Group {
	g := &Group{Pos: c.posOf(n)}
	eachCtx := ctx
	if v := valueOf(n, "each"); v != nil {
		g.Each = c.compile(v, path+".each", ctx.sc, wantList)
		eachCtx.sc = inEach(ctx.sc)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "each", "fields":
		case "when":
			g.When = c.compile(v, path+".when", eachCtx.sc, wantBool)
		case "discountable":
			if !ctx.inItems || t != itemsType {
				c.nodeError(k, path+".discountable", "only items have discountable")
				continue
			}
			if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
				v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.Value,
					Line: v.Line, Column: v.Column}
			}
			g.Discountable = c.compile(v, path+".discountable", eachCtx.sc, wantBool)
		default:
			c.nodeError(k, path, "a list group has each, when, fields"+itemsOnly(t)+
				suggest(k.Value, []string{"each", "when", "fields", "discountable"}))
		}
	}
	g.Elem = c.node(p, valueOf(n, "fields"), "", path, t.Elem(), nil, eachCtx)
	if g.Each != nil {
		// Each element of the source list becomes an element of the
		// request: the request's size is charged when the list is made.
		g.Each.perElement = int64(values(g.Elem))
	}
	return g
}

// values counts the values a template fills, at least one.
func values(n *Node) int {
	if n == nil {
		return 1
	}
	k := 0
	for _, f := range n.Fields {
		k += values(f)
	}
	for _, g := range n.Groups {
		k += values(g.Elem)
	}
	return max(k, 1)
}

func itemsOnly(t reflect.Type) string {
	if t == itemsType {
		return " and discountable"
	}
	return ""
}

func hasKey(n *yaml.Node, key string) bool { return valueOf(n, key) != nil }

// valueOf returns the value of key in mapping n, or nil.
func valueOf(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// literal converts a YAML number, boolean or null to a value of type t.
func literal(n *yaml.Node, t reflect.Type) (any, error) {
	switch {
	case n.Tag == "!!null":
		return nil, nil
	case isNumberType(t):
		d, err := decimal.NewFromString(n.Value)
		if err != nil || n.Tag == "!!bool" {
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
	return nil, fmt.Errorf("write %q as a quoted expression (for text: '\"%s\"')", n.Value,
		n.Value)
}

var (
	moneyType     = reflect.TypeFor[model.Money]()
	quantityType  = reflect.TypeFor[model.Quantity]()
	timestampType = reflect.TypeFor[model.Timestamp]()
	dateType      = reflect.TypeFor[model.Date]()
)

func isNumberType(t reflect.Type) bool { return t == moneyType || t == quantityType }
func isTextType(t reflect.Type) bool   { return t == timestampType || t == dateType }

// jsonField is a field of a struct as encoding/json sees it.
type jsonField struct {
	typ   reflect.Type
	index []int
}

// jsonFields maps the JSON keys of struct type t to their fields,
// following embedded structs as encoding/json does.
func jsonFields(t reflect.Type) map[string]jsonField {
	m := map[string]jsonField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			for k, v := range jsonFields(f.Type) {
				m[k] = jsonField{v.typ, append([]int{i}, v.index...)}
			}
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		m[name] = jsonField{f.Type, []int{i}}
	}
	return m
}

func fieldNames(m map[string]jsonField) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// suggest names the closest known key, for typos.
func suggest(key string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := distance(key, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" || best == key {
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
