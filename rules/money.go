package rules

import (
	"fmt"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

// spreadFunc is spread(amount, weights): amount divided over the weights in
// proportion, in whole kopecks, by compute.Spread (largest remainder).
func spreadFunc(amount Decimal, weights any) ([]any, error) {
	list := toList(weights)
	sums := make([]model.Money, len(list))
	for i, w := range list {
		d, err := toDecimal(w)
		if err != nil {
			return nil, fmt.Errorf("spread: weight %d: %w", i, err)
		}
		sums[i] = model.NewMoney(d)
	}
	shares, err := compute.Spread(model.NewMoney(amount), sums, compute.SpreadOptions{})
	if err != nil {
		return nil, fmt.Errorf("spread: %w", err)
	}
	out := make([]any, len(shares))
	for i, s := range shares {
		out[i] = s.Decimal()
	}
	return out, nil
}

// splitFunc is splitline(sum, quantity): the one or two lines, each an
// object with price, quantity and sum, whose price × quantity is exact and
// whose sums add up to sum (compute.SplitItem).
func splitFunc(sum, qty any) ([]any, error) {
	s, err := toDecimal(sum)
	if err != nil {
		return nil, fmt.Errorf("splitline: %w", err)
	}
	q, err := toDecimal(qty)
	if err != nil {
		return nil, fmt.Errorf("splitline: %w", err)
	}
	parts, err := compute.SplitItem(model.Item{Sum: model.NewMoney(s),
		Quantity: model.NewQuantity(q)})
	if err != nil {
		return nil, fmt.Errorf("splitline: %w", err)
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = map[string]any{"price": p.Price.Decimal(), "quantity": p.Quantity.Decimal(),
			"sum": p.Sum.Decimal()}
	}
	return out, nil
}
