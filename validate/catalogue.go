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

// Catalogue returns every rule, in the order of the documentation table.
func Catalogue() []Rule { return append([]Rule(nil), rules...) }

// Lookup returns the rule with the code, if there is one.
func Lookup(code string) (Rule, bool) {
	r, ok := ruleIndex[code]
	return r, ok
}

var rules = []Rule{
	// Decoding. The codes are the ones model.DecodeError uses.
	{model.CodeSyntax, Error, "JSON не разобран: %s", "malformed JSON: %s"},
	{model.CodeUnknownField, Error,
		"поле %s не определено форматом; сервис отклонит запрос",
		"key %s is not defined by the format; the service rejects it"},
	{model.CodeMissingField, Error, "обязательное поле %s отсутствует", "required key %s is missing"},
	{model.CodeWrongType, Error, "неверный тип значения: %s", "wrong type of value: %s"},
	{model.CodeBadNumber, Error, "неверное число: %s", "bad number: %s"},
	{model.CodeBadFormat, Error, "неверный формат: %s", "bad format: %s"},
	{model.CodeDuplicateKey, Error, "поле %s повторяется", "key %s appears twice"},
	{model.CodeTooDeep, Error, "слишком глубокая вложенность: %s", "nesting too deep: %s"},
	{model.CodeBadUTF8, Error, "строка не в кодировке UTF-8", "string is not valid UTF-8"},

	// Arithmetic.
	{"sum_price_quantity", Error,
		"сумма позиции должна равняться цене × количество, округлённой до копеек",
		"item sum must equal price × quantity rounded to kopecks"},
	{"total_items", Error,
		"итог чека должен равняться сумме позиций",
		"receipt total must equal the sum of the item sums"},
	{"payments_total", Error,
		"сумма оплат должна равняться итогу чека%s",
		"payments must add up to the receipt total%s"},
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

// newViolation builds a violation of the catalogued rule code.
func newViolation(code, path, expected, actual string, args ...any) Violation {
	r, ok := ruleIndex[code]
	if !ok {
		panic("validate: rule " + code + " is not in the catalogue")
	}
	return Violation{Code: code, Path: path, Severity: r.Severity,
		MessageRU: sprintf(r.RU, args), MessageEN: sprintf(r.EN, args),
		Expected: expected, Actual: actual}
}

func sprintf(format string, args []any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
