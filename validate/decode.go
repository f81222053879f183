package validate

import (
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
)

// DecodeViolation turns one problem found while decoding into a violation
// with the same code and path. Its Russian message is built from the code,
// expected and actual values, not from the decoder's English text.
func DecodeViolation(fe model.FieldError) Violation {
	var vi Violation
	switch fe.Code {
	case model.CodeSyntax:
		vi = newViolation2(fe.Code, fe.Path, "", "", []any{syntaxRU(fe.Message)},
			[]any{fe.Message})
	case model.CodeUnknownField, model.CodeMissingField, model.CodeDuplicateKey:
		vi = newViolation(fe.Code, fe.Path, fe.Expected, fe.Actual, fe.Path)
	case model.CodeWrongType:
		// Actual is a JSON kind (string, null, …) or, for amounts and
		// dates, the text of the value itself.
		got := fe.Actual
		gotRU, gotEN := typeRU(got), got
		if strings.HasPrefix(got, `"`) {
			got = "string"
			gotRU, gotEN = "строка "+fe.Actual, "the string "+fe.Actual
		} else if got != "" && (got[0] == '-' || got[0] >= '0' && got[0] <= '9') {
			got = "number"
			gotRU, gotEN = "число "+fe.Actual, "the number "+fe.Actual
		}
		hintRU, hintEN := "", ""
		switch {
		case got == "null":
			hintRU, hintEN = "; уберите поле или укажите значение",
				"; leave the key out or give a value"
		case got == "string" && fe.Expected == "number":
			hintRU, hintEN = "; запишите число без кавычек", "; write the number without quotes"
		}
		vi = newViolation2(fe.Code, fe.Path, fe.Expected, fe.Actual,
			[]any{typeRU(fe.Expected), gotRU, hintRU},
			[]any{fe.Expected, gotEN, hintEN})
	case model.CodeBadNumber:
		vi = newViolation2(fe.Code, fe.Path, fe.Expected, fe.Actual,
			[]any{fe.Actual, typeRU(fe.Expected)}, []any{fe.Actual, fe.Expected})
	case model.CodeBadFormat:
		vi = newViolation(fe.Code, fe.Path, fe.Expected, fe.Actual, fe.Actual, fe.Expected)
	case model.CodeTooDeep, model.CodeBadUTF8:
		vi = newViolation(fe.Code, fe.Path, fe.Expected, fe.Actual)
	case model.CodeControl:
		// The decoder's message names the character: U+000A.
		ch := fe.Message[strings.LastIndex(fe.Message, " ")+1:]
		vi = newViolation(fe.Code, fe.Path, "text without control characters", ch, ch)
	default:
		if _, ok := ruleIndex[fe.Code]; !ok {
			// A decoder code this package does not know yet: report it as
			// a syntax problem rather than fail.
			vi = newViolation2(model.CodeSyntax, fe.Path, fe.Expected, fe.Actual,
				[]any{syntaxRU(fe.Message)}, []any{fe.Message})
			vi.Code = fe.Code
		} else {
			vi = newViolation(fe.Code, fe.Path, fe.Expected, fe.Actual)
		}
	}
	vi.Line, vi.Column = fe.Line, fe.Column
	return vi
}

// typeRU names a JSON type (or a documented form) in Russian.
func typeRU(t string) string {
	switch t {
	case "object":
		return "объект"
	case "array":
		return "массив"
	case "string":
		return "строка"
	case "number":
		return "число"
	case "integer":
		return "целое число"
	case "boolean":
		return "логическое значение"
	case "null", "":
		return t
	case "value":
		return "значение"
	}
	return "строка вида " + t
}

// syntaxRU translates the decoder's syntax messages.
func syntaxRU(msg string) string {
	switch msg {
	case "unexpected data after the document":
		return "лишние данные после документа"
	case "unexpected end of input":
		return "неожиданный конец данных"
	case "want a string key":
		return "ожидается ключ в кавычках"
	case "want ':' after an object key":
		return "после ключа ожидается «:»"
	case "want ',' or '}' in an object":
		return "в объекте ожидается «,» или «}»"
	case "want ',' or ']' in an array":
		return "в массиве ожидается «,» или «]»"
	case "invalid literal":
		return "неверный литерал (допустимы true, false, null)"
	case "control character in a string":
		return "управляющий символ внутри строки"
	case "lone UTF-16 surrogate in a \\u escape":
		return "одиночный суррогат UTF-16 в последовательности \\u"
	case "invalid escape in a string":
		return "неверная escape-последовательность в строке"
	case "invalid \\u escape":
		return "неверная последовательность \\u"
	}
	if rest, ok := strings.CutPrefix(msg, "invalid number "); ok {
		return "неверное число " + rest
	}
	if rest, ok := strings.CutPrefix(msg, "invalid character "); ok {
		return "недопустимый символ " + strings.TrimSuffix(rest, " looking for a value") +
			" на месте значения"
	}
	return "синтаксическая ошибка"
}
