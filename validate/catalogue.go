package validate

import (
	"fmt"

	"github.com/evoreceipt/evoreceipt/model"
)

// Rule is one entry of the catalogue: a stable code, its default severity,
// and the message templates (fmt verbs take the rule's arguments).
type Rule struct {
	Code     string
	Severity Severity
	RU, EN   string
}

// Catalogue returns every rule, in the order of the documentation table
// (validate/RULES.md).
func Catalogue() []Rule { return append([]Rule(nil), rules...) }

// Lookup returns the rule with the code, if there is one.
func Lookup(code string) (Rule, bool) {
	r, ok := ruleIndex[code]
	return r, ok
}

// rules is the catalogue. Keep it in the order of RULES.md; a test checks
// that every code here has a row there and a test case.
var rules = []Rule{
	// Decoding. The codes are the ones model.DecodeError uses; the messages
	// are built from the decoder's code, expected and actual values.
	{model.CodeSyntax, Error, "JSON не разобран: %s", "malformed JSON: %s"},
	{model.CodeUnknownField, Error,
		"поле %s не определено форматом; сервис отклонит запрос",
		"key %s is not defined by the format; the service rejects it"},
	{model.CodeMissingField, Error, "обязательное поле %s отсутствует",
		"required key %s is missing"},
	{model.CodeWrongType, Error, "неверный тип значения: ожидается %s, " +
		"получено %s%s",
		"wrong type of value: want %s, got %s%s"},
	{model.CodeBadNumber, Error, "число %s здесь недопустимо: ожидается %s",
		"number %s is not allowed here: want %s"},
	{model.CodeBadFormat, Error, "значение %s не соответствует формату %s",
		"value %s does not match the form %s"},
	{model.CodeDuplicateKey, Error, "поле %s повторяется", "key %s appears twice"},
	{model.CodeTooDeep, Error, "слишком глубокая вложенность " +
		"объектов и массивов",
		"objects and arrays are nested too deep"},
	{model.CodeBadUTF8, Error, "строка не в кодировке UTF-8", "string is not valid UTF-8"},
	{model.CodeControl, Error,
		"строка содержит управляющий символ %s (перевод " +
			"строки, табуляция, NUL и т. п.)",
		"string holds the control character %s (line break, tab, NUL and the like)"},
	{CodeProblemsOmitted, Error,
		"не перечислено ещё проблем разбора: %d (показаны первые %d)",
		"%d more decoding problems are not listed (the first %d are)"},

	{CodeEmptyValue, Error,
		"пустое значение здесь недопустимо: уберите поле " +
			"или укажите значение",
		"an empty value is not allowed here: leave the key out or give a value"},

	// The document as a whole.
	{"operation_unknown", Error, "операция %s не поддерживается протоколом v5",
		"operation %s is not one of the v5 operations"},
	{"root_operation", Error, "для операции %s тело запроса " +
		"передаётся в ключе %s",
		"operation %s carries its document under the key %s"},
	{"date_format", Error, "%s: %s; сервис принимает только %s",
		"%s: %s; the service accepts only %s"},
	{"callback_url", Warning,
		"callback_url не соответствует маске сервиса: документ " +
			"примут, но уведомление не придёт",
		"callback_url does not match the service's mask: the document is accepted, " +
			"but no callback is sent"},

	// Values of single fields (go-playground/validator tags).
	{"required", Error, "поле %s обязательно и не может быть пустым",
		"%s is required and must not be empty"},
	{"length", Error, "%s: %d симв., допускается не более %d",
		"%s is %d characters long; at most %d allowed"},
	{"enum", Error, "значение %s не входит в перечисление формата",
		"%s is not one of the format's values"},
	{"int_range", Error, "%s вне допустимого диапазона %s", "%s is outside %s"},
	{"count", Error, "в массиве %s %d элем., допускается %s",
		"%s has %d elements; %s allowed"},
	{"money_range", Error, "значение %s вне диапазона %s", "%s is outside %s"},
	{"money_scale", Error,
		"в значении %s больше двух знаков после запятой; " +
			"округлите до копеек",
		"%s has more than two decimals; round it to kopecks"},
	{"quantity_range", Error, "количество вне диапазона 0.001 … 99 999.999",
		"quantity is outside 0.001 … 99 999.999"},
	{"quantity_scale", Error, "в количестве больше трёх знаков " +
		"после запятой",
		"quantity has more than three decimals"},
	{"email", Error, "%s не похож на адрес e-mail (имя@домен) и не равен none",
		"%s is not an e-mail address (name@domain) nor none"},
	{"phone", Error, "неверный номер телефона: %s", "bad phone number: %s"},
	{"inn_format", Error, "ИНН здесь должен состоять из %s", "an INN here must be %s"},
	{"inn_checksum", Error, "контрольное число ИНН %s не сходится",
		"the check digits of INN %s do not match"},
	{"inn_zero", Error,
		"ИНН из одних нулей недопустим (12 нулей — только у " +
			"иностранного поставщика " +
			"в supplier_info.inn)",
		"an all-zero INN is not valid (twelve zeros only for a foreign supplier " +
			"in supplier_info.inn)"},
	{"country_code", Error,
		"%s: код страны по ОКСМ — 3 цифры (короткий код " +
			"дополняется пробелами справа)",
		"%s: an ОКСМ country code is 3 digits (a shorter code is right-padded with spaces)"},
	{"federal_id", Error, "идентификатор ФОИВ — трёхзначный " +
		"номер 001–073 (приложение 1)",
		"the federal body id is a three-digit number 001–073 (appendix 1)"},

	// Product and marking codes.
	{"mark_code_kind", Error, "в mark_code должен быть ровно один вид " +
		"кода, указано: %s",
		"mark_code must hold exactly one kind of code, found: %s"},
	{"mark_code_length", Error, "длина кода %s не соответствует формату",
		"the length of the %s code does not match the format"},
	{"mark_code_format", Error, "код %s: %s", "%s code: %s"},
	{"gtin_checksum", Error, "контрольная цифра кода %s не сходится",
		"the check digit of %s does not match"},
	{"gs1m_not_base64", Error, "gs1m передаётся в Base64: %s", "gs1m must be Base64: %s"},
	{"gs1m_double_base64", Error,
		"gs1m закодирован в Base64 дважды; передайте результат " +
			"одного кодирования",
		"gs1m is Base64-encoded twice; send the result of one encoding"},
	{"gs1m_gs_escaped", Error,
		"разделитель GS записан текстом %s вместо символа U+001D",
		"the GS separator is written as the text %s instead of the character U+001D"},
	{"gs1m_gs_missing", Error,
		"перед криптохвостом (AI 91/92/93) нет разделителя GS (U+001D)",
		"the GS separator (U+001D) before the crypto tail (AI 91/92/93) is missing"},
	{"gs1m_structure", Error, "код не в формате GS1 DataMatrix: %s",
		"the code is not a GS1 DataMatrix element string: %s"},
	{"gs1m_charset", Error, "символ %s не входит в набор символов GS1",
		"character %s is not in the GS1 character set"},

	// Arithmetic.
	{"sum_price_quantity", Error,
		"сумма позиции должна равняться цене × количество, " +
			"округлённой до копеек",
		"item sum must equal price × quantity rounded to kopecks"},
	{"total_items", Error,
		"итог чека должен равняться сумме позиций",
		"receipt total must equal the sum of the item sums"},
	{"payments_total", Error,
		"сумма оплат должна равняться итогу чека%s",
		"payments must add up to the receipt total%s"},
	{"total_positive", Error, "итог чека должен быть больше нуля",
		"the receipt total must be greater than zero"},
	{"payment_positive", Error, "сумма оплаты должна быть больше " +
		"нуля; уберите пустую оплату",
		"a payment must be greater than zero; drop the empty payment"},
	{"vat_item_sum", Error,
		"НДС позиции не равен сумма × %d / %d, округлённой до " +
			"копеек (%s)",
		"the item's VAT is not sum × %d / %d rounded to kopecks (%s)"},
	{"vats_sum", Error, "сумма НДС по ставке %s не сходится с " +
		"позициями чека",
		"the VAT sum for %s does not agree with the items"},
	{"vats_rates", Error, "vats: %s", "vats: %s"},

	// Buyer, agents, suppliers.
	{"client_contact", Error,
		"в чеке нужен e-mail или телефон покупателя (client.email или " +
			"client.phone); " +
			"пустые строки не считаются",
		"a receipt needs the buyer's e-mail or phone (client.email or client.phone); " +
			"empty strings do not count"},
	{"supplier_without_agent", Error,
		"supplier_info допускается только вместе с agent_info " +
			"(признаком агента)",
		"supplier_info is allowed only together with agent_info (the agent sign)"},
	{"agent_without_supplier", Error,
		"у позиции с agent_info нужен supplier_info: ИНН поставщика%s",
		"an item with agent_info needs supplier_info: the supplier's INN%s"},
	{"supplier_paying_agent", Error, "для агента типа %s нужно указать %s " +
		"поставщика",
		"an agent of type %s needs the supplier's %s"},
	{"supplier_name", Warning,
		"наименование поставщика (тег 1225) не указано; ФФД 1.2 " +
			"ждёт его у агентских позиций",
		"the supplier's name (tag 1225) is missing; FFD 1.2 expects it on agent items"},
	{"agent_phones", Error, "в %s нужен хотя бы один " +
		"телефон", "%s needs at least one phone"},

	// Marking and excise.
	{"mark_code_required", Error,
		"предмет расчёта %d (маркированный товар с кодом) " +
			"требует mark_code",
		"payment_object %d (marked good with its code) needs a mark_code"},
	{"mark_processing_mode", Error,
		"для маркированного товара нужен mark_processing_mode \"0\" (тег 2102)",
		"a marked good needs mark_processing_mode \"0\" (tag 2102)"},
	{"mark_code_forbidden", Error,
		"предмет расчёта %d означает товар без кода " +
			"маркировки; уберите mark_code или укажите %d",
		"payment_object %d means a marked good without its code; drop mark_code or use %d"},
	{"mark_code_object", Warning,
		"передан код маркировки, а предмет расчёта %d — не " +
			"маркированный товар (нужен 31 или 33)",
		"a marking code is given but payment_object %d is not a marked good (31 or 33 expected)"},
	{"mark_code_operation", Error,
		"коды маркировки передаются только в приходе и " +
			"возврате прихода (и их коррекциях), " +
			"не в «%s»",
		"marking codes are allowed only in sell and sell_refund (and their corrections), " +
			"not in %s"},
	{"marked_piece_quantity", Error,
		"у штучного маркированного товара с кодом " +
			"количество равно 1: одна позиция на один код",
		"a piece of a marked good with its code has quantity 1: one line per code"},
	{"mark_quantity", Error, "mark_quantity: %s", "mark_quantity: %s"},
	{"mark_codes_count", Error, "в чеке %d кодов маркировки, " +
		"допускается не более 128",
		"the receipt has %d marking codes; at most 128 allowed"},
	{"mark_code_duplicate", Error, "тот же код маркировки уже передан в %s",
		"the same marking code is already given in %s"},
	{"permissive_mode_props", Error, "отраслевой реквизит " +
		"разрешительного режима: %s",
		"permissive-mode sectoral requisite: %s"},
	{"excise_required", Error,
		"для подакцизного товара (предмет расчёта %d) нужна " +
			"сумма акциза excise",
		"an excise good (payment_object %d) needs the excise amount"},

	// Corrections.
	{"base_number_required", Error,
		"для коррекции по предписанию нужен номер " +
			"предписания base_number",
		"a correction by instruction needs the instruction's number in base_number"},
	{"base_date_future", Error,
		"дата корректируемого расчёта %s позже даты документа %s",
		"the corrected settlement's date %s is after the document's date %s"},

	// VAT and tax system.
	{"vat_rate_date", Error, "ставка %s не действует на дату расчёта %s%s",
		"rate %s is not in force on the settlement date %s%s"},
	{"vat_legacy", Error, "ставка %s отменена с " +
		"01.01.2019", "rate %s was abolished on 01.01.2019"},
	{"vat_calculated_rate", Warning,
		"для предоплаты и аванса применяется расчётная " +
			"ставка %s, а не %s",
		"prepayments and advances take the calculated rate %s, not %s"},
	{"vat_usn_rate", Warning, "ставка %s применяется только на УСН, а " +
		"СНО чека — %s",
		"rate %s is only for the simplified tax system, the receipt's sno is %s"},
	{"sno_abolished", Error, "ЕНВД (envd) отменён с 2021 года; укажите " +
		"действующую СНО",
		"ЕНВД (envd) was abolished in 2021; use a tax system in force"},
}

var ruleIndex = func() map[string]Rule {
	m := make(map[string]Rule, len(rules))
	for _, r := range rules {
		if _, dup := m[r.Code]; dup {
			panic("validate: duplicate rule code " + r.Code)
		}
		m[r.Code] = r
	}
	return m
}()

// newViolation builds a violation of the catalogued rule code. Codes are
// constants of this package, so an unknown one is a programming error.
func newViolation(code, path, expected, actual string, args ...any) Violation {
	r, ok := ruleIndex[code]
	if !ok {
		panic("validate: rule " + code + " is not in the catalogue")
	}
	return Violation{Code: code, Path: path, Severity: r.Severity,
		MessageRU: sprintf(r.RU, args), MessageEN: sprintf(r.EN, args),
		Expected: expected, Actual: actual}
}

// newViolation2 is newViolation with separate arguments for the Russian and
// the English message, for rules whose arguments are words.
func newViolation2(code, path, expected, actual string, ru, en []any) Violation {
	v := newViolation(code, path, expected, actual)
	r := ruleIndex[code]
	v.MessageRU, v.MessageEN = sprintf(r.RU, ru), sprintf(r.EN, en)
	return v
}

func sprintf(format string, args []any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
