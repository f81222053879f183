package validate

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Severity says whether a violation makes the document invalid.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Lang selects the language of messages.
type Lang string

// Languages of messages.
const (
	Russian Lang = "ru"
	English Lang = "en"
)

// Violation is one broken rule.
type Violation struct {
	// Code is the rule's stable name from the catalogue.
	Code string
	// Path is the JSON path of the value, relative to the request body
	// (receipt.items[2].sum); "" is the whole document.
	Path     string
	Severity Severity
	// MessageRU and MessageEN explain the violation.
	MessageRU, MessageEN string
	// Expected and Actual are the value the rule wants and the one found,
	// where the rule has them. They hold the caller's own values, buyer
	// contacts included; the printed forms ([Violation.Format],
	// [Violation.String], [Violation.JSON]) mask those.
	Expected, Actual string
	// Line and Column locate the value in the JSON input (1-based), when the
	// violation came from decoding; 0 otherwise.
	Line, Column int
}

// Message returns the message in lang (Russian unless lang is English).
func (v Violation) Message(lang Lang) string {
	if lang == English {
		return v.MessageEN
	}
	return v.MessageRU
}

// String renders the violation on one line, in English.
func (v Violation) String() string { return v.Format(English) }

// Format renders the violation on one line in lang:
// "receipt.items[0].sum: error sum_price_quantity: ... (expected 750.00, got 250.00)".
func (v Violation) Format(lang Lang) string {
	v = v.masked()
	var b strings.Builder
	p := v.Path
	if p == "" {
		p = "(root)"
	}
	b.WriteString(oneLine(p))
	sev := string(v.Severity)
	if v.Line > 0 {
		if lang == English {
			fmt.Fprintf(&b, " (line %d, column %d)", v.Line, v.Column)
		} else {
			fmt.Fprintf(&b, " (строка %d, столбец %d)", v.Line, v.Column)
		}
	}
	if lang != English {
		sev = map[Severity]string{Error: "ошибка", Warning: "предупреждение"}[v.Severity]
	}
	fmt.Fprintf(&b, ": %s %s: %s", sev, v.Code, oneLine(v.Message(lang)))
	if v.Expected != "" || v.Actual != "" {
		word, got := "expected", "got"
		if lang != English {
			word, got = "ожидается", "получено"
		}
		b.WriteString(" (")
		if v.Expected != "" {
			fmt.Fprintf(&b, "%s %s", word, oneLine(localize(v.Expected, lang)))
		}
		if v.Actual != "" {
			if v.Expected != "" {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %s", got, oneLine(localize(v.Actual, lang)))
		}
		b.WriteString(")")
	}
	return b.String()
}

// oneLine escapes control characters, so that a key or value holding a
// newline or NUL cannot break the one-violation-per-line text output.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ViolationJSON is the machine-readable form of a violation, with the message in one
// language.
type ViolationJSON struct {
	Code     string   `json:"code"`
	Path     string   `json:"path"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
	// Expected and Actual are always written, "" when the rule has none, so
	// that consumers find the same keys in every violation.
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
}

// JSON returns the violation in its machine-readable form.
func (v Violation) JSON(lang Lang) ViolationJSON {
	v = v.masked()
	return ViolationJSON{Code: v.Code, Path: v.Path, Message: v.Message(lang), Severity: v.Severity,
		Expected: localize(v.Expected, lang), Actual: localize(v.Actual, lang),
		Line: v.Line, Column: v.Column}
}

// Result is the outcome of a check.
type Result struct {
	Violations []Violation
}

// Valid reports whether no violation is an error; warnings do not count.
func (r Result) Valid() bool {
	for _, v := range r.Violations {
		if v.Severity == Error {
			return false
		}
	}
	return true
}

// Errors returns the violations of severity error.
func (r Result) Errors() []Violation {
	var out []Violation
	for _, v := range r.Violations {
		if v.Severity == Error {
			out = append(out, v)
		}
	}
	return out
}

// Err returns nil when the result is valid, or an error listing the
// violations of severity error.
func (r Result) Err() error {
	if r.Valid() {
		return nil
	}
	return &InvalidError{Violations: r.Errors()}
}

// MarshalJSON writes {"valid":bool,"violations":[...]} with English messages.
func (r Result) MarshalJSON() ([]byte, error) { return json.Marshal(r.Report(English)) }

// Report is the machine-readable form of a result.
type Report struct {
	Valid      bool            `json:"valid"`
	Violations []ViolationJSON `json:"violations"`
}

// Report returns the machine-readable form with messages in lang.
func (r Result) Report(lang Lang) Report {
	rep := Report{Valid: r.Valid(), Violations: make([]ViolationJSON, 0, len(r.Violations))}
	for _, v := range r.Violations {
		rep.Violations = append(rep.Violations, v.JSON(lang))
	}
	return rep
}

// InvalidError is returned by [Result.Err].
type InvalidError struct {
	Violations []Violation
}

func (e *InvalidError) Error() string {
	if len(e.Violations) == 1 {
		return "validate: " + e.Violations[0].String()
	}
	return "validate: " + strconv.Itoa(len(e.Violations)) + " violations, first: " +
		e.Violations[0].String()
}

// sortViolations orders by path, array indexes numerically, then by code.
func sortViolations(vs []Violation) {
	slices.SortStableFunc(vs, func(a, b Violation) int {
		if c := comparePaths(a.Path, b.Path); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
}

// comparePaths compares JSON paths segment by segment so that items[10]
// sorts after items[9].
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		sa, ra := nextSegment(a)
		sb, rb := nextSegment(b)
		if sa != sb {
			na, ea := strconv.Atoi(sa)
			nb, eb := strconv.Atoi(sb)
			if ea == nil && eb == nil {
				return cmp.Compare(na, nb)
			}
			return cmp.Compare(sa, sb)
		}
		a, b = ra, rb
	}
	return cmp.Compare(len(a), len(b))
}

func nextSegment(p string) (seg, rest string) {
	p = strings.TrimPrefix(p, ".")
	if strings.HasPrefix(p, "[") {
		end := strings.IndexByte(p, ']')
		if end < 0 {
			return p, ""
		}
		return p[1:end], p[end+1:]
	}
	i := strings.IndexAny(p, ".[")
	if i < 0 {
		return p, ""
	}
	return p[:i], p[i:]
}

// clientPath matches the buyer's details (client.email, phone, name, inn,
// birthdate and the rest), which no listing may show: a report goes to logs
// and tickets that the buyer never agreed to.
var clientPath = regexp.MustCompile(`^(receipt|correction)\.client(\.|\[|$)`)

// quotedKey is a key written in a path as ["…"] (one that would not read
// as a plain name): under client it may be the buyer's e-mail itself.
var quotedKey = regexp.MustCompile(`\["((?:[^"\\]|\\.)*)"\]`)

// masked hides the buyer's details in a violation under client: every
// letter becomes x and every digit #, so that "+7 (900) 123-45-67" is shown
// as "+# (###) ###-##-##" and the fault in its form stays visible. The
// same text is masked where a message or the path repeats it.
// Descriptions ("+ and 1–18 digits, or none", "300 characters") are not
// values and stay.
func (v Violation) masked() Violation {
	if !clientPath.MatchString(v.Path) {
		return v
	}
	var raws []string
	for _, s := range []*string{&v.Expected, &v.Actual} {
		if raw, ok := personal(*s); ok {
			raws = append(raws, raw)
			*s = maskValue(*s)
		}
	}
	v.Path = quotedKey.ReplaceAllStringFunc(v.Path, func(k string) string {
		key, err := strconv.Unquote(k[1 : len(k)-1])
		if err != nil {
			return `["…"]`
		}
		raws = append(raws, key)
		return "[" + strconv.Quote(mask(key)) + "]"
	})
	for _, raw := range raws {
		if len(raw) > 1 {
			v.MessageRU = strings.ReplaceAll(v.MessageRU, raw, mask(raw))
			v.MessageEN = strings.ReplaceAll(v.MessageEN, raw, mask(raw))
		}
	}
	return v
}

// personal reports whether s, an expected or actual text, is a value
// rather than a description, and returns the value: a quoted text, a
// number of digits (with a leading +), or an e-mail address.
func personal(s string) (string, bool) {
	if u, err := strconv.Unquote(s); err == nil && strings.HasPrefix(s, `"`) {
		return u, true
	}
	if d := strings.TrimPrefix(s, "+"); d != "" && isDigits(d) {
		return s, true
	}
	if _, described := ruWords[s]; strings.Contains(s, "@") && !described {
		return s, true
	}
	return "", false
}

// maskValue masks an expected or actual value found by personal.
func maskValue(s string) string {
	if u, err := strconv.Unquote(s); err == nil && strings.HasPrefix(s, `"`) {
		return strconv.Quote(mask(u))
	}
	return mask(s)
}

// Mask returns s as listings show a buyer's details: every letter as x and
// every digit as #, the rest as it is ("+# (###) ###-##-##"). Checks that
// report their own text (a rule pack's) use it to hide what they quote.
func Mask(s string) string { return mask(s) }

func mask(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsDigit(r):
			return '#'
		case unicode.IsLetter(r) || unicode.IsMark(r):
			return 'x'
		}
		return r
	}, s)
}
