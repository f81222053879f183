package validate

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/go-playground/validator/v10"
)

// structRules runs the validator tags over the whole request and turns each
// failed tag into catalogue violations.
func (c *checker) structRules() {
	err := structValidator.Struct(c.req)
	if err == nil {
		return
	}
	ves, ok := err.(validator.ValidationErrors)
	if !ok {
		return
	}
	for _, fe := range ves {
		c.out = append(c.out, fieldViolations(fe, nsPath(fe.Namespace()))...)
	}
}

// nsPath turns the validator's namespace (Request.receipt.items[2].name)
// into a JSON path relative to the request.
func nsPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		ns = rest
	} else {
		ns = ""
	}
	return strings.TrimSuffix(ns, ".")
}

// fieldViolations explains one failed tag. The tag functions only answer
// yes or no, so that a valid request costs no more than the checks; the
// details are worked out here, for failures only.
func fieldViolations(fe validator.FieldError, path string) []Violation {
	name := fe.Field()
	val := fe.Value()
	str := ""
	if rv := reflect.ValueOf(val); rv.Kind() == reflect.String {
		str = rv.String()
	}
	one := func(v Violation) []Violation { return []Violation{v} }
	switch fe.Tag() {
	case "req":
		return one(newViolation("required", path, "non-empty value", valueText(val), name))
	case "maxchars":
		n, max := runeLen(str), atoi(fe.Param())
		return one(newViolation("length", path, "≤ "+fe.Param()+" characters",
			strconv.Itoa(n)+" characters", name, n, max))
	case "enum":
		return one(newViolation("enum", path, enumValues(fe.Param()), valueText(val), name))
	case "irange":
		lo, hi, hasHi := intRange(fe.Param())
		want := "≥ " + strconv.FormatInt(lo, 10)
		if hasHi {
			want = strconv.FormatInt(lo, 10) + "–" + strconv.FormatInt(hi, 10)
		}
		return one(newViolation("int_range", path, want, valueText(val), name, want))
	case "price", "money2":
		limit, text := &maxPrice, "0 … 42949672.95"
		if fe.Tag() == "money2" {
			limit, text = &maxTwo, "0 … 100000000"
		}
		m, _ := val.(model.Money)
		switch moneyProblem(reflect.ValueOf(val), limit) {
		case "money_range":
			return one(newViolation("money_range", path, text, m.String(), name, text))
		case "money_scale":
			return one(newViolation("money_scale", path, m.StringFixed(2), m.String(), name))
		}
	case "qty":
		q, _ := val.(model.Quantity)
		switch qtyProblem(reflect.ValueOf(val)) {
		case "quantity_range":
			return one(newViolation("quantity_range", path, "0.001 … 99999.999", q.String()))
		case "quantity_scale":
			return one(newViolation("quantity_scale", path, q.Decimal().StringFixed(3), q.String()))
		}
	case "iso":
		_, documented, found, badYear := dateForm(val)
		form, formText := "dd.mm.yyyy HH:MM:SS", "dd.mm.yyyy HH:MM:SS"
		if _, ok := val.(model.Date); ok {
			form, formText = "dd.mm.yyyy", "dd.mm.yyyy"
		}
		if badYear {
			return one(newViolation2("date_format", path, "year 1900–2099", documented,
				[]any{name, "год " + found + " вне 1900–2099", formText},
				[]any{name, "year " + found + " is outside 1900–2099", formText}))
		}
		return one(newViolation2("date_format", path, documented+" ("+form+")", found,
			[]any{name, "значение в форме ISO 8601", formText},
			[]any{name, "the value is in ISO 8601 form", formText}))
	case "email54":
		return one(newViolation("email", path, "name@domain or none", valueText(val), name))
	case "cphone", "aphone":
		return one(phoneViolation(fe.Tag() == "cphone", path, str))
	case "inn", "inn12", "innsup":
		return one(innViolation(innProblem(str, fe.Tag() == "inn12", fe.Tag() == "innsup"),
			path, str, fe.Tag() == "inn12"))
	case "oksm":
		return one(newViolation("country_code", path, "3 digits", valueText(val), name))
	case "fedid":
		return one(newViolation("federal_id", path, "001–073", valueText(val)))
	case "cburl":
		return one(newViolation("callback_url", path, "http(s)://host/path", valueText(val)))
	case "mcone":
		mc, _ := val.(model.MarkCode)
		found := "none"
		if ks := mc.Kinds(); len(ks) > 0 {
			found = joinStrings(ks)
		}
		return one(newViolation("mark_code_kind", path, "exactly one kind", found, found))
	case "mclen", "mcexact":
		want := "≤ " + fe.Param() + " characters"
		if fe.Tag() == "mcexact" {
			want = "exactly " + fe.Param() + " characters"
		}
		return one(newViolation("mark_code_length", path, want,
			strconv.Itoa(runeLen(str))+" characters", name))
	case "ean":
		switch {
		case len(str) != atoi(fe.Param()):
			return one(newViolation("mark_code_length", path, "exactly "+fe.Param()+" digits",
				strconv.Itoa(runeLen(str))+" characters", name))
		case !isDigits(str):
			return one(newViolation2("mark_code_format", path, "digits only", clip(str),
				[]any{name, "только цифры"}, []any{name, "digits only"}))
		}
		return one(newViolation("gtin_checksum", path, "a valid check digit", str, str))
	case "fur":
		if runeLen(str) != 20 {
			return one(newViolation("mark_code_length", path, "exactly 20 characters",
				strconv.Itoa(runeLen(str))+" characters", name))
		}
		return one(newViolation2("mark_code_format", path, "XX-NNNNNN-XXXXXXXXXX", clip(str),
			[]any{name, "нужна маска СС-ЦЦЦЦЦЦ-СССССССССС"},
			[]any{name, "the mask is XX-NNNNNN-XXXXXXXXXX"}))
	case "gs1m":
		var out []Violation
		for _, p := range gs1mProblems(str) {
			var ru, en []any
			if p.argRU != "" {
				ru, en = []any{p.argRU}, []any{p.argEN}
			}
			out = append(out, newViolation2(p.code, path, p.expected, p.actual, ru, en))
		}
		return out
	}
	return nil
}

func phoneViolation(client bool, path, s string) Violation {
	want := "+ and 1–18 digits, or none"
	if !client {
		want = "+ and 1–18 digits, or 1–17 digits"
	}
	if sug := phoneSuggestion(s); sug != "" && sug != s {
		want = sug
	}
	var ru, en string
	switch {
	case strings.ContainsAny(s, " ()-.\t\u00a0"):
		ru, en = "пробелы, скобки, точки и дефисы не "+
			"допускаются, только + и цифры",
			"spaces, brackets, dots and dashes are not allowed, only + and digits"
	case client && !strings.HasPrefix(s, "+"):
		ru, en = "нужен + и код страны (+7…)", "needs + and the country code (+7…)"
	case utf8.RuneCountInString(s) > 19:
		ru, en = "слишком длинный номер", "the number is too long"
	case !ruOK(s) && isDigits(s[1:]):
		want = "+7 and 10 digits"
		ru = "у номера +7 после кода страны 10 цифр"
		en = "a +7 number has 10 digits after +7"
	default:
		ru = "допускаются только + и цифры 0–9"
		en = "only + and the digits 0–9 are allowed"
	}
	return newViolation2("phone", path, want, strconv.Quote(s), []any{ru}, []any{en})
}

func innViolation(code, path, s string, only12 bool) Violation {
	switch code {
	case "inn_format":
		ru, en := "10 или 12 цифр", "10 or 12 digits"
		if only12 {
			ru, en = "12 цифр", "12 digits"
		}
		want := en
		if isDigits(s) && (len(s) == 12 || len(s) == 10 && !only12) {
			// Right length: then it is the region code 00 of a padded INN.
			ru += " с кодом региона в начале (не 00); не дополняйте " +
				"ИНН нулями"
			en += " starting with a region code (not 00); do not pad an INN with zeros"
			if t := strings.TrimLeft(s, "0"); len(s) == 12 && len(t) == 10 {
				want = t
			}
		}
		return newViolation2(code, path, want, strconv.Quote(s), []any{ru}, []any{en})
	case "inn_checksum":
		return newViolation(code, path, "valid check digits", s, s)
	}
	return newViolation("inn_zero", path, "a real INN", s)
}
