package compute

import (
	"time"

	"github.com/evoreceipt/evoreceipt/model"
)

// Dates on which VAT rates changed, in Moscow time.
var (
	// Vat20From is when 20% replaced 18% (vat18, vat118 ended).
	Vat20From = time.Date(2019, 1, 1, 0, 0, 0, 0, model.Moscow)
	// Vat5From is when the 5% and 7% rates for USN payers began.
	Vat5From = time.Date(2025, 1, 1, 0, 0, 0, 0, model.Moscow)
	// Vat22From is when 22% replaced 20% (vat20, vat120 end for new
	// settlements).
	Vat22From = time.Date(2026, 1, 1, 0, 0, 0, 0, model.Moscow)
)

// Calculated returns the calculated twin of a rate (vat22 → vat122), used on
// prepayment lines. Calculated rates, vat0, none and unknown types are
// returned unchanged.
func Calculated(v model.VatType) model.VatType {
	switch v {
	case model.Vat5:
		return model.Vat105
	case model.Vat7:
		return model.Vat107
	case model.Vat10:
		return model.Vat110
	case model.Vat18:
		return model.Vat118
	case model.Vat20:
		return model.Vat120
	case model.Vat22:
		return model.Vat122
	}
	return v
}

// Plain returns the plain rate of a calculated one (vat122 → vat22); other
// types are returned unchanged.
func Plain(v model.VatType) model.VatType {
	switch v {
	case model.Vat105:
		return model.Vat5
	case model.Vat107:
		return model.Vat7
	case model.Vat110:
		return model.Vat10
	case model.Vat118:
		return model.Vat18
	case model.Vat120:
		return model.Vat20
	case model.Vat122:
		return model.Vat22
	}
	return v
}

// RateFor returns the rate a line with payment method m should carry for
// the rate v: the calculated twin for full_prepayment, prepayment and
// advance (Tax Code art. 164 p. 4), the plain rate otherwise.
func RateFor(v model.VatType, m model.PaymentMethod) model.VatType {
	if m.IsPrepayment() {
		return Calculated(v)
	}
	return Plain(v)
}

// InForce reports whether rate v applies to a settlement made at t.
// vat18/vat118 end on 01.01.2019, vat20/vat120 on 01.01.2026, when
// vat22/vat122 begin; vat5, vat7, vat105 and vat107 begin on 01.01.2025.
// none, vat0 and vat10/vat110 are always in force.
func InForce(v model.VatType, t time.Time) bool {
	switch Plain(v) {
	case model.Vat18:
		return t.Before(Vat20From)
	case model.Vat20:
		return !t.Before(Vat20From) && t.Before(Vat22From)
	case model.Vat22:
		return !t.Before(Vat22From)
	case model.Vat5, model.Vat7:
		return !t.Before(Vat5From)
	}
	return v.Known()
}

// RateAt returns the rate in force at t that corresponds to v: vat22 for
// vat20 from 2026 on, vat20 for vat22 before, keeping calculated rates
// calculated. A rate that is in force is returned unchanged.
func RateAt(v model.VatType, t time.Time) model.VatType {
	if InForce(v, t) {
		return v
	}
	calc := v.Calculated()
	var p model.VatType
	switch Plain(v) {
	case model.Vat18, model.Vat20, model.Vat22:
		switch {
		case t.Before(Vat20From):
			p = model.Vat18
		case t.Before(Vat22From):
			p = model.Vat20
		default:
			p = model.Vat22
		}
	default:
		return v
	}
	if calc {
		return Calculated(p)
	}
	return p
}

// RateAllowed reports whether a document of operation op dated t may carry
// rate v. A sale or purchase (sell, buy, or op "") settles at t, so the rate
// must be in force at t ([InForce]). A refund or correction settles again
// for an earlier settlement, which keeps the rate it had (the 2019 switch
// went so: ATOL refused vat18 in new sales and purchases only), so any known
// rate that had begun by t is allowed: vat20 in a 2026 refund of a 2025 sale
// is, vat22 in a 2025 refund is not. When the date of the original
// settlement is known, InForce at that date is the sharper check.
func RateAllowed(op model.Operation, v model.VatType, t time.Time) bool {
	switch op {
	case "", model.Sell, model.Buy:
		return InForce(v, t)
	}
	return v.Known() && !t.Before(RateSince(v))
}

// RateSince returns the day rate v came into force, as [InForce] sees it:
// [Vat22From] for vat22 and vat122, [Vat5From] for vat5, vat7, vat105 and
// vat107, [Vat20From] for vat20 and vat120, and the zero time for the rest
// (none, vat0, vat10, vat110, vat18, vat118) and for unknown types.
func RateSince(v model.VatType) time.Time {
	switch Plain(v) {
	case model.Vat22:
		return Vat22From
	case model.Vat20:
		return Vat20From
	case model.Vat5, model.Vat7:
		return Vat5From
	}
	return time.Time{}
}
