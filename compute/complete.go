package compute

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

// Options says what [Complete] may do beyond what it always does. The zero
// value fills in missing item sums, missing prices that a single price
// fits, and a missing total, and changes nothing the caller gave.
type Options struct {
	// ItemVat fills in items[].vat.sum where it is absent, with
	// [VatAmount] of the item's sum. Items at none are left without one.
	ItemVat bool
	// Vats fills in vats[] when the receipt has none, with [Vats].
	Vats bool
	// Payment adds one payment of PaymentType for the whole total when the
	// receipt has no payments. Payments that are there are never changed.
	Payment bool
	// PaymentType is the type of the payment Payment adds (0 cash,
	// 1 electronic, ...).
	PaymentType model.PaymentType
	// Overwrite replaces values the caller gave that disagree with the ones
	// computed: item sums (price × quantity, unless Split keeps them),
	// item VAT amounts, the total, and vats[] entries that [VatAcceptable]
	// refuses. It also adds vats[] entries for types the items carry and
	// removes entries for types no item carries or that appear twice.
	Overwrite bool
	// Split takes the sum of a line whose price × quantity is not its sum
	// as the amount settled, and gives the line a new price, or splits it in
	// two, as [SplitItem] does. A sum with more than two decimals cannot be
	// an amount settled: with Overwrite it is recomputed instead, without
	// it Complete reports [ErrScale].
	Split bool
	// Rates replaces VAT types: in sell and buy, a rate not in force at the
	// timestamp with the one that is ([RateAt], vat20 → vat22 in 2026); in
	// corrections the same at correction_info.base_date; in every
	// operation, the plain or calculated twin that the item's payment method
	// calls for ([RateFor]). Refunds keep the rate of the sale they refund.
	Rates bool
}

// ChangeKind classifies a [Change].
type ChangeKind string

// Kinds of change. Only KindFilled happens without an option asking for it.
const (
	// KindFilled is a value that was absent (see [Complete]).
	KindFilled ChangeKind = "filled"
	// KindOverwritten is a value the caller gave, replaced (Overwrite).
	KindOverwritten ChangeKind = "overwritten"
	// KindRepriced is a price derived anew from the line's sum (Split).
	KindRepriced ChangeKind = "repriced"
	// KindSplit is a line split in two (Split).
	KindSplit ChangeKind = "split"
	// KindRate is a VAT type replaced (Rates).
	KindRate ChangeKind = "rate"
	// KindRemoved is a vats[] entry removed (Overwrite).
	KindRemoved ChangeKind = "removed"
)

// Change is one value that [Complete] set, replaced or removed.
type Change struct {
	// Path is the JSON path of the value in the returned request
	// (receipt.items[2].sum); for a removed value, the path it had in the
	// input. Where the two numberings differ, Reason says so.
	Path string     `json:"path"`
	Kind ChangeKind `json:"kind"`
	// Old and New are the values as JSON (an object in compact form), or,
	// for a split, the lines as "quantity × price = sum". Old is "" for a
	// value that was absent, New for one that was removed.
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
	Reason string `json:"reason"`
}

// String writes "receipt.total: (absent) → 750.00 (filled: Σ items[].sum)".
func (c Change) String() string {
	old, nw := c.Old, c.New
	if old == "" {
		old = "(absent)"
	}
	if nw == "" {
		nw = "(removed)"
	}
	return c.Path + ": " + old + " → " + nw + " (" + string(c.Kind) + ": " + c.Reason + ")"
}

// Complete fills in what a partial request lacks, as opts allow, and returns
// the completed request with every change it made, in order. It works on a
// deep copy: req is not modified, and the result shares no memory with it.
//
// A value is missing when it was not given ([model.Money.Given]): a
// decoded document left the key out, or Go code left the field at its zero
// value. An explicit 0 is a value the caller gave; like any other given
// value that disagrees, it is replaced only with Overwrite, and the
// validator reports it otherwise.
//
// The steps, each reported as [Change] values: VAT types (Options.Rates);
// each item's price or sum (always for missing ones; Split and Overwrite
// for given ones); item VAT amounts (ItemVat, Overwrite); the total
// (always when missing; Overwrite); vats[] (Vats, Overwrite); a payment
// (Payment). Later steps use what earlier ones computed, so the total
// counts split lines and the payment is the completed total.
//
// op selects the rules that depend on the operation (Options.Rates); with
// op "" they are skipped. Complete does not validate: run the validator
// on the result.
//
// A value Complete cannot work out (a line it was asked to split that
// carries a marking code, an unknown VAT type, a payment for a zero total)
// is left as it was and reported in the error, a join of [*Error] values
// with paths from the request's root; the rest is done and returned. A nil
// request, a request with neither receipt nor correction, an invalid
// Options.PaymentType, or an amount or quantity far beyond any the format
// allows ([ErrRange]; 1e30, say) give an error and no result.
func Complete(op model.Operation, req *model.Request,
	opts Options) (*model.Request, []Change, error) {
	switch {
	case req == nil || req.Body() == nil:
		return nil, nil, errors.New("compute: the request has neither receipt nor correction")
	case opts.Payment && !opts.PaymentType.Valid():
		return nil, nil, fmt.Errorf("compute: payment type %d is not one of 0–9", opts.PaymentType)
	}
	if err := checkRanges(req.RootKey(), req.Body()); err != nil {
		return nil, nil, err
	}
	out := cloneRequest(req)
	c := &completer{opts: opts, op: op, req: out, b: out.Body(), root: out.RootKey()}
	c.rates()
	c.items()
	c.itemVats()
	c.total()
	c.vats()
	c.payment()
	return out, c.changes, errors.Join(c.errs...)
}

// completer carries one run of Complete: the copy being completed, and the
// changes and errors so far, so that each step stays a straight line.
type completer struct {
	opts    Options
	op      model.Operation
	req     *model.Request
	b       *model.Receipt
	root    string
	changes []Change
	errs    []error
}

func (c *completer) change(path string, kind ChangeKind, old, nw, reason string) {
	c.changes = append(c.changes, Change{Path: path, Kind: kind, Old: old, New: nw, Reason: reason})
}

func (c *completer) fail(path string, err error) { c.errs = append(c.errs, prefixPath(path, err)) }

func (c *completer) item(i int) string { return c.root + ".items[" + strconv.Itoa(i) + "]" }

// rateDate returns the date whose rates apply to the document, if the
// operation has one: the timestamp of a sale or purchase, the base date of
// a correction. Refunds refer to a sale whose date the request lacks.
func (c *completer) rateDate() (time.Time, bool) {
	switch {
	case c.op == model.Sell || c.op == model.Buy:
		return c.req.Timestamp.Time(), !c.req.Timestamp.IsZero()
	case c.op.IsCorrection() && c.req.Correction != nil:
		d := c.req.Correction.CorrectionInfo.BaseDate
		return d.Time(), !d.IsZero()
	}
	return time.Time{}, false
}

func (c *completer) rates() {
	if !c.opts.Rates || c.op == "" {
		return
	}
	at, dated := c.rateDate()
	for i := range c.b.Items {
		it := &c.b.Items[i]
		t := it.Vat.Type
		if !t.Known() {
			continue
		}
		nt, reason := t, ""
		if dated && !InForce(t, at) {
			nt = RateAt(t, at)
			reason = string(t) + " is not in force on " + at.Format(model.DateLayout)
		}
		if it.PaymentMethod.Valid() {
			if r := RateFor(nt, it.PaymentMethod); r != nt {
				nt = r
				if reason != "" {
					reason += "; "
				}
				reason += "payment method " + string(it.PaymentMethod) + " takes " + string(r)
			}
		}
		if nt != t {
			it.Vat.Type = nt
			c.change(c.item(i)+".vat.type", KindRate, quoted(t), quoted(nt), reason)
		}
	}
}

func quoted(t model.VatType) string { return strconv.Quote(string(t)) }

func (c *completer) items() {
	in := c.b.Items
	out := make([]model.Item, 0, len(in))
	for i := range in {
		it := in[i]
		p := c.item(len(out))
		want := ItemSum(it.Price, it.Quantity)
		switch {
		case !it.Price.Given() && !it.Sum.IsZero():
			// The price is missing: derive it if one price fits, split
			// only when asked.
			parts, err := SplitItem(it)
			switch {
			case err == nil && len(parts) == 1:
				c.change(p+".price", KindFilled, "", parts[0].Price.String(),
					"sum ÷ quantity")
				it = parts[0]
			case err == nil && c.opts.Split:
				out = append(out, c.split(i, len(out), &it, parts)...)
				continue
			case err != nil && c.opts.Split:
				c.fail(p, err)
			}
		case !it.Sum.Given():
			c.change(p+".sum", KindFilled, "", want.String(), "price × quantity")
			it.Sum = want
		case c.opts.Split && !lineAgrees(&it) && (isKopecks(it.Sum) || !c.opts.Overwrite):
			// A sum in whole kopecks is the amount settled; one with more
			// decimals cannot be, and Overwrite recomputes it below.
			parts, err := SplitItem(it)
			if err != nil {
				c.fail(p, err)
				break
			}
			out = append(out, c.split(i, len(out), &it, parts)...)
			continue
		case it.Sum.Equal(want):
		case c.opts.Overwrite:
			c.change(p+".sum", KindOverwritten, it.Sum.String(), want.String(),
				"price × quantity, rounded to kopecks")
			it.Sum = want
		}
		out = append(out, it)
	}
	c.b.Items = out
}

// split reports line i of the input, now at j, re-priced or split into parts.
func (c *completer) split(i, j int, before *model.Item, parts []model.Item) []model.Item {
	if len(parts) == 1 {
		c.change(c.item(j)+".price", KindRepriced, before.Price.String(), parts[0].Price.String(),
			"price × quantity must equal the sum "+before.Sum.String()+", which is kept")
		return parts
	}
	s := report(i, j, before, parts)
	nw := s.After[0].String() + "; " + s.After[1].String()
	c.change(c.item(j), KindSplit, s.Before.String(), nw,
		"no price gives the sum "+before.Sum.String()+" for quantity "+before.Quantity.String()+
			"; split into items["+strconv.Itoa(j)+"] and items["+strconv.Itoa(j+1)+"]"+
			" (line "+strconv.Itoa(i)+" of the input)")
	return parts
}

func (c *completer) itemVats() {
	if !c.opts.ItemVat && !c.opts.Overwrite {
		return
	}
	for j := range c.b.Items {
		it := &c.b.Items[j]
		t := it.Vat.Type
		if !t.Known() {
			if c.opts.ItemVat {
				c.fail(c.item(j)+".vat.type", wrapf(ErrUnknownRate, "%q", t))
			}
			continue
		}
		want := VatAmount(it.Sum, t)
		switch {
		case it.Vat.Sum == nil:
			if !c.opts.ItemVat || t == model.VatNone {
				continue
			}
			c.change(c.item(j)+".vat.sum", KindFilled, "", want.String(), vatReason(it.Sum, t))
		case !it.Vat.Sum.Equal(want) && c.opts.Overwrite:
			c.change(c.item(j)+".vat.sum", KindOverwritten, it.Vat.Sum.String(), want.String(),
				vatReason(it.Sum, t))
		default:
			continue
		}
		it.Vat.Sum = &want
	}
}

func vatReason(sum model.Money, t model.VatType) string {
	r := t.Rate()
	if r == 0 {
		return string(t) + " carries no VAT"
	}
	return sum.String() + " × " + strconv.FormatInt(r, 10) + "/" +
		strconv.FormatInt(100+r, 10) + ", rounded to kopecks"
}

func (c *completer) total() {
	want := Total(c.b.Items)
	p := c.root + ".total"
	switch {
	case !c.b.Total.Given():
		c.change(p, KindFilled, "", want.String(), "Σ items[].sum")
	case !c.b.Total.Equal(want) && c.opts.Overwrite:
		c.change(p, KindOverwritten, c.b.Total.String(), want.String(), "Σ items[].sum")
	default:
		return
	}
	c.b.Total = want
}

const maxVats = 6

func (c *completer) vats() {
	p := c.root + ".vats"
	if len(c.b.Vats) == 0 {
		if !c.opts.Vats {
			return
		}
		vats, err := Vats(c.b.Items)
		if err != nil {
			c.fail(c.root, err)
			return
		}
		if len(vats) > maxVats {
			c.fail(p, errorf("", ErrTooManyVats, "%d VAT types", len(vats)).Err)
			return
		}
		for k, v := range vats {
			c.change(vatPath(p, k), KindFilled, "", jsonOf(v), receiptVatReason(v.Type))
		}
		c.b.Vats = vats
		return
	}
	if c.opts.Overwrite {
		c.overwriteVats(p)
	}
}

// overwriteVats mends a vats[] the caller gave: entries the service may
// refuse get the value of ReceiptVat, types the items carry are added,
// entries for types no item carries, or given twice, are removed.
func (c *completer) overwriteVats(p string) {
	carried, err := Vats(c.b.Items)
	if err != nil {
		c.fail(c.root, err)
		return
	}
	out := make([]model.Vat, 0, len(carried))
	seen := map[model.VatType]bool{}
	has := func(t model.VatType) bool {
		for _, v := range carried {
			if v.Type == t {
				return true
			}
		}
		return false
	}
	// Paths are those of the result, but a removed entry has none there:
	// it keeps its input path, and an entry that moved up because of a
	// removal says where it was, so that one listing never mixes the two
	// numberings without saying so.
	moved := func(k int, reason string) string {
		if k == len(out) {
			return reason
		}
		return reason + " (vats[" + strconv.Itoa(k) + "] of the input)"
	}
	removed := func(k int, reason string) string {
		if k == len(out) {
			return reason
		}
		return reason + " (the path is the input's)"
	}
	for k, v := range c.b.Vats {
		switch {
		case !v.Type.Known():
			c.fail(vatPath(p, len(out))+".type", wrapf(ErrUnknownRate, "%q%s", v.Type,
				moved(k, "")))
		case seen[v.Type]:
			c.change(vatPath(p, k), KindRemoved, jsonOf(v), "",
				removed(k, string(v.Type)+" is listed twice"))
			continue
		case !has(v.Type):
			c.change(vatPath(p, k), KindRemoved, jsonOf(v), "",
				removed(k, "no item is at "+string(v.Type)))
			continue
		case !VatAcceptable(c.b.Items, v):
			want := ReceiptVat(c.b.Items, v.Type)
			c.change(vatPath(p, len(out))+".sum", KindOverwritten, v.Sum.String(), want.String(),
				moved(k, receiptVatReason(v.Type)))
			v.Sum = want
		}
		seen[v.Type] = true
		out = append(out, v)
	}
	for _, v := range carried {
		if !seen[v.Type] {
			c.change(vatPath(p, len(out)), KindFilled, "", jsonOf(v), receiptVatReason(v.Type))
			out = append(out, v)
		}
	}
	if len(out) > maxVats {
		c.fail(p, errorf("", ErrTooManyVats, "%d VAT types", len(out)).Err)
	}
	c.b.Vats = out
}

func vatPath(p string, k int) string { return p + "[" + strconv.Itoa(k) + "]" }

func receiptVatReason(t model.VatType) string {
	if t.Rate() == 0 {
		return string(t) + " carries no VAT"
	}
	return "VAT of Σ sums at " + string(t)
}

func (c *completer) payment() {
	if !c.opts.Payment || len(c.b.Payments) > 0 {
		return
	}
	p := c.root + ".payments"
	switch c.b.Total.Decimal().Sign() {
	case 0:
		c.fail(p, ErrZeroTotal)
		return
	case -1:
		c.fail(p, wrapf(ErrNegative, "total %s", show(c.b.Total)))
		return
	}
	pay := model.Payment{Type: c.opts.PaymentType, Sum: c.b.Total}
	c.b.Payments = []model.Payment{pay}
	c.change(p+"[0]", KindFilled, "", jsonOf(pay), "one payment for the total")
}

// jsonOf writes v as compact JSON; the model's types always marshal.
func jsonOf(v any) string {
	b, err := model.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// checkRanges returns an [*Error] wrapping [ErrRange] for the first amount
// or quantity in b whose exponent is out of range, before any arithmetic
// touches it.
func checkRanges(root string, b *model.Receipt) error {
	bad := func(path string, vs ...interface{ Decimal() decimal.Decimal }) error {
		for _, v := range vs {
			if !inRange(v.Decimal()) {
				return &Error{Path: path, Err: ErrRange}
			}
		}
		return nil
	}
	for i := range b.Items {
		it := &b.Items[i]
		vs := []interface{ Decimal() decimal.Decimal }{it.Price, it.Quantity, it.Sum}
		if it.Vat.Sum != nil {
			vs = append(vs, *it.Vat.Sum)
		}
		if it.Excise != nil {
			vs = append(vs, *it.Excise)
		}
		if err := bad(root+".items["+strconv.Itoa(i)+"]", vs...); err != nil {
			return err
		}
	}
	for k, v := range b.Vats {
		if err := bad(vatPath(root+".vats", k), v.Sum); err != nil {
			return err
		}
	}
	for k, p := range b.Payments {
		if err := bad(root+".payments["+strconv.Itoa(k)+"]", p.Sum); err != nil {
			return err
		}
	}
	return bad(root+".total", b.Total)
}
