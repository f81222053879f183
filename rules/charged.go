package rules

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// envParam is the type of the hidden first parameter of the functions that
// charge the document's budget: the compiler passes them the environment,
// where the budget is (see passEnv). A type of its own marks them.
type envParam interface{}

var envParamType = reflect.TypeFor[envParam]()

// takesEnv reports whether f is passed the environment.
func (f fn) takesEnv() bool {
	if len(f.sigs) == 0 {
		return false
	}
	t := reflect.TypeOf(f.sigs[0]).Elem()
	return t.NumIn() > 0 && t.In(0) == envParamType
}

// chargedBuiltins replace the expr builtins that build text or lists of a
// size their arguments do not bound (repeat("x", 900000) of a text that
// long is 810 GB; expr's repeat counts the repetitions, not the bytes, and
// only after building them). Each charges the document's budget before it
// builds anything, and has expr's signatures after the hidden one.
func chargedBuiltins() []fn {
	return []fn{
		{"repeat", func(p ...any) (any, error) {
			s, err := textArg("repeat", p[1])
			if err != nil {
				return nil, err
			}
			n, err := toInt(p[2])
			if err != nil {
				return nil, fmt.Errorf("repeat: %w", err)
			}
			if n < 0 {
				return nil, fmt.Errorf("repeat: the count %d is negative", n)
			}
			if err := budgetOf(p[0]).spendText("repeat", mulSat(int64(len(s)),
				int64(n))); err != nil {
				return nil, err
			}
			return strings.Repeat(s, n), nil
		}, []any{new(func(envParam, string, int) string)}},
		{"replace", func(p ...any) (any, error) {
			return replaceText(budgetOf(p[0]), p[1:])
		}, []any{new(func(envParam, string, string, string) string),
			new(func(envParam, string, string, string, int) string)}},
		{"upper", func(p ...any) (any, error) {
			return mapText(budgetOf(p[0]), "upper", p[1], strings.ToUpper)
		}, []any{new(func(envParam, string) string)}},
		{"lower", func(p ...any) (any, error) {
			return mapText(budgetOf(p[0]), "lower", p[1], strings.ToLower)
		}, []any{new(func(envParam, string) string)}},
		{"split", func(p ...any) (any, error) {
			return splitText(budgetOf(p[0]), "split", p[1:], 0)
		}, []any{new(func(envParam, string, string) []string),
			new(func(envParam, string, string, int) []string)}},
		{"splitAfter", func(p ...any) (any, error) {
			return splitText(budgetOf(p[0]), "splitAfter", p[1:], -1)
		}, []any{new(func(envParam, string, string) []string),
			new(func(envParam, string, string, int) []string)}},
		{"join", func(p ...any) (any, error) {
			return joinText(budgetOf(p[0]), p[1:])
		}, []any{new(func(envParam, []any, string) string), new(func(envParam, []any) string),
			new(func(envParam, []string, string) string), new(func(envParam, []string) string)}},
		{"toBase64", func(p ...any) (any, error) {
			s, err := textArg("toBase64", p[1])
			if err != nil {
				return nil, err
			}
			n := int64(base64.StdEncoding.EncodedLen(len(s)))
			if err := budgetOf(p[0]).spendText("toBase64", n); err != nil {
				return nil, err
			}
			return base64.StdEncoding.EncodeToString([]byte(s)), nil
		}, []any{new(func(envParam, string) string)}},
		{"fromBase64", func(p ...any) (any, error) {
			s, err := textArg("fromBase64", p[1])
			if err != nil {
				return nil, err
			}
			n := int64(base64.StdEncoding.DecodedLen(len(s)))
			if err := budgetOf(p[0]).spendText("fromBase64", n); err != nil {
				return nil, err
			}
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, fmt.Errorf("fromBase64: %v", err)
			}
			return string(b), nil
		}, []any{new(func(envParam, string) string)}},
		{"string", func(p ...any) (any, error) {
			return writeValue(budgetOf(p[0]), "string", p[1], func(v any) (string, error) {
				return fmt.Sprintf("%v", v), nil
			})
		}, []any{new(func(envParam, any) string)}},
		{"toJSON", func(p ...any) (any, error) {
			return writeValue(budgetOf(p[0]), "toJSON", p[1], func(v any) (string, error) {
				b, err := json.MarshalIndent(v, "", "  ")
				return string(b), err
			})
		}, []any{new(func(envParam, any) string)}},
		// _cat is + on text, which the compiler rewrites to it (see
		// charges).
		{"_cat", func(p ...any) (any, error) {
			a, aok := p[1].(string)
			b, bok := p[2].(string)
			if !aok || !bok {
				return nil, fmt.Errorf("invalid operation: %T + %T", p[1], p[2])
			}
			if err := budgetOf(p[0]).spendText("+", int64(len(a))+int64(len(b))); err != nil {
				return nil, err
			}
			return a + b, nil
		}, []any{new(func(envParam, any, any) string)}},
	}
}

// textArg is an argument of a function of text. expr's builtins took
// values of unknown type and failed on anything but text when they ran;
// these fail the same way, with a message.
func textArg(fn string, v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", fmt.Errorf("%s: want text, got %s", fn, describe(v))
}

// mapText is upper and lower. A case mapping may make a character longer
// (ɐ is two bytes, Ɐ three), so what it built beyond the input is charged
// after: at most half as much again.
func mapText(b *budget, fn string, v any, f func(string) string) (any, error) {
	s, err := textArg(fn, v)
	if err != nil {
		return nil, err
	}
	if err := b.spendText(fn, int64(len(s))); err != nil {
		return nil, err
	}
	out := f(s)
	if len(out) > len(s) {
		if err := b.spendText(fn, int64(len(out)-len(s))); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// replaceText is replace(s, old, new) and replace(s, old, new, n). The
// length of the result is counted before it is built.
func replaceText(b *budget, p []any) (any, error) {
	var args [3]string
	for i := range args {
		s, err := textArg("replace", p[i])
		if err != nil {
			return nil, err
		}
		args[i] = s
	}
	s, old, repl := args[0], args[1], args[2]
	n := -1
	if len(p) == 4 {
		var err error
		if n, err = toInt(p[3]); err != nil {
			return nil, fmt.Errorf("replace: %w", err)
		}
	}
	if err := b.spendSteps("replace", textSteps(s)); err != nil {
		return nil, err
	}
	count := strings.Count(s, old)
	if n >= 0 && n < count {
		count = n
	}
	out := int64(len(s)) + mulSat(int64(count), int64(len(repl))) - int64(count*len(old))
	if err := b.spendText("replace", max(out, 0)); err != nil {
		return nil, err
	}
	return strings.Replace(s, old, repl, n), nil
}

// splitText is split and splitAfter (after < 0), with or without a count.
// The pieces share the text; the list of them is what is built.
func splitText(b *budget, fn string, p []any, after int) (any, error) {
	s, err := textArg(fn, p[0])
	if err != nil {
		return nil, err
	}
	sep, err := textArg(fn, p[1])
	if err != nil {
		return nil, err
	}
	n := -1
	if len(p) == 3 {
		if n, err = toInt(p[2]); err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
	}
	if err := b.spendSteps(fn, textSteps(s)); err != nil {
		return nil, err
	}
	pieces := strings.Count(s, sep) + 1
	if sep == "" {
		pieces = utf8.RuneCountInString(s)
	}
	if n >= 0 && n < pieces {
		pieces = n
	}
	if err := b.spendMemory(fn, int64(pieces)); err != nil {
		return nil, err
	}
	if after < 0 {
		return strings.SplitAfterN(s, sep, n), nil
	}
	return strings.SplitN(s, sep, n), nil
}

// joinText is join(list) and join(list, glue).
func joinText(b *budget, p []any) (any, error) {
	glue := ""
	if len(p) == 2 {
		g, err := textArg("join", p[1])
		if err != nil {
			return nil, err
		}
		glue = g
	}
	var parts []string
	switch x := p[0].(type) {
	case []string:
		parts = x
	case []any:
		parts = make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("join: element %d is %s, not text", i, describe(e))
			}
			parts[i] = s
		}
	default:
		return nil, fmt.Errorf("join: want a list of text, got %s", describe(p[0]))
	}
	if err := b.spendSteps("join", int64(len(parts))); err != nil {
		return nil, err
	}
	n := int64(0)
	for _, s := range parts {
		n += int64(len(s))
	}
	if len(parts) > 1 {
		n += mulSat(int64(len(glue)), int64(len(parts)-1))
	}
	if err := b.spendText("join", n); err != nil {
		return nil, err
	}
	return strings.Join(parts, glue), nil
}

// writeValue is string() and toJSON(), which write a whole value out. The
// size of the text is estimated from the value before it is written, and
// what the writing built beyond the estimate is charged after.
func writeValue(b *budget, fn string, v any, write func(any) (string, error)) (any, error) {
	if err := checkDepth(b, fn, v); err != nil {
		return nil, err
	}
	est := textSize(reflect.ValueOf(v), 0, b.text+1)
	if err := b.spendSteps(fn, est/textStep+1); err != nil {
		return nil, err
	}
	if err := b.spendText(fn, est); err != nil {
		return nil, err
	}
	s, err := write(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", fn, err)
	}
	if extra := int64(len(s)) - est; extra > 0 {
		if err := b.spendText(fn, extra); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// textSize estimates the length of v written by fmt or encoding/json
// (indented, at depth), stopping once it passes limit. Values from order
// documents and expressions nest boundedly and hold no cycles.
func textSize(v reflect.Value, depth int, limit int64) int64 {
	const scalar = 24 // a number, a boolean or null
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return scalar
		}
		v = v.Elem()
	}
	if v.Type() == decimalType && v.CanInterface() {
		d := v.Interface().(Decimal)
		return int64(d.NumDigits()) + int64(max(d.Exponent(), -d.Exponent())) + 4
	}
	// Each element written on a line of its own, indented.
	per := int64(2*depth + 4)
	var n int64
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len()) + 2
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len() && n <= limit; i++ {
			n += per + textSize(v.Index(i), depth+1, limit-n)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() && n <= limit {
			n += per + textSize(it.Key(), depth+1, limit-n) +
				textSize(it.Value(), depth+1, limit-n)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField() && n <= limit; i++ {
			n += per + int64(len(t.Field(i).Name)) + textSize(v.Field(i), depth+1, limit-n)
		}
	default:
		return scalar
	}
	return n + 2
}
