package validate

import "strings"

// ruWords translates the descriptions that rules give as expected or
// actual values ("absent", "10 or 12 digits"), so that a Russian listing
// has no English in it. Values (amounts, codes, paths) are not words and
// stay as they are.
var ruWords = map[string]string{
	"absent":                          "отсутствует",
	"text without control characters": "текст без управляющих символов",
	"absent or a value":               "поле отсутствует или задано значение",
	"at least one phone":              "хотя бы один телефон",
	"a marked good":                   "маркированный товар",
	"marked good with code":           "маркированный товар с кодом",
	"a valid check digit":             "верная контрольная цифра",
	"valid check digits":              "верные контрольные цифры",
	"all zeros":                       "одни нули",
	"digits only":                     "только цифры",
	"email or phone":                  "email или телефон",
	"exactly one kind":                "ровно один вид кода",
	"non-empty value":                 "непустое значение",
	"both":                            "оба",
	"a code not used on another line": "код, не использованный в другой " +
		"позиции",
	"one entry per rate":                "одна запись на ставку",
	"a rate of the items":               "ставка одной из позиций",
	"not base64":                        "не Base64",
	"not in the list":                   "нет в списке",
	"over the limit":                    "больше предела",
	"within the limit":                  "в пределах",
	"too long":                          "слишком длинное",
	"measure 0":                         "measure 0 (штуки)",
	"integer":                           "целое число",
	"number":                            "число",
	"string":                            "строка",
	"object":                            "объект",
	"array":                             "массив",
	"boolean":                           "логическое значение",
	"null":                              "null",
	"10 or 12 digits":                   "10 или 12 цифр",
	"12 digits":                         "12 цифр",
	"3 digits":                          "3 цифры",
	"empty email and phone":             "пустые email и телефон",
	"+ and 1–18 digits, or none":        "+ и от 1 до 18 цифр, или none",
	"+ and 1–18 digits, or 1–17 digits": "+ и от 1 до 18 цифр, или от 1 до 17 цифр",
	"name@domain or none":               "имя@домен или none",
	"supplier name":                     "наименование поставщика",
	"supplier phones":                   "телефоны поставщика",
	"only receipt":                      "только receipt",
	"only correction":                   "только correction",
	"excise amount":                     "сумма акциза",
	"+7 and 10 digits":                  "+7 и 10 цифр",
	"GS1 character set 82":              "набор символов GS1 (82 знака)",
	"UUID=<uuid>&Time=<unix time>":      "UUID=<uuid>&Time=<время Unix в секундах>",
	"the instruction's number":          "номер предписания",
}

// ruPhrases translates the connecting words of composed descriptions
// ("exactly 13 characters", "sell, sell_refund or their corrections").
var ruPhrases = strings.NewReplacer(
	"exactly ", "ровно ",
	"only ", "только ",
	" characters", " символов",
	" digits", " цифр",
	" or their corrections", " или их коррекции",
	" or ", " или ",
	"at most ", "не более ",
	"at least ", "не менее ",
	"from ", "с ",
	"before ", "до ",
)

// localize returns s in lang: descriptions in Russian for Russian, the rest
// unchanged. Only whole descriptions, or ones that start with a connecting
// phrase, are translated: an actual value may be the caller's own text
// ("Apple or Orange"), which must come out as it was.
func localize(s string, lang Lang) string {
	if lang == English || s == "" {
		return s
	}
	if w, ok := ruWords[s]; ok {
		return w
	}
	for _, p := range []string{"exactly ", "only ", "at most ", "at least "} {
		if strings.HasPrefix(s, p) {
			return ruPhrases.Replace(s)
		}
	}
	// "same as" names a path, which must stay as it is.
	if p, ok := strings.CutPrefix(s, "same as "); ok {
		return "то же, что " + p
	}
	if n, ok := strings.CutSuffix(s, " characters"); ok &&
		strings.Trim(strings.TrimPrefix(n, "≤ "), "0123456789") == "" {
		return n + " символов"
	}
	if strings.HasSuffix(s, " or their corrections") {
		return ruPhrases.Replace(s)
	}
	return s
}
