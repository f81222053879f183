package validate_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// ruleCase is one rule's pair of inputs: ok must come out with no
// violation at all, bad must carry the rule's code at path.
type ruleCase struct {
	code string
	path string
	// start builds the request both variants begin from (base when nil);
	// ok and bad change it. op and okOp/badOp default to sell, or to
	// sell_correction for a correction.
	start       func() *model.Request
	ok, bad     func(r *model.Request)
	okOp, badOp model.Operation
	// okJSON and badJSON replace the request for rules of decoding.
	okJSON, badJSON func(t testing.TB) []byte
}

func agentItem(r *model.Request, a model.AgentType, s *model.SupplierInfo) {
	r.Receipt.Items[0].AgentInfo = &model.AgentInfo{Type: a}
	r.Receipt.Items[0].SupplierInfo = s
}

func item0(r *model.Request) *model.Item { return &r.Body().Items[0] }

func ean13(r *model.Request, code string) { item0(r).MarkCode = &model.MarkCode{EAN13: code} }

func baseDate(r *model.Request, d string) { r.Correction.CorrectionInfo.BaseDate = date(d) }

func withItems(r *model.Request, items ...model.Item) {
	r.Body().Items = items
	recompute(r)
}

func baseJSON(t testing.TB) []byte { return requestJSON(t, base()) }

func editBase(f func(doc map[string]any)) func(t testing.TB) []byte {
	return func(t testing.TB) []byte { return editJSON(t, baseJSON(t), f) }
}

var ruleCases = []ruleCase{
	// Decoding.
	{code: model.CodeSyntax, path: "", okJSON: baseJSON, badJSON: func(t testing.TB) []byte {
		d := baseJSON(t)
		return d[:len(d)-1]
	}},
	{code: model.CodeUnknownField, path: "receipt.items[0].nomenclature_code", okJSON: baseJSON,
		badJSON: editBase(func(d map[string]any) {
			obj(d, "receipt", "items", 0)["nomenclature_code"] = "x"
		})},
	{code: model.CodeMissingField, path: "receipt.total", okJSON: baseJSON,
		badJSON: editBase(func(d map[string]any) { delete(obj(d, "receipt"), "total") })},
	{code: model.CodeWrongType, path: "receipt.total", okJSON: baseJSON,
		badJSON: editBase(func(d map[string]any) { obj(d, "receipt")["total"] = "1220.00" })},
	{code: model.CodeBadNumber, path: "receipt.items[0].measure", okJSON: baseJSON,
		badJSON: editBase(func(d map[string]any) {
			obj(d, "receipt", "items", 0)["measure"] = 0.5
		})},
	{code: model.CodeBadFormat, path: "timestamp", okJSON: baseJSON,
		badJSON: editBase(func(d map[string]any) { d["timestamp"] = "32.12.2026 10:15:00" })},
	{code: model.CodeDuplicateKey, path: "external_id", okJSON: baseJSON,
		badJSON: func(t testing.TB) []byte {
			return []byte(strings.Replace(string(baseJSON(t)), `"external_id":`,
				`"external_id":"a","external_id":`, 1))
		}},
	{code: model.CodeTooDeep, path: "receipt.x", okJSON: baseJSON,
		badJSON: func(t testing.TB) []byte {
			deep := strings.Repeat("[", 70) + strings.Repeat("]", 70)
			return []byte(strings.Replace(string(baseJSON(t)), `"receipt":{`,
				`"receipt":{"x":`+deep+`,`, 1))
		}},
	{code: model.CodeBadUTF8, path: "external_id", okJSON: baseJSON,
		badJSON: func(t testing.TB) []byte {
			return []byte(strings.Replace(string(baseJSON(t)), "ord-1001", "ord-\xff", 1))
		}},
	{code: model.CodeControl, path: "external_id", okJSON: baseJSON,
		badJSON: func(t testing.TB) []byte {
			return []byte(strings.Replace(string(baseJSON(t)), "ord-1001", `ord-\u0000`, 1))
		}},
	{code: validate.CodeProblemsOmitted, path: "", okJSON: baseJSON,
		badJSON: func(t testing.TB) []byte { return unknownKeys(t, 1500) }},

	{code: validate.CodeEmptyValue, path: "receipt.client.phone", okJSON: baseJSON,
		badJSON: editBase(func(d map[string]any) { obj(d, "receipt", "client")["phone"] = "" })},

	// The document.
	{code: "operation_unknown", path: "operation", okOp: model.Sell, badOp: "refund",
		ok: func(*model.Request) {}, bad: func(*model.Request) {}},
	{code: "root_operation", path: "receipt", okOp: model.Sell, badOp: model.SellCorrection,
		ok: func(*model.Request) {}, bad: func(*model.Request) {}},
	{code: "date_format", path: "timestamp",
		ok:  func(r *model.Request) { r.Timestamp = ts("04.12.2026 10:15:00") },
		bad: func(r *model.Request) { r.Timestamp = ts("2026-12-04T10:15:00+03:00") }},
	{code: "callback_url", path: "service.callback_url",
		ok: func(r *model.Request) {
			r.Service = &model.Service{CallbackURL: "https://shop.example.test/fiscal/cb"}
		},
		bad: func(r *model.Request) { r.Service = &model.Service{CallbackURL: "ftp://shop"} }},

	// Values of single fields.
	{code: "required", path: "receipt.items[0].name",
		ok:  func(r *model.Request) { item0(r).Name = "x" },
		bad: func(r *model.Request) { item0(r).Name = "  " }},
	{code: "length", path: "receipt.items[0].name",
		// 128 Cyrillic letters are 256 bytes: the limit counts characters.
		ok:  func(r *model.Request) { item0(r).Name = runes('Ж', 128) },
		bad: func(r *model.Request) { item0(r).Name = runes('Ж', 129) }},
	{code: "enum", path: "receipt.items[0].payment_method",
		ok:  func(r *model.Request) { item0(r).PaymentMethod = model.PartialPayment },
		bad: func(r *model.Request) { item0(r).PaymentMethod = "full" }},
	{code: "int_range", path: "receipt.timezone",
		ok:  func(r *model.Request) { r.Receipt.Timezone = intp(11) },
		bad: func(r *model.Request) { r.Receipt.Timezone = intp(12) }},
	{code: "count", path: "receipt.payments",
		ok: func(r *model.Request) {
			r.Receipt.Payments = nil
			for range 10 {
				r.Receipt.Payments = append(r.Receipt.Payments, model.Payment{Sum: m("122.00")})
			}
		},
		bad: func(r *model.Request) {
			r.Receipt.Payments = nil
			for range 11 {
				r.Receipt.Payments = append(r.Receipt.Payments, model.Payment{Sum: m("110.00")})
			}
		}},
	{code: "money_range", path: "receipt.items[0].price",
		ok: func(r *model.Request) {
			item0(r).Price = m("42949672.95")
			recompute(r)
		},
		bad: func(r *model.Request) {
			item0(r).Price = m("42949672.96")
			recompute(r)
		}},
	{code: "money_scale", path: "receipt.items[0].price",
		ok:  func(r *model.Request) { item0(r).Price = m("1220.000") },
		bad: func(r *model.Request) { item0(r).Price = m("1220.001") }},
	{code: "quantity_range", path: "receipt.items[0].quantity",
		ok: func(r *model.Request) {
			item0(r).Price, item0(r).Quantity = m("0.01"), q("99999.999")
			recompute(r)
		},
		bad: func(r *model.Request) {
			item0(r).Price, item0(r).Quantity = m("0.01"), q("100000")
			recompute(r)
		}},
	{code: "quantity_scale", path: "receipt.items[0].quantity",
		ok:  func(r *model.Request) { item0(r).Quantity = q("1.000") },
		bad: func(r *model.Request) { item0(r).Quantity = q("1.0001") }},
	{code: "email", path: "receipt.client.email",
		ok:  func(r *model.Request) { r.Receipt.Client.Email = "none" },
		bad: func(r *model.Request) { r.Receipt.Client.Email = "buyer@@example.test" }},
	{code: "phone", path: "receipt.client.phone",
		ok:  func(r *model.Request) { r.Receipt.Client.Phone = "+79001234567" },
		bad: func(r *model.Request) { r.Receipt.Client.Phone = "+7 900 1234567" }},
	{code: "inn_format", path: "receipt.company.inn",
		ok:  func(r *model.Request) { r.Receipt.Company.INN = "771234567859" },
		bad: func(r *model.Request) { r.Receipt.Company.INN = "770149382" }},
	{code: "inn_checksum", path: "receipt.company.inn",
		ok:  func(r *model.Request) { r.Receipt.Company.INN = "7701493822" },
		bad: func(r *model.Request) { r.Receipt.Company.INN = "7701493823" }},
	{code: "inn_zero", path: "receipt.items[0].supplier_info.inn",
		ok: func(r *model.Request) {
			agentItem(r, model.AgentCommission, &model.SupplierInfo{INN: "000000000000",
				Name: "Foreign Ltd"})
		},
		bad: func(r *model.Request) {
			agentItem(r, model.AgentCommission, &model.SupplierInfo{INN: "0000000000",
				Name: "Foreign Ltd"})
		}},
	{code: "country_code", path: "receipt.items[0].country_code",
		ok:  func(r *model.Request) { item0(r).CountryCode = "56 " },
		bad: func(r *model.Request) { item0(r).CountryCode = "RUS" }},
	{code: "federal_id", path: "receipt.sectoral_check_props[0].federal_id",
		ok: func(r *model.Request) {
			r.Receipt.SectoralCheckProps = []model.SectoralProps{{FederalID: "073",
				Date: date("01.02.2024"), Number: "12", Value: "a=b"}}
		},
		bad: func(r *model.Request) {
			r.Receipt.SectoralCheckProps = []model.SectoralProps{{FederalID: "074",
				Date: date("01.02.2024"), Number: "12", Value: "a=b"}}
		}},

	// Product and marking codes.
	{code: "mark_code_kind", path: "receipt.items[0].mark_code",
		ok:  func(r *model.Request) { ean13(r, "4006381333931") },
		bad: func(r *model.Request) { item0(r).MarkCode = &model.MarkCode{} }},
	{code: "mark_code_length", path: "receipt.items[0].mark_code.gs10",
		ok:  func(r *model.Request) { item0(r).MarkCode = &model.MarkCode{GS10: runes('1', 38)} },
		bad: func(r *model.Request) { item0(r).MarkCode = &model.MarkCode{GS10: runes('1', 39)} }},
	{code: "mark_code_format", path: "receipt.items[0].mark_code.ean13",
		ok:  func(r *model.Request) { ean13(r, "4006381333931") },
		bad: func(r *model.Request) { ean13(r, "400638133393X") }},
	{code: "gtin_checksum", path: "receipt.items[0].mark_code.ean13",
		ok:  func(r *model.Request) { ean13(r, "4006381333931") },
		bad: func(r *model.Request) { ean13(r, "4006381333932") }},
	gs1mCase("gs1m_not_base64", "0104601234567893215aBcDe\x1d93XyZw"),
	gs1mCase("gs1m_double_base64", b64(validGS1M)),
	gs1mCase("gs1m_gs_escaped", b64("0104601234567893215Kq(Lx&#x1D;93ab12")),
	gs1mCase("gs1m_gs_missing", b64("0104601234567893215Kq(Lx93ab12")),
	gs1mCase("gs1m_structure", b64("0204601234567893215Kq(Lx\x1d93ab12")),
	gs1mCase("gs1m_charset", b64("0104601234567893215Kq#Lx\x1d93ab12")),

	// Arithmetic.
	{code: "sum_price_quantity", path: "receipt.items[0].sum",
		ok:  func(r *model.Request) {},
		bad: func(r *model.Request) { item0(r).Quantity = q("2") }},
	{code: "total_items", path: "receipt.total",
		ok:  func(r *model.Request) {},
		bad: func(r *model.Request) { r.Receipt.Total = m("1221.00") }},
	{code: "payments_total", path: "receipt.payments",
		ok: func(r *model.Request) {
			r.Receipt.Payments = []model.Payment{{Type: 0, Sum: m("1000.00")},
				{Type: 2, Sum: m("220.00")}}
		},
		bad: func(r *model.Request) { r.Receipt.Payments[0].Sum = m("1300.00") }},
	{code: "total_positive", path: "receipt.total",
		ok: func(r *model.Request) {
			withItems(r, baseItem(), model.Item{Name: "Подарок", Quantity: q("1"),
				PaymentMethod: model.FullPayment, PaymentObject: 1,
				Vat: model.ItemVat{Type: model.Vat22}})
		},
		bad: func(r *model.Request) {
			item0(r).Price = m("0")
			recompute(r)
			r.Receipt.Payments = nil
		}},
	{code: "payment_positive", path: "receipt.payments[1].sum",
		ok: func(r *model.Request) {},
		bad: func(r *model.Request) {
			r.Receipt.Payments = append(r.Receipt.Payments, model.Payment{Sum: m("0.00")})
		}},
	{code: "vat_item_sum", path: "receipt.items[0].vat.sum",
		ok:  func(r *model.Request) { item0(r).Vat.Sum = nil },
		bad: func(r *model.Request) { item0(r).Vat.Sum = mp("220.01") }},
	{code: "vats_sum", path: "receipt.vats[0].sum",
		ok: func(r *model.Request) {
			// 3 × 0.05 at 22%: the rate's total gives 0.03, the items
			// rounded one by one 0.03 as well; both are accepted.
			it := baseItem()
			it.Price, it.Quantity = m("0.05"), q("3")
			withItems(r, it)
		},
		bad: func(r *model.Request) { r.Receipt.Vats[0].Sum = m("219.00") }},
	{code: "vats_rates", path: "receipt.vats[1].type",
		ok: func(r *model.Request) {},
		bad: func(r *model.Request) {
			r.Receipt.Vats = append(r.Receipt.Vats, model.Vat{Type: model.Vat10, Sum: m("0")})
		}},

	// Buyer, agents, suppliers.
	{code: "client_contact", path: "receipt.client",
		ok:  func(r *model.Request) { r.Receipt.Client = &model.Client{Phone: "+79001234567"} },
		bad: func(r *model.Request) { r.Receipt.Client = &model.Client{Email: " "} }},
	{code: "supplier_without_agent", path: "receipt.items[0].supplier_info",
		ok: func(r *model.Request) {
			agentItem(r, model.AgentCommission, &model.SupplierInfo{INN: "7709364346",
				Name: "ООО Комитент"})
		},
		bad: func(r *model.Request) {
			item0(r).SupplierInfo = &model.SupplierInfo{INN: "7709364346", Name: "ООО"}
		}},
	{code: "agent_without_supplier", path: "receipt.items[0].supplier_info",
		ok: func(r *model.Request) {
			agentItem(r, model.AgentAttorney, &model.SupplierInfo{INN: "7709364346",
				Name: "ООО Доверитель"})
		},
		bad: func(r *model.Request) { agentItem(r, model.AgentAttorney, nil) }},
	{code: "supplier_paying_agent", path: "receipt.items[0].supplier_info.phones",
		ok: func(r *model.Request) {
			agentItem(r, model.AgentPaying, &model.SupplierInfo{INN: "7709364346",
				Name: "ООО Поставщик", Phones: []string{"+74951234567"}})
		},
		bad: func(r *model.Request) {
			agentItem(r, model.AgentPaying, &model.SupplierInfo{INN: "7709364346",
				Name: "ООО Поставщик"})
		}},
	{code: "supplier_name", path: "receipt.items[0].supplier_info.name",
		ok: func(r *model.Request) {
			agentItem(r, model.AgentCommission, &model.SupplierInfo{INN: "7709364346",
				Name: "ООО Комитент"})
		},
		bad: func(r *model.Request) {
			agentItem(r, model.AgentCommission, &model.SupplierInfo{INN: "7709364346"})
		}},
	{code: "agent_phones", path: "receipt.items[0].agent_info.paying_agent.phones",
		ok: func(r *model.Request) {
			agentItem(r, model.AgentAnother, &model.SupplierInfo{INN: "7709364346", Name: "ООО"})
			item0(r).AgentInfo.PayingAgent = &model.PayingAgent{Operation: "Перевод",
				Phones: []string{"+74951234567", "84951234567"}}
		},
		bad: func(r *model.Request) {
			agentItem(r, model.AgentAnother, &model.SupplierInfo{INN: "7709364346", Name: "ООО"})
			item0(r).AgentInfo.PayingAgent = &model.PayingAgent{Operation: "Перевод"}
		}},

	// Marking and excise.
	{code: "mark_code_required", path: "receipt.items[0].mark_code",
		ok: func(r *model.Request) { withItems(r, markedItem(validGS1M)) },
		bad: func(r *model.Request) {
			withItems(r, markedItem(validGS1M))
			item0(r).MarkCode = nil
		}},
	{code: "mark_processing_mode", path: "receipt.items[0].mark_processing_mode",
		ok: func(r *model.Request) { withItems(r, markedItem(validGS1M)) },
		bad: func(r *model.Request) {
			withItems(r, markedItem(validGS1M))
			item0(r).MarkProcessingMode = ""
		}},
	{code: "mark_code_forbidden", path: "receipt.items[0].mark_code",
		ok: func(r *model.Request) { item0(r).PaymentObject = model.ObjectMarkedNoCode },
		bad: func(r *model.Request) {
			item0(r).PaymentObject = model.ObjectMarkedNoCode
			item0(r).MarkCode = &model.MarkCode{GS1M: validGS1M}
		}},
	{code: "mark_code_object", path: "receipt.items[0].payment_object",
		ok: func(r *model.Request) { withItems(r, markedItem(validGS1M)) },
		bad: func(r *model.Request) {
			withItems(r, markedItem(validGS1M))
			item0(r).PaymentObject = model.ObjectGoods
		}},
	{code: "mark_code_operation", path: "receipt.items[0].mark_code",
		okOp: model.SellRefund, badOp: model.Buy,
		ok:  func(r *model.Request) { withItems(r, markedItem(validGS1M)) },
		bad: func(r *model.Request) { withItems(r, markedItem(validGS1M)) }},
	{code: "marked_piece_quantity", path: "receipt.items[0].quantity",
		ok: func(r *model.Request) { withItems(r, markedItem(validGS1M)) },
		bad: func(r *model.Request) {
			it := markedItem(validGS1M)
			it.Quantity = q("2")
			withItems(r, it)
		}},
	{code: "mark_quantity", path: "receipt.items[0].mark_quantity.numerator",
		ok: func(r *model.Request) {
			withItems(r, markedItem(validGS1M))
			item0(r).MarkQuantity = &model.MarkQuantity{Numerator: 1, Denominator: 10}
		},
		bad: func(r *model.Request) {
			withItems(r, markedItem(validGS1M))
			item0(r).MarkQuantity = &model.MarkQuantity{Numerator: 10, Denominator: 10}
		}},
	{code: "mark_codes_count", path: "receipt.items",
		ok:  func(r *model.Request) { withItems(r, markedItems(100)...) },
		bad: func(r *model.Request) { withItems(r, markedItems(129)...) }},
	{code: "mark_code_duplicate", path: "receipt.items[1].mark_code",
		ok: func(r *model.Request) {
			withItems(r, markedItem(markCode("000001")), markedItem(markCode("000002")))
		},
		bad: func(r *model.Request) {
			withItems(r, markedItem(markCode("000001")), markedItem(markCode("000001")))
		}},
	{code: "permissive_mode_props", path: "receipt.items[0].sectoral_item_props[0].value",
		ok: func(r *model.Request) {
			withItems(r, markedItem(validGS1M))
			item0(r).SectoralItemProps = []model.SectoralProps{{FederalID: "030",
				Date: date("21.11.2023"), Number: "1944",
				Value: "UUID=123e4567-e89b-12d3-a456-426614174000&Time=1764842100000"}}
		},
		bad: func(r *model.Request) {
			withItems(r, markedItem(validGS1M))
			item0(r).SectoralItemProps = []model.SectoralProps{{FederalID: "030",
				Date: date("21.11.2023"), Number: "1944", Value: "UUID=123&Time=now"}}
		}},
	{code: "excise_required", path: "receipt.items[0].excise",
		ok: func(r *model.Request) {
			item0(r).PaymentObject = model.ObjectExcise
			item0(r).Excise = mp("120.00")
		},
		bad: func(r *model.Request) { item0(r).PaymentObject = model.ObjectExcise }},

	// Corrections.
	{code: "base_number_required", path: "correction.correction_info.base_number",
		start: baseCorrection,
		ok: func(r *model.Request) {
			r.Correction.CorrectionInfo.Type = model.CorrectionInstruction
			r.Correction.CorrectionInfo.BaseNumber = "12-34/2026"
		},
		bad: func(r *model.Request) {
			r.Correction.CorrectionInfo.Type = model.CorrectionInstruction
		}},
	{code: "base_date_future", path: "correction.correction_info.base_date",
		start: baseCorrection,
		ok:    func(r *model.Request) { baseDate(r, "04.12.2026") },
		bad:   func(r *model.Request) { baseDate(r, "05.12.2026") }},

	// VAT and tax system.
	{code: "vat_rate_date", path: "receipt.items[0].vat.type",
		okOp: model.SellRefund, badOp: model.Sell,
		ok: func(r *model.Request) {
			item0(r).Vat.Type = model.Vat20
			recompute(r)
		},
		bad: func(r *model.Request) {
			item0(r).Vat.Type = model.Vat20
			recompute(r)
		}},
	{code: "vat_legacy", path: "correction.items[0].vat.type", start: baseCorrection,
		ok: func(r *model.Request) {
			// A correction of a 2018 settlement keeps the rate of 2018.
			r.Correction.CorrectionInfo.BaseDate = date("14.12.2018")
			item0(r).Vat.Type = model.Vat18
			recompute(r)
		},
		bad: func(r *model.Request) {
			item0(r).Vat.Type = model.Vat18
			recompute(r)
		}},
	{code: "vat_calculated_rate", path: "receipt.items[0].vat.type",
		ok: func(r *model.Request) {
			item0(r).PaymentMethod = model.FullPrepayment
			item0(r).Vat.Type = model.Vat122
			recompute(r)
		},
		bad: func(r *model.Request) { item0(r).PaymentMethod = model.FullPrepayment }},
	{code: "vat_usn_rate", path: "receipt.items[0].vat.type",
		ok: func(r *model.Request) {
			r.Receipt.Company.SNO = model.SNOUsnIncome
			item0(r).Vat.Type = model.Vat5
			recompute(r)
		},
		bad: func(r *model.Request) {
			item0(r).Vat.Type = model.Vat5
			recompute(r)
		}},
	{code: "sno_abolished", path: "receipt.company.sno",
		ok:  func(r *model.Request) { r.Receipt.Company.SNO = model.SNOPatent },
		bad: func(r *model.Request) { r.Receipt.Company.SNO = model.SNOEnvd }},
}

func gs1mCase(code, bad string) ruleCase {
	return ruleCase{code: code, path: "receipt.items[0].mark_code.gs1m",
		ok:  func(r *model.Request) { withItems(r, markedItem(validGS1M)) },
		bad: func(r *model.Request) { withItems(r, markedItem(bad)) }}
}

func markedItems(n int) []model.Item {
	items := make([]model.Item, n)
	for i := range items {
		items[i] = markedItem(markCode(serial(i)))
	}
	return items
}

func serial(i int) string {
	s := "00000" + string(rune('A'+i/26%26)) + string(rune('a'+i%26))
	return s[len(s)-6:]
}

func (c ruleCase) run(t *testing.T, ok bool) validate.Result {
	if c.okJSON != nil {
		data := c.badJSON(t)
		if ok {
			data = c.okJSON(t)
		}
		_, res := validate.JSON(data, model.Sell)
		return res
	}
	start := base
	if c.start != nil {
		start = c.start
	}
	r := start()
	op := model.Sell
	if r.Correction != nil {
		op = model.SellCorrection
	}
	change := c.bad
	if ok {
		change = c.ok
		if c.okOp != "" {
			op = c.okOp
		}
	} else if c.badOp != "" {
		op = c.badOp
	}
	change(r)
	return validate.Request(op, r)
}

func TestRules(t *testing.T) {
	for _, c := range ruleCases {
		t.Run(c.code, func(t *testing.T) {
			if res := c.run(t, true); len(res.Violations) > 0 {
				t.Errorf("passing input has violations:%s", dump(res))
			}
			res := c.run(t, false)
			checkMessages(t, res)
			if !has(res, c.code, c.path) {
				t.Errorf("failing input: no %s at %q; got:%s", c.code, c.path, dump(res))
			}
		})
	}
}

// TestCatalogueDocumented keeps the catalogue, RULES.md and the rule
// table above in step: every code has a row and a test case, and every row
// is a code.
func TestCatalogueDocumented(t *testing.T) {
	doc, err := os.ReadFile("RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9_]+)` \\|")
	documented := map[string]bool{}
	for _, mm := range row.FindAllStringSubmatch(string(doc), -1) {
		if documented[mm[1]] {
			t.Errorf("RULES.md lists %s twice", mm[1])
		}
		documented[mm[1]] = true
	}
	tested := map[string]bool{}
	for _, c := range ruleCases {
		tested[c.code] = true
	}
	catalogued := map[string]bool{}
	for _, r := range validate.Catalogue() {
		catalogued[r.Code] = true
		if !documented[r.Code] {
			t.Errorf("%s is not in the table of RULES.md", r.Code)
		}
		if !tested[r.Code] {
			t.Errorf("%s has no entry in ruleCases", r.Code)
		}
		if r.RU == "" || r.EN == "" || (r.Severity != validate.Error &&
			r.Severity != validate.Warning) {
			t.Errorf("%s: incomplete catalogue entry %+v", r.Code, r)
		}
	}
	for code := range documented {
		if !catalogued[code] {
			t.Errorf("RULES.md lists %s, which is not in the catalogue", code)
		}
	}
	for code := range tested {
		if !catalogued[code] {
			t.Errorf("ruleCases tests %s, which is not in the catalogue", code)
		}
	}
}
