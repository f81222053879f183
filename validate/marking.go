package validate

import (
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

var one = decimal.NewFromInt(1)

// markingCode returns the marking code of an item: the kinds of mark_code
// that the marking system checks (Честный ЗНАК's gs1m and short, fur, the
// ЕГАИС codes). ean8, ean13, itf14, gs10 and unknown are product codes that
// any good may carry.
func markingCode(mc *model.MarkCode) (kind, value string) {
	switch {
	case mc == nil:
	case mc.GS1M != "":
		return "gs1m", mc.GS1M
	case mc.Short != "":
		return "short", mc.Short
	case mc.Fur != "":
		return "fur", mc.Fur
	case mc.EGAIS20 != "":
		return "egais20", mc.EGAIS20
	case mc.EGAIS30 != "":
		return "egais30", mc.EGAIS30
	}
	return "", ""
}

func hasAnyCode(mc *model.MarkCode) bool {
	return mc != nil && (mc.Unknown != "" || mc.EAN8 != "" || mc.EAN13 != "" ||
		mc.ITF14 != "" || mc.GS10 != "" || mc.GS1M != "" || mc.Short != "" ||
		mc.Fur != "" || mc.EGAIS20 != "" || mc.EGAIS30 != "")
}

// marking runs the marking rules of one line.
func (c *checker) marking(i int, it *model.Item) {
	po := it.PaymentObject
	hasCode := hasAnyCode(it.MarkCode)
	kind, _ := markingCode(it.MarkCode)
	marked := kind != "" || (po.WithCode() && hasCode)
	if po.WithCode() {
		if !hasCode {
			c.add(newViolation("mark_code_required", c.itemPath(i, "mark_code"),
				"mark_code", "absent", int(po)))
		}
		if it.MarkProcessingMode == "" {
			c.add(newViolation("mark_processing_mode", c.itemPath(i, "mark_processing_mode"),
				`"0"`, "absent"))
		}
	}
	if (po == model.ObjectExciseMarkedNoCode || po == model.ObjectMarkedNoCode) && hasCode {
		c.add(newViolation("mark_code_forbidden", c.itemPath(i, "mark_code"), "no mark_code",
			string(it.MarkCode.Kinds()[0]), int(po), int(po)+1))
	}
	if kind != "" && po.Valid() && !po.Marked() {
		c.add(newViolation("mark_code_object", c.itemPath(i, "payment_object"), "31 or 33",
			po.String(), int(po)))
	}
	if marked && c.opOK {
		if b := c.op.Base(); b != model.Sell && b != model.SellRefund {
			c.add(newViolation2("mark_code_operation", c.itemPath(i, "mark_code"),
				"sell, sell_refund or their corrections", string(c.op),
				[]any{c.op.Russian()}, []any{c.op}))
		}
	}
	wholesale := it.Wholesale != nil && *it.Wholesale
	if marked && it.Measure == model.MeasurePiece && !wholesale &&
		!it.Quantity.Decimal().Equal(one) && it.MarkQuantity == nil {
		c.add(newViolation("marked_piece_quantity", c.itemPath(i, "quantity"), "1",
			it.Quantity.String()))
	}
	if mq := it.MarkQuantity; mq != nil {
		switch {
		case it.Measure != model.MeasurePiece:
			c.add(newViolation2("mark_quantity", c.itemPath(i, "mark_quantity"), "measure 0",
				"measure "+it.Measure.String(),
				[]any{"дробное количество — только для штучного " +
					"товара (measure 0)"},
				[]any{"a fraction is only for piece goods (measure 0)"}))
		case !hasCode && !po.Marked():
			c.add(newViolation2("mark_quantity", c.itemPath(i, "mark_quantity"),
				"a marked good", "payment_object "+po.String(),
				[]any{"дробное количество указывают только для " +
					"маркированного товара"},
				[]any{"a fraction is given only for a marked good"}))
		case mq.Numerator >= 1 && mq.Denominator >= 1 && mq.Numerator >= mq.Denominator:
			c.add(newViolation2("mark_quantity", c.itemPath(i, "mark_quantity.numerator"),
				"< "+strconv.Itoa(mq.Denominator), strconv.Itoa(mq.Numerator),
				[]any{"числитель должен быть меньше знаменателя"},
				[]any{"the numerator must be less than the denominator"}))
		}
	}
	for j := range it.SectoralItemProps {
		c.permissive(i, j, &it.SectoralItemProps[j])
	}
}

// Permissive mode (разрешительный режим): the requisite that carries the
// answer of the marking system's online check, Government decree 1944 of
// 21.11.2023, federal body 030 (Минпромторг).
const (
	permissiveFederalID = "030"
	permissiveDate      = "21.11.2023"
	permissiveNumber    = "1944"
)

// permissive checks a sectoral requisite that is recognisably the
// permissive-mode one (federal_id 030 with the decree's number or date, or
// a UUID= value).
func (c *checker) permissive(i, j int, sp *model.SectoralProps) {
	if sp.FederalID != permissiveFederalID || !(sp.Number == permissiveNumber ||
		sp.Date.String() == permissiveDate || strings.Contains(sp.Value, "UUID=")) {
		return
	}
	base := c.itemPath(i, "sectoral_item_props["+strconv.Itoa(j)+"]")
	if sp.Date.String() != permissiveDate {
		c.add(newViolation2("permissive_mode_props", base+".date", permissiveDate,
			sp.Date.String(), []any{"дата постановления — 21.11.2023"},
			[]any{"the decree's date is 21.11.2023"}))
	}
	if sp.Number != permissiveNumber {
		c.add(newViolation2("permissive_mode_props", base+".number", permissiveNumber,
			strconv.Quote(sp.Number), []any{"номер постановления — 1944"},
			[]any{"the decree's number is 1944"}))
	}
	if !permissiveValueOK(sp.Value) {
		c.add(newViolation2("permissive_mode_props", base+".value",
			"UUID=<uuid>&Time=<unix time>", clip(sp.Value),
			[]any{"value должен содержать UUID=<идентификатор " +
				"проверки>&Time=<время проверки>"},
			[]any{"value must hold UUID=<check id>&Time=<check time>"}))
	}
}

// permissiveValueOK wants UUID=<8-4-4-4-12 hex> and Time=<digits> among
// the &-separated pairs.
func permissiveValueOK(v string) bool {
	var uuid, tm bool
	for _, kv := range strings.Split(v, "&") {
		k, val, _ := strings.Cut(kv, "=")
		switch k {
		case "UUID":
			uuid = uuidOK(val)
		case "Time":
			tm = isDigits(val)
		}
	}
	return uuid && tm
}

// receiptMarking counts the receipt's marking codes and finds repeats.
func (c *checker) receiptMarking() {
	n := 0
	var seen map[string]int
	first := -1
	for i := range c.body.Items {
		kind, val := markingCode(c.body.Items[i].MarkCode)
		if kind == "" {
			continue
		}
		n++
		if first < 0 {
			// Most receipts carry one code or none: no map for them.
			first = i
			continue
		}
		if seen == nil {
			seen = map[string]int{}
			k0, v0 := markingCode(c.body.Items[first].MarkCode)
			seen[k0+":"+v0] = first
		}
		key := kind + ":" + val
		if j, dup := seen[key]; dup {
			other := c.itemPath(j, "mark_code")
			c.add(newViolation("mark_code_duplicate", c.itemPath(i, "mark_code"),
				"a code not used on another line", "same as "+other, other))
			continue
		}
		seen[key] = i
	}
	if n > 128 {
		c.add(newViolation("mark_codes_count", c.path("items"), "≤ 128", strconv.Itoa(n), n))
	}
}
