package model

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

// Operation is the kind of document, the last element of the registration URL.
type Operation string

// The eight v5 operations.
const (
	Sell                 Operation = "sell"
	SellRefund           Operation = "sell_refund"
	Buy                  Operation = "buy"
	BuyRefund            Operation = "buy_refund"
	SellCorrection       Operation = "sell_correction"
	BuyCorrection        Operation = "buy_correction"
	SellRefundCorrection Operation = "sell_refund_correction"
	BuyRefundCorrection  Operation = "buy_refund_correction"
)

var operationRU = map[Operation]string{
	Sell:                 "приход",
	SellRefund:           "возврат прихода",
	Buy:                  "расход",
	BuyRefund:            "возврат расхода",
	SellCorrection:       "коррекция прихода",
	BuyCorrection:        "коррекция расхода",
	SellRefundCorrection: "коррекция возврата прихода",
	BuyRefundCorrection:  "коррекция возврата расхода",
}

// Operations lists every operation in the protocol's order.
var Operations = []Operation{Sell, SellRefund, Buy, BuyRefund,
	SellCorrection, BuyCorrection, SellRefundCorrection, BuyRefundCorrection}

// Valid reports whether o is one of the eight operations.
func (o Operation) Valid() bool { _, ok := operationRU[o]; return ok }

// Russian returns the fiscal name of the operation (признак расчёта).
func (o Operation) Russian() string { return operationRU[o] }

// IsCorrection reports whether the body of o is a correction.
func (o Operation) IsCorrection() bool {
	switch o {
	case SellCorrection, BuyCorrection, SellRefundCorrection, BuyRefundCorrection:
		return true
	}
	return false
}

// Base returns the receipt operation a correction corrects (sell for
// sell_correction); other operations return themselves.
func (o Operation) Base() Operation {
	switch o {
	case SellCorrection:
		return Sell
	case BuyCorrection:
		return Buy
	case SellRefundCorrection:
		return SellRefund
	case BuyRefundCorrection:
		return BuyRefund
	}
	return o
}

// SNO is the tax system (tag 1055).
type SNO string

// Tax systems. ENVD was abolished in 2021; it stays readable so that old
// documents decode, and the validator flags it.
const (
	SNOOsn              SNO = "osn"
	SNOUsnIncome        SNO = "usn_income"
	SNOUsnIncomeOutcome SNO = "usn_income_outcome"
	SNOEnvd             SNO = "envd"
	SNOEsn              SNO = "esn"
	SNOPatent           SNO = "patent"
)

var snoRU = map[SNO]string{
	SNOOsn:              "общая СН",
	SNOUsnIncome:        "упрощённая СН (доходы)",
	SNOUsnIncomeOutcome: "упрощённая СН (доходы минус расходы)",
	SNOEnvd:             "единый налог на вменённый доход",
	SNOEsn:              "единый сельскохозяйственный налог",
	SNOPatent:           "патентная СН",
}

// Valid reports whether s is a tax system the format knows (envd included).
func (s SNO) Valid() bool { _, ok := snoRU[s]; return ok }

// Russian returns the name of the tax system.
func (s SNO) Russian() string { return snoRU[s] }

// IsUSN reports whether s is one of the simplified tax systems.
func (s SNO) IsUSN() bool { return s == SNOUsnIncome || s == SNOUsnIncomeOutcome }

// VatType is the VAT rate of an item or of a receipt-level VAT sum (tag 1199).
type VatType string

// VAT rates. The calculated rates (vat110, vat120, ...) are for prepayments.
// vat18 and vat118 were replaced in 2019; they are readable, and Legacy
// reports them.
const (
	VatNone VatType = "none"
	Vat0    VatType = "vat0"
	Vat5    VatType = "vat5"
	Vat7    VatType = "vat7"
	Vat10   VatType = "vat10"
	Vat18   VatType = "vat18"
	Vat20   VatType = "vat20"
	Vat22   VatType = "vat22"
	Vat105  VatType = "vat105"
	Vat107  VatType = "vat107"
	Vat110  VatType = "vat110"
	Vat118  VatType = "vat118"
	Vat120  VatType = "vat120"
	Vat122  VatType = "vat122"
)

type vatInfo struct {
	rate       int64 // percent
	calculated bool
	legacy     bool
	ru         string
}

var vatTypes = map[VatType]vatInfo{
	VatNone: {0, false, false, "без НДС"},
	Vat0:    {0, false, false, "НДС 0%"},
	Vat5:    {5, false, false, "НДС 5%"},
	Vat7:    {7, false, false, "НДС 7%"},
	Vat10:   {10, false, false, "НДС 10%"},
	Vat18:   {18, false, true, "НДС 18% (до 2019 года)"},
	Vat20:   {20, false, false, "НДС 20%"},
	Vat22:   {22, false, false, "НДС 22%"},
	Vat105:  {5, true, false, "НДС 5/105"},
	Vat107:  {7, true, false, "НДС 7/107"},
	Vat110:  {10, true, false, "НДС 10/110"},
	Vat118:  {18, true, true, "НДС 18/118 (до 2019 года)"},
	Vat120:  {20, true, false, "НДС 20/120"},
	Vat122:  {22, true, false, "НДС 22/122"},
}

// VatTypes lists the current VAT types (not the legacy ones).
var VatTypes = []VatType{VatNone, Vat0, Vat5, Vat7, Vat10, Vat20, Vat22,
	Vat105, Vat107, Vat110, Vat120, Vat122}

// Valid reports whether v is a VAT type the format knows today. The legacy
// vat18 and vat118 are not valid.
func (v VatType) Valid() bool { i, ok := vatTypes[v]; return ok && !i.legacy }

// Known reports whether v is any VAT type, legacy ones included.
func (v VatType) Known() bool { _, ok := vatTypes[v]; return ok }

// Legacy reports whether v is a rate that is no longer in force (vat18, vat118).
func (v VatType) Legacy() bool { return vatTypes[v].legacy }

// Rate returns the rate in percent: 22 for vat22 and vat122, 0 for vat0 and none.
func (v VatType) Rate() int64 { return vatTypes[v].rate }

// Calculated reports whether v is a calculated rate (x/1xx).
func (v VatType) Calculated() bool { return vatTypes[v].calculated }

// Russian returns the name of the rate.
func (v VatType) Russian() string { return vatTypes[v].ru }

// PaymentMethod is the settlement method of an item (tag 1214).
type PaymentMethod string

// Payment methods.
const (
	FullPrepayment PaymentMethod = "full_prepayment"
	Prepayment     PaymentMethod = "prepayment"
	Advance        PaymentMethod = "advance"
	FullPayment    PaymentMethod = "full_payment"
	PartialPayment PaymentMethod = "partial_payment"
	Credit         PaymentMethod = "credit"
	CreditPayment  PaymentMethod = "credit_payment"
)

var paymentMethodRU = map[PaymentMethod]string{
	FullPrepayment: "предоплата 100%",
	Prepayment:     "частичная предоплата",
	Advance:        "аванс",
	FullPayment:    "полный расчёт",
	PartialPayment: "частичный расчёт и кредит",
	Credit:         "передача в кредит",
	CreditPayment:  "оплата кредита",
}

// PaymentMethods lists every payment method.
var PaymentMethods = []PaymentMethod{FullPrepayment, Prepayment, Advance,
	FullPayment, PartialPayment, Credit, CreditPayment}

// Valid reports whether m is a payment method the format knows.
func (m PaymentMethod) Valid() bool { _, ok := paymentMethodRU[m]; return ok }

// Russian returns the name of the method.
func (m PaymentMethod) Russian() string { return paymentMethodRU[m] }

// IsPrepayment reports whether m settles before the goods are handed over, so
// that the item's VAT is at a calculated rate.
func (m PaymentMethod) IsPrepayment() bool {
	return m == FullPrepayment || m == Prepayment || m == Advance
}

// PaymentObject is the subject of settlement (tag 1212): 1–27 and 30–33.
type PaymentObject int

// The payment objects the rules refer to by name.
const (
	ObjectGoods              PaymentObject = 1
	ObjectExcise             PaymentObject = 2
	ObjectWork               PaymentObject = 3
	ObjectService            PaymentObject = 4
	ObjectPayment            PaymentObject = 10
	ObjectExciseMarkedNoCode PaymentObject = 30
	ObjectExciseMarked       PaymentObject = 31
	ObjectMarkedNoCode       PaymentObject = 32
	ObjectMarked             PaymentObject = 33
)

var paymentObjectRU = map[PaymentObject]string{
	1:  "товар",
	2:  "подакцизный товар",
	3:  "работа",
	4:  "услуга",
	5:  "ставка азартной игры",
	6:  "выигрыш азартной игры",
	7:  "лотерейный билет",
	8:  "выигрыш лотереи",
	9:  "предоставление РИД",
	10: "платёж",
	11: "агентское вознаграждение",
	12: "выплата",
	13: "иной предмет расчёта",
	14: "имущественное право",
	15: "внереализационный доход",
	16: "иные платежи и взносы",
	17: "торговый сбор",
	18: "курортный сбор (туристический налог)",
	19: "залог",
	20: "расход",
	21: "взносы на ОПС ИП",
	22: "взносы на ОПС",
	23: "взносы на ОМС ИП",
	24: "взносы на ОМС",
	25: "взносы на ОСС",
	26: "платёж казино",
	27: "выдача денежных средств",
	30: "подакцизный товар, подлежащий маркировке, без кода",
	31: "подакцизный товар, подлежащий маркировке, с кодом",
	32: "товар, подлежащий маркировке, без кода",
	33: "товар, подлежащий маркировке, с кодом",
}

// Valid reports whether p is 1–27 or 30–33.
func (p PaymentObject) Valid() bool { _, ok := paymentObjectRU[p]; return ok }

// Russian returns the name of the payment object.
func (p PaymentObject) Russian() string { return paymentObjectRU[p] }

// Marked reports whether p is a good subject to mandatory marking (30–33).
func (p PaymentObject) Marked() bool { return p >= 30 && p <= 33 }

// WithCode reports whether p is a marked good sold with its code (31, 33).
func (p PaymentObject) WithCode() bool { return p == 31 || p == 33 }

// Excise reports whether p is an excise good (2, 30, 31).
func (p PaymentObject) Excise() bool { return p == 2 || p == 30 || p == 31 }

// Measure is the unit of quantity (tag 2108).
type Measure int

// Units the rules refer to by name.
const (
	MeasurePiece    Measure = 0
	MeasureKilogram Measure = 11
	MeasureOther    Measure = 255
)

var measureRU = map[Measure]string{
	0: "шт.", 10: "г", 11: "кг", 12: "т", 20: "см", 21: "дм", 22: "м",
	30: "кв. см", 31: "кв. дм", 32: "кв. м", 40: "мл", 41: "л", 42: "куб. м",
	50: "кВт·ч", 51: "Гкал", 70: "сутки", 71: "час", 72: "мин", 73: "с",
	80: "Кбайт", 81: "Мбайт", 82: "Гбайт", 83: "Тбайт", 255: "иная единица",
}

// Valid reports whether m is a unit of the format's table.
func (m Measure) Valid() bool { _, ok := measureRU[m]; return ok }

// Russian returns the unit's short name.
func (m Measure) Russian() string { return measureRU[m] }

// PaymentType is the kind of a payment (payments[].type).
type PaymentType int

// Payment types 0–4; 5–9 are extended kinds that the service maps onto them.
const (
	PaymentCash       PaymentType = 0
	PaymentElectronic PaymentType = 1
	PaymentPrepaid    PaymentType = 2
	PaymentCredit     PaymentType = 3
	PaymentOther      PaymentType = 4
)

var paymentTypeRU = map[PaymentType]string{
	0: "наличными",
	1: "безналичными",
	2: "зачёт предоплаты (аванса)",
	3: "постоплата (кредит)",
	4: "встречное предоставление",
	5: "расширенный вид оплаты 5", 6: "расширенный вид оплаты 6",
	7: "расширенный вид оплаты 7", 8: "расширенный вид оплаты 8",
	9: "расширенный вид оплаты 9",
}

// Valid reports whether t is 0–9.
func (t PaymentType) Valid() bool { return t >= 0 && t <= 9 }

// Russian returns the name of the payment type.
func (t PaymentType) Russian() string { return paymentTypeRU[t] }

// AgentType is the agent sign of an item (tag 1222).
type AgentType string

// Agent types.
const (
	AgentBankPaying    AgentType = "bank_paying_agent"
	AgentBankPayingSub AgentType = "bank_paying_subagent"
	AgentPaying        AgentType = "paying_agent"
	AgentPayingSub     AgentType = "paying_subagent"
	AgentAttorney      AgentType = "attorney"
	AgentCommission    AgentType = "commission_agent"
	AgentAnother       AgentType = "another"
)

var agentTypeRU = map[AgentType]string{
	AgentBankPaying:    "банковский платёжный агент",
	AgentBankPayingSub: "банковский платёжный субагент",
	AgentPaying:        "платёжный агент",
	AgentPayingSub:     "платёжный субагент",
	AgentAttorney:      "поверенный",
	AgentCommission:    "комиссионер",
	AgentAnother:       "иной агент",
}

// Valid reports whether a is an agent type of the format.
func (a AgentType) Valid() bool { _, ok := agentTypeRU[a]; return ok }

// Russian returns the name of the agent type.
func (a AgentType) Russian() string { return agentTypeRU[a] }

// Paying reports whether a is one of the four paying-agent types, which need
// the supplier's name and phones.
func (a AgentType) Paying() bool {
	switch a {
	case AgentBankPaying, AgentBankPayingSub, AgentPaying, AgentPayingSub:
		return true
	}
	return false
}

// CorrectionType is the kind of correction (tag 1173).
type CorrectionType string

// Correction types.
const (
	CorrectionSelf        CorrectionType = "self"
	CorrectionInstruction CorrectionType = "instruction"
)

// Valid reports whether c is self or instruction.
func (c CorrectionType) Valid() bool { return c == CorrectionSelf || c == CorrectionInstruction }

// Russian returns the name of the correction type.
func (c CorrectionType) Russian() string {
	switch c {
	case CorrectionSelf:
		return "самостоятельно"
	case CorrectionInstruction:
		return "по предписанию"
	}
	return ""
}

// ReportStatus is the state of a registered document.
type ReportStatus string

// Report statuses.
const (
	StatusWait ReportStatus = "wait"
	StatusDone ReportStatus = "done"
	StatusFail ReportStatus = "fail"
)

// Valid reports whether s is wait, done or fail.
func (s ReportStatus) Valid() bool { return s == StatusWait || s == StatusDone || s == StatusFail }

// Russian returns the name of the status.
func (s ReportStatus) Russian() string {
	switch s {
	case StatusWait:
		return "в обработке"
	case StatusDone:
		return "зарегистрирован"
	case StatusFail:
		return "ошибка"
	}
	return ""
}

// ErrorType is the class of a service error.
type ErrorType string

// Error types seen in service answers.
const (
	ErrorUnknown ErrorType = "unknown"
	ErrorSystem  ErrorType = "system"
	ErrorDriver  ErrorType = "driver"
	ErrorTimeout ErrorType = "timeout"
	ErrorAgent   ErrorType = "agent"
	ErrorNone    ErrorType = "none"
)

// Valid reports whether e is an error type the service uses.
func (e ErrorType) Valid() bool {
	switch e {
	case ErrorUnknown, ErrorSystem, ErrorDriver, ErrorTimeout, ErrorAgent, ErrorNone:
		return true
	}
	return false
}

// Russian returns the name of the error class.
func (e ErrorType) Russian() string {
	switch e {
	case ErrorUnknown:
		return "неизвестная ошибка"
	case ErrorSystem:
		return "ошибка сервиса"
	case ErrorDriver:
		return "ошибка кассы"
	case ErrorTimeout:
		return "истекло время ожидания"
	case ErrorAgent:
		return "ошибка агента"
	case ErrorNone:
		return "нет ошибки"
	}
	return ""
}

// String returns the number as text.
func (p PaymentObject) String() string { return strconv.Itoa(int(p)) }

// String returns the number as text.
func (m Measure) String() string { return strconv.Itoa(int(m)) }

// String returns the number as text.
func (t PaymentType) String() string { return strconv.Itoa(int(t)) }

// Timezone is the time zone of a settlement (tag 1011), the value of
// [Receipt].Timezone, counted from Moscow: 1 is MSK−1 (UTC+2), 2 is Moscow
// itself and 11 is MSK+9 (UTC+12).
type Timezone int

// Valid reports whether z is 1–11.
func (z Timezone) Valid() bool { return z >= 1 && z <= 11 }

// UTCOffset returns the zone's offset from UTC in hours (3 for Moscow), or 0
// for an invalid zone.
func (z Timezone) UTCOffset() int {
	if !z.Valid() {
		return 0
	}
	return int(z) + 1
}

// Russian returns the zone as Russian clocks name it, "МСК+1 (UTC+4)".
func (z Timezone) Russian() string {
	switch {
	case !z.Valid():
		return ""
	case z == 2:
		return "МСК (UTC+3)"
	case z == 1:
		return "МСК−1 (UTC+2)"
	}
	return "МСК+" + itoa(int(z)-2) + " (UTC+" + itoa(z.UTCOffset()) + ")"
}

// DocumentCode is the kind of the buyer's identity document (tag 1245), the
// value of [Client].DocumentCode.
type DocumentCode string

var documentCodeRU = map[DocumentCode]string{
	"21": "паспорт гражданина России",
	"22": "паспорт гражданина России для выезда за рубеж, " +
		"дипломатический или служебный",
	"26": "временное удостоверение личности гражданина России",
	"27": "свидетельство о рождении гражданина России (до 14 лет)",
	"28": "иной документ гражданина России",
	"31": "паспорт иностранного гражданина",
	"32": "иной документ иностранного гражданина",
	"33": "документ лица без гражданства, выданный " +
		"иностранным государством",
	"34": "вид на жительство лица без гражданства",
	"35": "разрешение на временное проживание лица без " +
		"гражданства",
	"36": "свидетельство о рассмотрении ходатайства о " +
		"признании беженцем",
	"37": "удостоверение беженца",
	"38": "иной документ лица без гражданства",
	"40": "документ на время рассмотрения заявления о " +
		"гражданстве",
}

// Valid reports whether c is a code of the format's table of documents.
func (c DocumentCode) Valid() bool { _, ok := documentCodeRU[c]; return ok }

// Russian returns the kind of document.
func (c DocumentCode) Russian() string { return documentCodeRU[c] }
