package model_test

import (
	"slices"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
)

// enum is what every enumeration of the model offers.
type enum interface {
	Valid() bool
	Russian() string
}

// checkEnum checks that every value of valid is valid with a Russian
// meaning, that the meanings differ, and that every value of invalid is
// rejected with none.
func checkEnum[E enum](t *testing.T, valid, invalid []E) {
	t.Helper()
	meanings := map[string]E{}
	for _, v := range valid {
		if !v.Valid() {
			t.Errorf("%v: Valid() = false, want true", v)
		}
		ru := v.Russian()
		if ru == "" {
			t.Errorf("%v: no Russian meaning", v)
		}
		if prev, dup := meanings[ru]; dup {
			t.Errorf("%v and %v share the meaning %q", prev, v, ru)
		}
		meanings[ru] = v
	}
	for _, v := range invalid {
		if v.Valid() {
			t.Errorf("%v: Valid() = true, want false", v)
		}
		if ru := v.Russian(); ru != "" {
			t.Errorf("%v: Russian() = %q for an invalid value", v, ru)
		}
	}
}

func TestEnums(t *testing.T) {
	t.Run("Operation", func(t *testing.T) {
		checkEnum(t, []model.Operation{"sell", "sell_refund", "buy", "buy_refund",
			"sell_correction", "buy_correction", "sell_refund_correction", "buy_refund_correction"},
			[]model.Operation{"", "Sell", "sell ", "refund", "correction"})
		if !slices.Equal(model.Operations, []model.Operation{model.Sell, model.SellRefund,
			model.Buy, model.BuyRefund, model.SellCorrection, model.BuyCorrection,
			model.SellRefundCorrection, model.BuyRefundCorrection}) {
			t.Errorf("Operations = %v", model.Operations)
		}
	})
	t.Run("SNO", func(t *testing.T) {
		checkEnum(t, []model.SNO{"osn", "usn_income", "usn_income_outcome", "envd", "esn",
			"patent"}, []model.SNO{"", "OSN", "usn", "eshn"})
	})
	t.Run("VatType", func(t *testing.T) {
		current := []model.VatType{"none", "vat0", "vat5", "vat7", "vat10", "vat20", "vat22",
			"vat105", "vat107", "vat110", "vat120", "vat122"}
		checkEnum(t, current, []model.VatType{"", "vat", "vat15", "vat115", "VAT20", "vat 20",
			"vat12"})
		if !slices.Equal(model.VatTypes, current) {
			t.Errorf("VatTypes = %v", model.VatTypes)
		}
		// The rates replaced in 2019 are read, and flagged.
		for _, v := range []model.VatType{model.Vat18, model.Vat118} {
			if v.Valid() || !v.Known() || !v.Legacy() || v.Rate() != 18 {
				t.Errorf("%s: Valid %v Known %v Legacy %v Rate %d", v, v.Valid(), v.Known(),
					v.Legacy(), v.Rate())
			}
			if v.Russian() == "" {
				t.Errorf("%s has no Russian meaning", v)
			}
		}
		for _, v := range current {
			if !v.Known() || v.Legacy() {
				t.Errorf("%s: Known %v Legacy %v", v, v.Known(), v.Legacy())
			}
		}
	})
	t.Run("PaymentMethod", func(t *testing.T) {
		checkEnum(t, []model.PaymentMethod{"full_prepayment", "prepayment", "advance",
			"full_payment", "partial_payment", "credit", "credit_payment"},
			[]model.PaymentMethod{"", "payment", "FULL_PAYMENT", "prepaid"})
	})
	t.Run("PaymentObject", func(t *testing.T) {
		var valid []model.PaymentObject
		for p := model.PaymentObject(1); p <= 27; p++ {
			valid = append(valid, p)
		}
		valid = append(valid, 30, 31, 32, 33)
		checkEnum(t, valid, []model.PaymentObject{-1, 0, 28, 29, 34, 255})
	})
	t.Run("Measure", func(t *testing.T) {
		checkEnum(t, []model.Measure{0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51,
			70, 71, 72, 73, 80, 81, 82, 83, 255},
			[]model.Measure{-1, 1, 9, 13, 23, 33, 43, 52, 60, 74, 84, 254, 256})
	})
	t.Run("PaymentType", func(t *testing.T) {
		checkEnum(t, []model.PaymentType{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
			[]model.PaymentType{-1, 10, 99})
	})
	t.Run("AgentType", func(t *testing.T) {
		checkEnum(t, []model.AgentType{"bank_paying_agent", "bank_paying_subagent",
			"paying_agent", "paying_subagent", "attorney", "commission_agent", "another"},
			[]model.AgentType{"", "agent", "none", "Attorney"})
	})
	t.Run("CorrectionType", func(t *testing.T) {
		checkEnum(t, []model.CorrectionType{"self", "instruction"},
			[]model.CorrectionType{"", "Self", "order"})
	})
	t.Run("ReportStatus", func(t *testing.T) {
		checkEnum(t, []model.ReportStatus{"wait", "done", "fail"},
			[]model.ReportStatus{"", "ok", "error", "Done"})
	})
	t.Run("ErrorType", func(t *testing.T) {
		checkEnum(t, []model.ErrorType{"unknown", "system", "driver", "timeout", "agent", "none"},
			[]model.ErrorType{"", "kkt", "System"})
	})
	t.Run("MarkCodeKind", func(t *testing.T) {
		kinds := []model.MarkCodeKind{"unknown", "ean8", "ean13", "itf14", "gs10", "gs1m",
			"short", "fur", "egais20", "egais30"}
		checkEnum(t, kinds, []model.MarkCodeKind{"", "ean", "gs1", "egais", "EAN8"})
		for i, k := range kinds {
			if got := k.Tag(); got != 1300+i {
				t.Errorf("%s: tag %d, want %d", k, got, 1300+i)
			}
		}
		c := &model.MarkCode{GS10: "0104601234567890", EGAIS30: "11111111111111"}
		if got := c.Kinds(); !slices.Equal(got, []model.MarkCodeKind{model.MarkKindGS10,
			model.MarkKindEGAIS30}) {
			t.Errorf("Kinds() = %v", got)
		}
		if got := c.Value(model.MarkKindGS10); got != c.GS10 {
			t.Errorf("Value(gs10) = %q", got)
		}
	})
	t.Run("PlannedStatus", func(t *testing.T) {
		checkEnum(t, []model.PlannedStatus{1, 2, 3, 4, 5, 6}, []model.PlannedStatus{0, 7, -1})
	})
	t.Run("Timezone", func(t *testing.T) {
		var valid []model.Timezone
		for z := model.Timezone(1); z <= 11; z++ {
			valid = append(valid, z)
		}
		checkEnum(t, valid, []model.Timezone{0, 12, -3})
		for _, tc := range []struct {
			z      model.Timezone
			offset int
			ru     string
		}{{1, 2, "МСК−1 (UTC+2)"}, {2, 3, "МСК (UTC+3)"}, {3, 4, "МСК+1 (UTC+4)"},
			{11, 12, "МСК+9 (UTC+12)"}, {12, 0, ""}} {
			if tc.z.UTCOffset() != tc.offset || tc.z.Russian() != tc.ru {
				t.Errorf("%d: offset %d %q, want %d %q", tc.z, tc.z.UTCOffset(), tc.z.Russian(),
					tc.offset, tc.ru)
			}
		}
	})
	t.Run("DocumentCode", func(t *testing.T) {
		checkEnum(t, []model.DocumentCode{"21", "22", "26", "27", "28", "31", "32", "33", "34",
			"35", "36", "37", "38", "40"}, []model.DocumentCode{"", "1", "23", "29", "39", "021"})
	})
	t.Run("MarkCheckResult", func(t *testing.T) {
		checkEnum(t, []model.MarkCheckResult{0, 1, 3, 5, 7, 15, 16, 17, 19},
			[]model.MarkCheckResult{2, 4, 6, 8, 14, 18, 20, -1})
	})
}

// TestEnumHelpers pins the helpers the rules build on.
func TestEnumHelpers(t *testing.T) {
	for _, op := range model.Operations {
		if op.IsCorrection() != (op.Base() != op) {
			t.Errorf("%s: IsCorrection %v but Base %s", op, op.IsCorrection(), op.Base())
		}
	}
	if model.SellRefundCorrection.Base() != model.SellRefund {
		t.Errorf("Base of sell_refund_correction = %s", model.SellRefundCorrection.Base())
	}
	for v, want := range map[model.VatType]int64{"none": 0, "vat0": 0, "vat5": 5, "vat105": 5,
		"vat7": 7, "vat107": 7, "vat10": 10, "vat110": 10, "vat20": 20, "vat120": 20,
		"vat22": 22, "vat122": 22} {
		if v.Rate() != want {
			t.Errorf("%s: rate %d, want %d", v, v.Rate(), want)
		}
		if calc := len(v) == 6; v.Calculated() != calc {
			t.Errorf("%s: Calculated %v", v, v.Calculated())
		}
	}
	marked := []model.PaymentObject{30, 31, 32, 33}
	for p := model.PaymentObject(1); p <= 33; p++ {
		if p.Marked() != slices.Contains(marked, p) {
			t.Errorf("%d: Marked %v", p, p.Marked())
		}
	}
	if !model.AgentBankPayingSub.Paying() || model.AgentAttorney.Paying() {
		t.Error("Paying() is wrong")
	}
	if !model.SNOUsnIncomeOutcome.IsUSN() || model.SNOPatent.IsUSN() {
		t.Error("IsUSN() is wrong")
	}
	if !model.Advance.IsPrepayment() || model.FullPayment.IsPrepayment() {
		t.Error("IsPrepayment() is wrong")
	}
}
