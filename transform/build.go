package transform

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/shopspring/decimal"
)

// builder evaluates a pack's request template for one document straight
// into a model.Request. The template was compiled against the model's
// types, so each value lands in a field whose type the compiler checked;
// what is checked here is only what depends on the document (a timestamp's
// text, a value of an object field).
type builder struct {
	run   *run
	items []model.Item
	total model.Money
	parts []int // see Result.Parts
}

var (
	moneyType     = reflect.TypeFor[model.Money]()
	quantityType  = reflect.TypeFor[model.Quantity]()
	timestampType = reflect.TypeFor[model.Timestamp]()
	dateType      = reflect.TypeFor[model.Date]()
	decimalType   = reflect.TypeFor[decimal.Decimal]()
)

func (b *builder) request() (*model.Document, error) {
	p := b.run.m.pack
	env := b.run.env
	opv, err := p.Operation.Eval(b.run.mach, env)
	if err != nil {
		return nil, err
	}
	op := model.Operation(opv.(string))
	if !op.Valid() {
		return nil, p.Operation.Errorf("operation %q is not one of the eight v5 operations", op)
	}
	if err := b.buildItems(p.Items); err != nil {
		return nil, err
	}
	env[rules.NameOperation] = string(op)
	var req model.Request
	if err := b.fill(p.Request, reflect.ValueOf(&req).Elem()); err != nil {
		return nil, err
	}
	return &model.Document{Operation: op, Request: &req}, nil
}

// fill evaluates template n into v, a settable value of n.Type.
func (b *builder) fill(n *rules.Node, v reflect.Value) error {
	p := b.run.m.pack
	switch {
	case n == p.Items:
		v.Set(reflect.ValueOf(b.items))
		return nil
	case n.Expr != nil:
		val, err := n.Expr.Eval(b.run.mach, b.run.env)
		if err != nil {
			return err
		}
		return b.set(n, v, val)
	case n.Groups != nil:
		return b.list(n, v)
	case n.Fields != nil:
		if v.Kind() == reflect.Pointer {
			// An optional object whose fields all come out empty (a
			// mark_code for a line without one) stays absent.
			obj := reflect.New(v.Type().Elem())
			if err := b.fill(&rules.Node{Fields: n.Fields, Type: n.Type.Elem()},
				obj.Elem()); err != nil {
				return err
			}
			if !obj.Elem().IsZero() {
				v.Set(obj)
			}
			return nil
		}
		hasItems, hasTotal := false, false
		for _, f := range n.Fields {
			if err := b.fill(f, v.FieldByIndex(f.Index)); err != nil {
				return err
			}
			hasItems = hasItems || f == p.Items
			hasTotal = hasTotal || f.Key == "total"
		}
		if hasItems && !hasTotal {
			// The receipt's total is derived: the sum of the item sums.
			v.FieldByName("Total").Set(reflect.ValueOf(b.total))
		}
		return nil
	}
	return b.set(n, v, n.Literal)
}

// list builds a list field from its groups.
func (b *builder) list(n *rules.Node, v reflect.Value) error {
	t := v.Type()
	out := reflect.MakeSlice(t, 0, len(n.Groups))
	for _, g := range n.Groups {
		err := b.each(g, func() error {
			e := reflect.New(t.Elem()).Elem()
			if err := b.fill(g.Elem, e); err != nil {
				return err
			}
			out = reflect.Append(out, e)
			return nil
		})
		if err != nil {
			return err
		}
	}
	v.Set(out)
	return nil
}

// each calls do once for a group without each, or once per element of its
// source list with line and index set; elements for which when is false
// are left out.
func (b *builder) each(g *rules.Group, do func() error) error {
	env := b.run.env
	when := func() (bool, error) {
		if g.When == nil {
			return true, nil
		}
		v, err := g.When.Eval(b.run.mach, env)
		return v == true, err
	}
	if g.Each == nil {
		ok, err := when()
		if err != nil || !ok {
			return err
		}
		return do()
	}
	src, err := g.Each.Eval(b.run.mach, env)
	if err != nil {
		return err
	}
	list, err := asList(g.Each, src)
	if err != nil {
		return err
	}
	saveLine, hadLine := env[rules.NameLine]
	saveIndex := env[rules.NameIndex]
	defer func() {
		if hadLine {
			env[rules.NameLine], env[rules.NameIndex] = saveLine, saveIndex
		} else {
			delete(env, rules.NameLine)
			delete(env, rules.NameIndex)
		}
	}()
	for i, line := range list {
		env[rules.NameLine], env[rules.NameIndex] = line, i
		ok, err := when()
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := do(); err != nil {
			return err
		}
	}
	return nil
}

// asList returns the source list of an each.
func asList(e *rules.Expr, v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case nil:
		return nil, e.Errorf("the source list is missing (null); use list(x) or x ?? []")
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil, e.Errorf("want a list, got %s", kindOf(v))
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case string:
		return "text"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

// set stores val in v. nil leaves the field unset (an omitted key).
func (b *builder) set(n *rules.Node, v reflect.Value, val any) error {
	if val == nil {
		return nil
	}
	fail := func(format string, args ...any) error {
		if n.Expr != nil {
			return n.Expr.Errorf(format, args...)
		}
		return b.run.m.pack.ErrorAt(n.Pos, n.Path, fmt.Sprintf(format, args...))
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		nv := reflect.New(t.Elem())
		if err := b.set(n, nv.Elem(), val); err != nil {
			return err
		}
		v.Set(nv)
		return nil
	}
	switch {
	case t == moneyType || t == quantityType:
		var d decimal.Decimal
		switch x := val.(type) {
		case decimal.Decimal:
			d = x
		case int:
			d = decimal.NewFromInt(int64(x))
		default:
			return fail("want a number, got %s", kindOf(val))
		}
		if t == moneyType {
			v.Set(reflect.ValueOf(model.NewMoney(d)))
		} else {
			v.Set(reflect.ValueOf(model.NewQuantity(d)))
		}
	case t == timestampType || t == dateType:
		s, ok := val.(string)
		if !ok {
			return fail("want a timestamp as text, got %s", kindOf(val))
		}
		if s == "" {
			return nil
		}
		if t == timestampType {
			ts, err := model.ParseTimestamp(s)
			if err != nil {
				return fail("%q is not a timestamp (dd.mm.yyyy HH:MM:SS or ISO 8601); "+
					"ts() converts one", s)
			}
			v.Set(reflect.ValueOf(ts))
		} else {
			d, err := model.ParseDate(s)
			if err != nil {
				return fail("%q is not a date (dd.mm.yyyy or ISO 8601)", s)
			}
			v.Set(reflect.ValueOf(d))
		}
	case t.Kind() == reflect.String:
		s, ok := val.(string)
		if !ok {
			return fail("want text, got %s", kindOf(val))
		}
		// A copy: text read from a JSON document is cut from one string
		// of the whole document, which a receipt kept by the caller (or
		// its external_id, kept for the rest of the input) must not hold
		// on to.
		v.SetString(strings.Clone(s))
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		i, ok := val.(int)
		if !ok {
			return fail("want an integer, got %s", kindOf(val))
		}
		v.SetInt(int64(i))
	case t.Kind() == reflect.Bool:
		x, ok := val.(bool)
		if !ok {
			return fail("want true or false, got %s", kindOf(val))
		}
		v.SetBool(x)
	default:
		return b.decodeInto(n, v, val, fail)
	}
	return nil
}

// decodeInto fills a whole object or list field from a value an expression
// built (a map from the document, say), through the model's strict decoder
// so that wrong keys and kinds are reported by path.
func (b *builder) decodeInto(n *rules.Node, v reflect.Value, val any,
	fail func(string, ...any) error) error {
	tree, err := jsonTree(val, 0)
	if err != nil {
		return fail("%v", err)
	}
	data, err := json.Marshal(tree)
	if err != nil {
		return fail("%v", err)
	}
	ptr := reflect.New(v.Type())
	if err := model.Decode(data, ptr.Interface(), model.DecodeOptions{}); err != nil {
		return fail("%v", err)
	}
	v.Set(ptr.Elem())
	return nil
}

// jsonTree converts an expression result into a value encoding/json writes
// exactly: decimals become json.Number, never float64.
func jsonTree(v any, depth int) (any, error) {
	if depth > 64 {
		return nil, fmt.Errorf("the value is nested too deep")
	}
	switch x := v.(type) {
	case nil, string, bool, int, int64, json.Number:
		return x, nil
	case decimal.Decimal:
		return json.Number(model.NewMoney(x).String()), nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := jsonTree(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := jsonTree(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot put %s into the receipt", kindOf(v))
}

// lineView returns the items as expressions see them.
func lineView(items []model.Item, discountable []bool) []rules.Line {
	out := make([]rules.Line, len(items))
	for i := range items {
		it := &items[i]
		out[i] = rules.Line{Name: it.Name, Price: it.Price.Decimal(),
			Quantity: it.Quantity.Decimal(), Sum: it.Sum.Decimal(), Measure: int(it.Measure),
			PaymentMethod: string(it.PaymentMethod), PaymentObject: int(it.PaymentObject),
			Vat: string(it.Vat.Type)}
		if discountable != nil {
			out[i].Discountable = discountable[i]
		}
	}
	return out
}

// sumsAgree reports whether every item's price is in kopecks and its sum is
// price × quantity, so that no split is needed.
func sumsAgree(items []model.Item) bool {
	for i := range items {
		it := &items[i]
		if it.Price.Decimal().Exponent() < -2 &&
			!it.Price.Decimal().Truncate(2).Equal(it.Price.Decimal()) {
			return false
		}
		if !compute.ItemSum(it.Price, it.Quantity).Equal(it.Sum) {
			return false
		}
	}
	return true
}
