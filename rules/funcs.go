package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/builtin"
	"github.com/shopspring/decimal"
)

// Decimal is the type of exact numbers inside expressions.
type Decimal = decimal.Decimal

var (
	decimalType = reflect.TypeFor[Decimal]()
	anyType     = reflect.TypeFor[any]()
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
		return Decimal{}, errors.New("dec: the value is missing (nil); give a default with ??")
	case float64, float32:
		// Float literals are turned into decimals when a pack is
		// compiled, so a float here was computed by a float builtin
		// (mean, float, **): it is not exact and cannot be money.
		return Decimal{}, fmt.Errorf("dec: %v is a binary float, which is not exact; "+
			"keep money in decimals", x)
	}
	return Decimal{}, fmt.Errorf("dec: cannot read a number from %s", describe(v))
}

// describe names a value's kind for messages, in the terms of JSON.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "the text " + shown(x)
	case json.Number:
		return "the number " + clip(string(x), 40)
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case Decimal:
		return "the number " + x.String()
	}
	return fmt.Sprintf("a %T", v)
}

// shown is text a function could not read, for its error message. The text
// may be personal data passed by mistake (dec(buyer.email)), which errors
// must not print: text with a letter or an @ is shown with every letter as
// x and every digit as #, and so is a phone number, so that the fault in
// its form stays visible. A bad number or date ("12,5,0") is shown as it is.
func shown(s string) string {
	letters := strings.ContainsFunc(s, func(r rune) bool {
		return r == '@' || unicode.IsLetter(r) || unicode.IsMark(r)
	})
	if !letters && !phoneLike(s) {
		return clip(strconv.Quote(s), 40)
	}
	return clip(strconv.Quote(maskText(s)), 40) + " (masked: letters as x, digits as #)"
}

// maskText shows s as listings show a buyer's details.
func maskText(s string) string { return validate.Mask(s) }

// phoneLike reports whether s is made of what a phone number is written
// with and has at least as many digits as one.
func phoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case !strings.ContainsRune(" +()-", r):
			return false
		}
	}
	return digits >= 10
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

var decSpaces = strings.NewReplacer("\u00a0", "", " ", "", "\u202f", "", "'", "")

// maxNumberText bounds the text dec reads. A number is at most 64
// characters (model.ParseMoney), and spaces between its thousands do not
// make it much longer; longer text is refused before it is copied, which in
// a loop would be the slow part.
const maxNumberText = 256

func parseDec(s string) (Decimal, error) {
	if len(s) > maxNumberText {
		return Decimal{}, fmt.Errorf("dec: the text is %d bytes long, too long for a number",
			len(s))
	}
	t := strings.TrimSpace(s)
	if hasSeparator(t) {
		t = decSpaces.Replace(t)
	}
	if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	m, err := model.ParseMoney(t)
	if err != nil {
		return Decimal{}, fmt.Errorf("dec: %s is not a number", shown(s))
	}
	return m.Decimal(), nil
}

// hasSeparator reports whether s may hold a thousands separator of
// decSpaces, by the bytes they start with; the replacer allocates even
// when it finds nothing, and most numbers have none.
func hasSeparator(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\'', 0xC2, 0xE2: // U+00A0 is C2 A0, U+202F is E2 80 AF
			return true
		}
	}
	return false
}

// formatDec writes d with the scale it carries (279.00 stays 279.00).
func formatDec(d Decimal) string { return model.NewMoney(d).String() }

// fn declares one function of the library: its body and its typed
// signatures, which the checker uses to catch misuse when a pack loads.
type fn struct {
	name string
	body func(p ...any) (any, error)
	sigs []any
}

// library returns the functions every expression may call. Each is pure:
// no I/O, no clock unless one is injected, no global state.
func library(clock func() time.Time) []fn {
	fns := []fn{
		{"dec", func(p ...any) (any, error) { return toDecimal(p[0]) },
			[]any{new(func(any) Decimal)}},
		{"kopecks", func(p ...any) (any, error) {
			d, err := toDecimal(p[0])
			if err != nil {
				return nil, fmt.Errorf("kopecks: %w", err)
			}
			return checkDec("kopecks", d.Shift(-2))
		}, []any{new(func(any) Decimal)}},
		{"round", func(p ...any) (any, error) {
			places, ok := p[1].(int)
			if !ok || places < 0 || places > 12 {
				return nil, fmt.Errorf("round: places must be 0 to 12, not %v", p[1])
			}
			return p[0].(Decimal).Round(int32(places)), nil
		}, []any{new(func(Decimal, int) Decimal)}},
		{"abs", func(p ...any) (any, error) {
			switch x := p[0].(type) {
			case Decimal:
				return x.Abs(), nil
			case int:
				if x < 0 {
					return -x, nil
				}
				return x, nil
			}
			return nil, fmt.Errorf("abs: want a number, got %s", describe(p[0]))
		}, []any{new(func(Decimal) Decimal), new(func(int) int)}},
		{"dmin", func(p ...any) (any, error) {
			return decimal.Min(p[0].(Decimal), p[1].(Decimal)), nil
		}, []any{new(func(Decimal, Decimal) Decimal)}},
		{"dmax", func(p ...any) (any, error) {
			return decimal.Max(p[0].(Decimal), p[1].(Decimal)), nil
		}, []any{new(func(Decimal, Decimal) Decimal)}},
		{"dsum", func(p ...any) (any, error) { return dsum(p[0]) },
			[]any{new(func(any) Decimal)}},
		{"str", func(p ...any) (any, error) {
			s, err := toString("str", p[1])
			// Only a decimal makes long text (up to its 200 digits and 200
			// places); text and JSON numbers are given back as they are.
			if _, dec := p[1].(Decimal); dec && err == nil {
				err = budgetOf(p[0]).spendText("str", int64(len(s)))
			}
			return s, err
		}, []any{new(func(envParam, any) string)}},
		{"trim", func(p ...any) (any, error) {
			s, err := toString("trim", p[0])
			return strings.TrimSpace(s), err
		}, []any{new(func(any) string)}},
		{"unescape", func(p ...any) (any, error) {
			s, err := toString("unescape", p[1])
			if err != nil || !strings.Contains(s, "&") {
				return s, err
			}
			// Decoded entities are never longer than the entities.
			if err := budgetOf(p[0]).spendText("unescape", int64(len(s))); err != nil {
				return nil, err
			}
			return html.UnescapeString(s), nil
		}, []any{new(func(envParam, any) string)}},
		{"truncate", func(p ...any) (any, error) {
			n := p[1].(int)
			if n < 0 {
				return nil, fmt.Errorf("truncate: length %d is negative", n)
			}
			return truncate(p[0].(string), n), nil
		}, []any{new(func(string, int) string)}},
		{"ts", func(p ...any) (any, error) {
			if len(p) == 2 {
				return timestampLayout(p[0], p[1].(string))
			}
			return timestamp(p[0])
		}, []any{new(func(any) string), new(func(any, string) string)}},
		{"int", func(p ...any) (any, error) { return toInt(p[0]) },
			[]any{new(func(any) int)}},
		{"bool", func(p ...any) (any, error) { return toBool(p[0]) },
			[]any{new(func(any) bool)}},
		{"get", func(p ...any) (any, error) {
			v, ok := lookup(p[0], p[1].(string))
			if !ok {
				return p[2], nil
			}
			return v, nil
		}, []any{new(func(any, string, any) any)}},
		{"has", func(p ...any) (any, error) {
			_, ok := lookup(p[0], p[1].(string))
			return ok, nil
		}, []any{new(func(any, string) bool)}},
		// keys and values replace expr's builtins, which follow Go's
		// random map order: a pack must give the same output every time.
		{"keys", func(p ...any) (any, error) {
			return sortedKeys(budgetOf(p[0]), "keys", p[1])
		}, []any{new(func(envParam, any) []any)}},
		{"values", func(p ...any) (any, error) {
			ks, err := sortedKeys(budgetOf(p[0]), "values", p[1])
			if err != nil {
				return nil, err
			}
			m := p[1].(map[string]any)
			out := make([]any, len(ks))
			for i, k := range ks {
				out[i] = m[k.(string)]
			}
			return out, nil
		}, []any{new(func(envParam, any) []any)}},
		{"kind", func(p ...any) (any, error) { return kindName(p[0]), nil },
			[]any{new(func(any) string)}},
		{"list", func(p ...any) (any, error) { return toList(p[0]), nil },
			[]any{new(func(any) []any)}},
		{"unnest", func(p ...any) (any, error) {
			return unnest(budgetOf(p[0]), p[1], p[2].(string))
		}, []any{new(func(envParam, any, string) []any)}},
		{"parsejson", func(p ...any) (any, error) { return parseJSON(budgetOf(p[0]), p[1]) },
			[]any{new(func(envParam, any) any)}},
		{"phone", func(p ...any) (any, error) { return normalizePhone(p[0]) },
			[]any{new(func(any) string)}},
		{"gs1m", func(p ...any) (any, error) { return gs1m(budgetOf(p[0]), p[1]) },
			[]any{new(func(envParam, any) string)}},
		{"vattype", func(p ...any) (any, error) { return vatType(p[0]) },
			[]any{new(func(any) string)}},
		{"measure", func(p ...any) (any, error) { return measureCode(p[0]) },
			[]any{new(func(any) int)}},
		{"okei", func(p ...any) (any, error) { return okeiCode(p[0]) },
			[]any{new(func(any) int)}},
		{"vat", func(p ...any) (any, error) {
			t := model.VatType(p[1].(string))
			if !t.Known() {
				return nil, fmt.Errorf("vat: %q is not a VAT type", p[1])
			}
			return compute.VatAmount(model.NewMoney(p[0].(Decimal)), t).Decimal(), nil
		}, []any{new(func(Decimal, string) Decimal)}},
		{"spread", func(p ...any) (any, error) { return spreadFunc(p[0].(Decimal), p[1]) },
			[]any{new(func(Decimal, any) []any)}},
		{"splitline", func(p ...any) (any, error) {
			return splitFunc(p[0], p[1])
		}, []any{new(func(Decimal, Decimal) []any), new(func(Decimal, int) []any)}},
	}
	if clock != nil {
		fns = append(fns, fn{"now", func(p ...any) (any, error) {
			return model.NewTimestamp(clock()).String(), nil
		}, []any{new(func() string)}})
	}
	fns = append(fns, chargedBuiltins()...)
	fns = append(fns, comparingBuiltins()...)
	for name := range costFns {
		fns = append(fns, fn{name: name, body: charge(costFns[name]),
			sigs: []any{new(func(envParam, any) any)}})
	}
	return append(fns, operators()...)
}

// binop is a decimal operator: its overload function's name and body.
type binop struct {
	op, name string
	fn       func(a, b Decimal) (any, error)
	boolean  bool
}

// decimalOps are the operators overloaded for decimals. Mixed operands
// (decimal and int) are promoted; int / int gives an exact decimal rather
// than expr's float64.
var decimalOps = []binop{
	{"+", "_dadd", func(a, b Decimal) (any, error) { return a.Add(b), nil }, false},
	{"-", "_dsub", func(a, b Decimal) (any, error) { return a.Sub(b), nil }, false},
	{"*", "_dmul", func(a, b Decimal) (any, error) { return a.Mul(b), nil }, false},
	{"/", "_ddiv", func(a, b Decimal) (any, error) {
		if b.IsZero() {
			return nil, errors.New("division by zero")
		}
		// 16 places, given here rather than through decimal's global
		// DivisionPrecision, which belongs to the host program. An exact
		// quotient keeps only the places it needs (7 / 2 is 3.5).
		q := a.DivRound(b, 16)
		if q.Mul(b).Equal(a) {
			return decimal.RequireFromString(q.String()), nil
		}
		return q, nil
	}, false},
	{"%", "_dmod", func(a, b Decimal) (any, error) {
		if b.IsZero() {
			return nil, errors.New("division by zero")
		}
		return a.Mod(b), nil
	}, false},
	{"<", "_dlt", func(a, b Decimal) (any, error) { return a.LessThan(b), nil }, true},
	{"<=", "_dle", func(a, b Decimal) (any, error) { return a.LessThanOrEqual(b), nil }, true},
	{">", "_dgt", func(a, b Decimal) (any, error) { return a.GreaterThan(b), nil }, true},
	{">=", "_dge", func(a, b Decimal) (any, error) { return a.GreaterThanOrEqual(b), nil }, true},
	{"==", "_deq", func(a, b Decimal) (any, error) { return a.Equal(b), nil }, true},
	{"!=", "_dne", func(a, b Decimal) (any, error) { return !a.Equal(b), nil }, true},
}

func operators() []fn {
	var out []fn
	for _, o := range decimalOps {
		f, op := o.fn, o.op
		var sigs []any
		if o.boolean {
			sigs = []any{new(func(Decimal, Decimal) bool), new(func(Decimal, int) bool),
				new(func(int, Decimal) bool)}
		} else {
			sigs = []any{new(func(Decimal, Decimal) Decimal), new(func(Decimal, int) Decimal),
				new(func(int, Decimal) Decimal)}
			if o.op == "/" {
				sigs = append(sigs, new(func(int, int) Decimal))
			}
		}
		out = append(out, fn{o.name, func(p ...any) (any, error) {
			a, err := toDecimal(p[0])
			if err != nil {
				return nil, err
			}
			b, err := toDecimal(p[1])
			if err != nil {
				return nil, err
			}
			out, err := f(a, b)
			if d, ok := out.(Decimal); ok && err == nil {
				return checkDec(op, d)
			}
			return out, err
		}, sigs})
	}
	return append(out, fn{"_dneg", func(p ...any) (any, error) {
		return p[0].(Decimal).Neg(), nil
	}, []any{new(func(Decimal) Decimal)}})
}

// options turns the library into expr options: the functions, the operator
// overloads, the builtins switched off for determinism, and the patchers
// that charge the document's budget.
func options(fns []fn) []expr.Option {
	opts := make([]expr.Option, 0, 2*len(fns)+len(decimalOps)+5)
	hasNow := false
	withEnv := passEnv{}
	for _, f := range fns {
		opts = append(opts, expr.Function(f.name, f.body, f.sigs...))
		if _, ok := builtin.Index[f.name]; ok {
			// A function replaces the builtin of its name, but ::name
			// would still reach the builtin: switched off, it is not
			// there to reach.
			opts = append(opts, expr.DisableBuiltin(f.name))
		}
		withEnv[f.name] = f.takesEnv()
		hasNow = hasNow || f.name == "now"
	}
	opts = append(opts, expr.Patch(withEnv), expr.Patch(charges{}))
	for _, o := range decimalOps {
		opts = append(opts, expr.Operator(o.op, o.name))
	}
	if !hasNow {
		opts = append(opts, expr.DisableBuiltin("now"))
	}
	// date() reads the local time zone and now(); duration() is harmless
	// but has no use in a receipt. fromJSON decodes numbers into float64:
	// parsejson() is its exact replacement.
	return append(opts, expr.DisableBuiltin("date"), expr.DisableBuiltin("fromJSON"))
}

// Bounds on the numbers expressions make. Every number read is at most 64
// characters, but a product has the digits of both factors, and a let that
// multiplies the one before doubles them: forty such lets would make a
// number of terabytes. No amount comes near these bounds.
const (
	maxDecDigits   = 200
	maxDecExponent = 200
)

// checkDec refuses a number, the result of fn, beyond the bounds.
func checkDec(fn string, d Decimal) (Decimal, error) {
	if e := d.Exponent(); e > maxDecExponent || e < -maxDecExponent {
		return Decimal{}, fmt.Errorf("%s: the result has %d decimal places or trailing "+
			"zeros; at most %d are allowed", fn, max(e, -e), maxDecExponent)
	}
	if n := d.NumDigits(); n > maxDecDigits {
		return Decimal{}, fmt.Errorf("%s: the result has %d digits; at most %d are allowed",
			fn, n, maxDecDigits)
	}
	return d, nil
}

func dsum(v any) (Decimal, error) {
	list, ok := v.([]any)
	if !ok {
		if v == nil {
			return Decimal{}, errors.New("dsum: the list is missing (nil)")
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Slice {
			return Decimal{}, fmt.Errorf("dsum: want a list, got %s", describe(v))
		}
		list = make([]any, rv.Len())
		for i := range list {
			list[i] = rv.Index(i).Interface()
		}
	}
	t := decimal.Zero
	for i, v := range list {
		d, err := toDecimal(v)
		if err != nil {
			return Decimal{}, fmt.Errorf("dsum: element %d: %w", i, err)
		}
		t = t.Add(d)
	}
	return checkDec("dsum", t)
}

func toString(fn string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return string(x), nil
	case Decimal:
		return formatDec(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "", errors.New(fn + ": the value is missing (nil); give a default with ??")
	}
	return "", fmt.Errorf("%s: cannot make text of %s", fn, describe(v))
}

// truncate goes through the first n characters only: in a loop, counting
// those of a long text each time would be the slow part.
func truncate(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

func toInt(v any) (int, error) {
	if b, ok := v.(bool); ok {
		return 0, fmt.Errorf("int: cannot read a number from %v", b)
	}
	d, err := toDecimal(v)
	if err != nil {
		return 0, errors.New("int" + strings.TrimPrefix(err.Error(), "dec"))
	}
	if !d.IsInteger() {
		return 0, fmt.Errorf("int: %s is not a whole number", d)
	}
	if d.Abs().GreaterThan(decimal.NewFromInt(1 << 31)) {
		return 0, fmt.Errorf("int: %s is out of range", shown(d.String()))
	}
	return int(d.IntPart()), nil
}

func toBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string, json.Number:
		s, _ := toString("bool", x)
		if len(s) > maxNumberText {
			break
		}
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1", "yes", "y", "да", "on":
			return true, nil
		case "false", "0", "no", "n", "нет", "off", "":
			return false, nil
		}
	case int:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case nil:
		return false, errors.New("bool: the value is missing (nil); give a default with ??")
	}
	return false, fmt.Errorf("bool: cannot read true or false from %s", describe(v))
}

// timestamp turns an ISO 8601 time or a documented timestamp into the
// documented form in Moscow time.
func timestamp(v any) (string, error) {
	s, err := toString("ts", v)
	if err != nil {
		return "", err
	}
	t, perr := model.ParseTimestamp(strings.TrimSpace(s))
	if perr != nil {
		return "", fmt.Errorf("ts: %s is neither ISO 8601 nor dd.mm.yyyy HH:MM:SS",
			shown(s))
	}
	return t.String(), nil
}

// timestampLayout reads a time written in a Go layout, in Moscow time
// unless the layout has a zone.
func timestampLayout(v any, layout string) (string, error) {
	s, err := toString("ts", v)
	if err != nil {
		return "", err
	}
	t, perr := time.ParseInLocation(layout, strings.TrimSpace(s), model.Moscow)
	if perr != nil {
		return "", fmt.Errorf("ts: %s does not match the layout %q", shown(s),
			layout)
	}
	return model.NewTimestamp(t).String(), nil
}

// lookup follows a dotted path of keys and list indexes through nested maps
// and lists.
func lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, v != nil
	}
	for key := range strings.SplitSeq(path, ".") {
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

// sortedKeys returns the keys of an object in sorted order. The budget
// Eval keeps in the environment is no key of it: keys($env) gives the
// names the pack can use.
func sortedKeys(b *budget, fn string, v any) ([]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an object, got %s", fn, describe(v))
	}
	n := int64(len(m))
	if err := b.spendSteps(fn, mulSat(n, int64(log2(n)+1))); err != nil {
		return nil, err
	}
	if err := b.spendMemory(fn, n); err != nil {
		return nil, err
	}
	ks := make([]string, 0, len(m))
	for k, val := range m {
		if _, hidden := val.(*budget); hidden && k == budgetKey {
			continue
		}
		ks = append(ks, k)
	}
	slices.Sort(ks)
	out := make([]any, len(ks))
	for i, k := range ks {
		out[i] = k
	}
	return out, nil
}

// kindName names the kind of a value in the terms of JSON: null, bool,
// number (a JSON number, an int or a decimal), string, list or object.
func kindName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case json.Number, int, int64, Decimal:
		return "number"
	case string:
		return "string"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return "unknown"
}

// toList makes a list of a value that may be one element or several, as XML
// elements are: nil is empty, a list is itself, anything else is one element.
func toList(v any) []any {
	switch x := v.(type) {
	case nil:
		return []any{}
	case []any:
		return x
	}
	return []any{v}
}

// unnest flattens a list of objects that each hold a list under key: every
// element of those inner lists becomes a copy of its parent with key set to
// that element. RetailCRM's items[].prices[] become one line per price group.
func unnest(b *budget, v any, key string) ([]any, error) {
	var out []any
	for i, e := range toList(v) {
		parent, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("unnest: element %d is %s, not an object", i, describe(e))
		}
		children := toList(parent[key])
		n := int64(len(children))
		if err := b.spendSteps("unnest", n+1); err != nil {
			return nil, err
		}
		// A copy of the parent per child.
		if err := b.spendMemory("unnest", mulSat(n, int64(len(parent)+1))); err != nil {
			return nil, err
		}
		for _, child := range children {
			c := make(map[string]any, len(parent))
			for k, v := range parent {
				c[k] = v
			}
			c[key] = child
			out = append(out, c)
		}
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

// maxEmbeddedJSON bounds the JSON text parsejson reads.
const maxEmbeddedJSON = 1 << 20

// parseJSON decodes JSON held in a string (Tilda sends payment so), with
// numbers kept exact. Anything that is not a string is returned as it is.
func parseJSON(b *budget, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	if len(s) > maxEmbeddedJSON {
		return nil, fmt.Errorf("parsejson: text longer than %d bytes", maxEmbeddedJSON)
	}
	// Every value takes at least one byte and a separator, so the text
	// bounds the number of values decoded.
	if err := b.spendSteps("parsejson", textSteps(s)); err != nil {
		return nil, err
	}
	if err := b.spendMemory("parsejson", int64(len(s))/2+1); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("parsejson: %v", err)
	}
	if dec.More() {
		return nil, errors.New("parsejson: text after the JSON value")
	}
	return out, nil
}
