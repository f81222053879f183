package transform

import (
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/shopspring/decimal"
)

// buildItems evaluates the items template into b.items and sets items and
// total in the environment for the rest of the request.
//
// A line gives a price, a sum, or both. Without a sum, the sum is price ×
// quantity rounded to kopecks. A sum is the amount charged for the line:
// without a price, or when price × quantity does not make it, the line is
// re-priced from the sum, and split in two where no single price does
// (compute.SplitItem), unless the pack says split: false. The order
// discount, if any, is spread over the discountable lines first
// (compute.Discount), which lowers their sums the same way.
func (b *builder) buildItems(n *rules.Node) error {
	p := b.run.m.pack
	env := b.run.env
	var items []model.Item
	var discountable []bool
	var groups []*rules.Group
	for _, g := range n.Groups {
		priceGiven, sumGiven := fieldGiven(g.Elem, "price"), fieldGiven(g.Elem, "sum")
		err := b.each(g, func() error {
			var it model.Item
			if err := b.fill(g.Elem, reflect.ValueOf(&it).Elem()); err != nil {
				return err
			}
			switch {
			case !priceGiven && !sumGiven:
				return p.ErrorAt(g.Pos, n.Path, "an item needs a price or a sum")
			case !sumGiven:
				it.Sum = compute.ItemSum(it.Price, it.Quantity)
			default:
				it.Sum = compute.RoundMoney(it.Sum.Decimal())
			}
			disc := true
			if g.Discountable != nil {
				v, err := g.Discountable.Eval(b.run.mach, env)
				if err != nil {
					return err
				}
				disc = v == true
			}
			items = append(items, it)
			discountable = append(discountable, disc)
			groups = append(groups, g)
			return nil
		})
		if err != nil {
			return err
		}
	}
	// parts[i] is the line that item i was made from, when a line was
	// split; nil while none was.
	var parts []int
	if p.Discount != nil {
		var splits []compute.LineSplit
		var err error
		n := len(items)
		if items, discountable, groups, splits, err = b.discount(items, discountable,
			groups); err != nil {
			return err
		}
		parts = remapParts(parts, n, splits)
	}
	if !sumsAgree(items) {
		if !p.Split {
			i := firstDisagreeing(items)
			return p.ErrorAt(groups[i].Pos, n.Path, "line "+strconv.Itoa(i+1)+": "+
				compute.LineOf(&items[i]).String()+" does not add up, and the pack has "+
				"split: false")
		}
		out, splits, err := compute.Split(items)
		if err != nil {
			return lineError(p, n, groups, err)
		}
		discountable, groups = remap(discountable, groups, splits, len(out))
		parts = remapParts(parts, len(items), splits)
		items = out
	}
	b.items = items
	if len(parts) > 0 && parts[len(parts)-1] != len(parts)-1 {
		b.parts = parts // some line was split in two
	}
	b.total = compute.Total(items)
	env[rules.NameItems] = lineView(items, discountable)
	env[rules.NameTotal] = b.total.Decimal()
	return nil
}

// discount spreads the pack's discount amount over the discountable lines.
func (b *builder) discount(items []model.Item, discountable []bool,
	groups []*rules.Group) ([]model.Item, []bool, []*rules.Group, []compute.LineSplit, error) {
	p := b.run.m.pack
	env := b.run.env
	base, total := decimal.Zero, decimal.Zero
	for i := range items {
		total = total.Add(items[i].Sum.Decimal())
		if discountable[i] {
			base = base.Add(items[i].Sum.Decimal())
		}
	}
	env[rules.NameItems] = lineView(items, discountable)
	env[rules.NameTotal] = total
	env[rules.NameBase] = base
	v, err := p.Discount.Eval(b.run.mach, env)
	delete(env, rules.NameBase)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	amount, _ := v.(decimal.Decimal)
	if i, ok := v.(int); ok {
		amount = decimal.NewFromInt(int64(i))
	}
	if amount.IsZero() {
		return items, discountable, groups, nil, nil
	}
	out, splits, err := compute.Discount(items, model.NewMoney(amount),
		compute.SpreadOptions{Exclude: func(i int) bool { return !discountable[i] }})
	if err != nil {
		var ce *compute.Error
		if errors.As(err, &ce) && ce.Path == "amount" {
			return nil, nil, nil, nil, p.Discount.Errorf("the discount %s %s",
				formatMoney(amount), strings.TrimPrefix(ce.Err.Error(), formatMoney(amount)+" "))
		}
		return nil, nil, nil, nil, lineError(p, p.Items, groups, err)
	}
	d, g := remap(discountable, groups, splits, len(out))
	return out, d, g, splits, nil
}

func formatMoney(d decimal.Decimal) string { return model.NewMoney(d).String() }

// fieldGiven reports whether an item template sets key.
func fieldGiven(n *rules.Node, key string) bool {
	for _, f := range n.Fields {
		if f.Key == key {
			return true
		}
	}
	return false
}

func firstDisagreeing(items []model.Item) int {
	for i := range items {
		if !sumsAgree(items[i : i+1]) {
			return i
		}
	}
	return 0
}

// remap carries per-line data through splits: a split line's data goes to
// both its parts.
func remap(disc []bool, groups []*rules.Group, splits []compute.LineSplit,
	n int) ([]bool, []*rules.Group) {
	if len(splits) == 0 {
		return disc, groups
	}
	d := make([]bool, 0, n)
	g := make([]*rules.Group, 0, n)
	parts := map[int]int{}
	for _, s := range splits {
		parts[s.Index] = len(s.After)
	}
	for i := range disc {
		k := 1
		if c, ok := parts[i]; ok {
			k = c
		}
		for ; k > 0; k-- {
			d = append(d, disc[i])
			g = append(g, groups[i])
		}
	}
	return d, g
}

// remapParts carries through splits the line each of n items was made
// from (parts, or each item its own line when parts is nil): a split
// line's parts all come from its line.
func remapParts(parts []int, n int, splits []compute.LineSplit) []int {
	if len(splits) == 0 {
		return parts
	}
	if parts == nil {
		parts = make([]int, n)
		for i := range parts {
			parts[i] = i
		}
	}
	count := make(map[int]int, len(splits))
	for _, s := range splits {
		count[s.Index] = len(s.After)
	}
	out := make([]int, 0, n+len(splits))
	for i, line := range parts {
		k, ok := count[i]
		if !ok {
			k = 1
		}
		for ; k > 0; k-- {
			out = append(out, line)
		}
	}
	return out
}

// lineError turns compute's errors about items[i] into a pack error at the
// template of line i.
func lineError(p *rules.Pack, n *rules.Node, groups []*rules.Group, err error) error {
	var ce *compute.Error
	if !errors.As(err, &ce) {
		return p.ErrorAt(n.Pos, n.Path, err.Error())
	}
	pos := n.Pos
	msg := ce.Path + " " + ce.Err.Error()
	if rest, ok := strings.CutPrefix(ce.Path, "items["); ok {
		if num, tail, ok := strings.Cut(rest, "]"); ok {
			if i, err := strconv.Atoi(num); err == nil && i < len(groups) {
				pos = groups[i].Pos
				msg = "line " + strconv.Itoa(i+1) + strings.Replace(tail, ".", " ", 1) + " " +
					ce.Err.Error()
			}
		}
	}
	return p.ErrorAt(pos, n.Path, msg)
}
