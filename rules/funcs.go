package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/expr-lang/expr"
	"github.com/shopspring/decimal"
)

// Decimal is the type of exact numbers inside expressions.
type Decimal = decimal.Decimal

var (
	typDecimal = new(func(Decimal) Decimal)
)

// toDecimal converts a value from an order document into a decimal without
// passing through float64. Strings may use a decimal comma and spaces as
// thousands separators ("1 259,50").
func toDecimal(v any) (Decimal, error) {
	switch x := v.(type) {
	case Decimal:
		return x, nil
	case json.Number:
		return parseDec(string(x))
	case string:
		return parseDec(x)
	case int:
		return decimal.NewFromInt(int64(x)), nil
	case int64:
		return decimal.NewFromInt(x), nil
	case model.Money:
		return x.Decimal(), nil
	case model.Quantity:
		return x.Decimal(), nil
	case nil:
		return Decimal{}, errors.New("dec: value is missing (nil); use ?? to give a default")
	case float64:
		// A float reaches here only from a literal in the expression
		// (1.5); its shortest text is what the author wrote.
		return parseDec(strconv.FormatFloat(x, 'f', -1, 64))
	}
	return Decimal{}, fmt.Errorf("dec: cannot read a number from %T", v)
}

func parseDec(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	t = strings.NewReplacer("\u00a0", "", " ", "", "\u202f", "").Replace(t)
	if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	m, err := model.ParseMoney(t)
	if err != nil {
		return Decimal{}, fmt.Errorf("dec: %q is not a number", s)
	}
	return m.Decimal(), nil
}

// functions returns the expr options that declare the function library and
// the decimal operators. Every function has a typed signature so that the
// checker catches misuse at load time.
func functions(clock func() time.Time) []expr.Option {
	opts := []expr.Option{
		expr.Function("dec", func(p ...any) (any, error) { return toDecimal(p[0]) },
			new(func(any) Decimal)),
		expr.Function("kopecks", func(p ...any) (any, error) {
			d, err := toDecimal(p[0])
			if err != nil {
				return nil, err
			}
			return d.Shift(-2), nil
		}, new(func(any) Decimal)),
		expr.Function("round", func(p ...any) (any, error) {
			return p[0].(Decimal).Round(int32(p[1].(int))), nil
		}, new(func(Decimal, int) Decimal)),
		expr.Function("str", func(p ...any) (any, error) { return toString(p[0]) },
			new(func(any) string)),
		expr.Function("trim", func(p ...any) (any, error) {
			s, err := toString(p[0])
			return strings.TrimSpace(s), err
		}, new(func(any) string)),
		expr.Function("unescape", func(p ...any) (any, error) {
			s, err := toString(p[0])
			return html.UnescapeString(s), err
		}, new(func(any) string)),
		expr.Function("ts", func(p ...any) (any, error) { return timestamp(p[0]) },
			new(func(any) string)),
		expr.Function("int", func(p ...any) (any, error) { return toInt(p[0]) },
			new(func(any) int)),
		expr.Function("get", func(p ...any) (any, error) {
			v, ok := lookup(p[0], p[1].(string))
			if !ok {
				return p[2], nil
			}
			return v, nil
		}, new(func(any, string, any) any)),
		expr.Function("has", func(p ...any) (any, error) {
			_, ok := lookup(p[0], p[1].(string))
			return ok, nil
		}, new(func(any, string) bool)),
		expr.Function("dsum", func(p ...any) (any, error) {
			list, ok := p[0].([]any)
			if !ok {
				return nil, fmt.Errorf("dsum: want a list, got %T", p[0])
			}
			t := decimal.Zero
			for _, v := range list {
				d, err := toDecimal(v)
				if err != nil {
					return nil, err
				}
				t = t.Add(d)
			}
			return t, nil
		}, new(func(any) Decimal)),
	}
	// Arithmetic and comparison on decimals. Mixed int operands are
	// promoted; float literals are refused by the checker.
	type binop struct {
		op, name string
		fn       func(a, b Decimal) (any, error)
		result   string
	}
	ops := []binop{
		{"+", "_dadd", func(a, b Decimal) (any, error) { return a.Add(b), nil }, "dec"},
		{"-", "_dsub", func(a, b Decimal) (any, error) { return a.Sub(b), nil }, "dec"},
		{"*", "_dmul", func(a, b Decimal) (any, error) { return a.Mul(b), nil }, "dec"},
		{"/", "_ddiv", func(a, b Decimal) (any, error) {
			if b.IsZero() {
				return nil, errors.New("division by zero")
			}
			// 16 places, set here rather than through decimal's global.
			return a.DivRound(b, 16), nil
		}, "dec"},
		{"<", "_dlt", func(a, b Decimal) (any, error) { return a.LessThan(b), nil }, "bool"},
		{"<=", "_dle", func(a, b Decimal) (any, error) { return a.LessThanOrEqual(b), nil }, "bool"},
		{">", "_dgt", func(a, b Decimal) (any, error) { return a.GreaterThan(b), nil }, "bool"},
		{">=", "_dge", func(a, b Decimal) (any, error) { return a.GreaterThanOrEqual(b), nil }, "bool"},
		{"==", "_deq", func(a, b Decimal) (any, error) { return a.Equal(b), nil }, "bool"},
		{"!=", "_dne", func(a, b Decimal) (any, error) { return !a.Equal(b), nil }, "bool"},
	}
	for _, o := range ops {
		fn := o.fn
		var sigs []any
		if o.result == "dec" {
			sigs = []any{new(func(Decimal, Decimal) Decimal), new(func(Decimal, int) Decimal),
				new(func(int, Decimal) Decimal)}
		} else {
			sigs = []any{new(func(Decimal, Decimal) bool), new(func(Decimal, int) bool),
				new(func(int, Decimal) bool)}
		}
		opts = append(opts,
			expr.Function(o.name, func(p ...any) (any, error) {
				a, err := toDecimal(p[0])
				if err != nil {
					return nil, err
				}
				b, err := toDecimal(p[1])
				if err != nil {
					return nil, err
				}
				return fn(a, b)
			}, sigs...),
			expr.Operator(o.op, o.name))
	}
	opts = append(opts, expr.Function("_dneg", func(p ...any) (any, error) {
		return p[0].(Decimal).Neg(), nil
	}, typDecimal))
	if clock != nil {
		opts = append(opts, expr.Function("now", func(p ...any) (any, error) {
			return model.NewTimestamp(clock()).String(), nil
		}, new(func() string)))
	} else {
		opts = append(opts, expr.DisableBuiltin("now"))
	}
	opts = append(opts, expr.DisableBuiltin("date"))
	return opts
}

func toString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return string(x), nil
	case Decimal:
		return x.String(), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "", errors.New("str: value is missing (nil); use ?? to give a default")
	}
	return "", fmt.Errorf("str: cannot make text of %T", v)
}

func toInt(v any) (int, error) {
	d, err := toDecimal(v)
	if err != nil {
		return 0, err
	}
	if !d.IsInteger() {
		return 0, fmt.Errorf("int: %s is not a whole number", d)
	}
	if d.Abs().GreaterThan(decimal.NewFromInt(1 << 31)) {
		return 0, fmt.Errorf("int: %s is out of range", d)
	}
	return int(d.IntPart()), nil
}

// timestamp turns an ISO 8601 time or a documented timestamp into the
// documented form in Moscow time.
func timestamp(v any) (string, error) {
	s, err := toString(v)
	if err != nil {
		return "", err
	}
	t, perr := model.ParseTimestamp(strings.TrimSpace(s))
	if perr != nil {
		return "", fmt.Errorf("ts: %q is neither ISO 8601 nor dd.mm.yyyy HH:MM:SS", s)
	}
	return t.String(), nil
}

// lookup follows a dotted path of keys and list indexes through nested maps
// and lists.
func lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, v != nil
	}
	for _, key := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[key]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, v != nil
}
