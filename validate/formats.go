package validate

import (
	"strings"
	"unicode/utf8"
)

// The format checks below are hand-written scanners rather than regular
// expressions: they run for every field of every request, and a scanner
// neither compiles nor allocates.

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allZero(s string) bool { return strings.Trim(s, "0") == "" }

// innProblem returns the rule code an INN breaks, or "". only12 asks for
// the 12 digits of a person (cashier_inn); zero12 allows 000000000000, which
// the format gives a supplier without a Russian INN.
func innProblem(s string, only12, zero12 bool) string {
	if !isDigits(s) || (len(s) != 12 && (only12 || len(s) != 10)) {
		return "inn_format"
	}
	if allZero(s) {
		if zero12 && len(s) == 12 {
			return ""
		}
		return "inn_zero"
	}
	// The first two digits are a region code, never 00. A 10-digit INN
	// padded with two zeros in front to make 12 even passes the 12-digit
	// check digits, so only this catches it.
	if s[:2] == "00" {
		return "inn_format"
	}
	if !innChecksumOK(s) {
		return "inn_checksum"
	}
	return ""
}

var (
	innW10 = [...]int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	innW11 = [...]int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	innW12 = [...]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// innControl is the FNS control digit over the leading len(w) digits.
func innControl(s string, w []int) byte {
	sum := 0
	for i, k := range w {
		sum += int(s[i]-'0') * k
	}
	return byte(sum%11%10) + '0'
}

// innChecksumOK checks the control digits of a 10- or 12-digit INN.
func innChecksumOK(s string) bool {
	switch len(s) {
	case 10:
		return innControl(s, innW10[:]) == s[9]
	case 12:
		return innControl(s, innW11[:]) == s[10] && innControl(s, innW12[:]) == s[11]
	}
	return false
}

// clientPhoneOK is the schema's ^(none|\+[0-9]{1,18})$, with the length of
// a +7 number checked too (ruOK).
func clientPhoneOK(s string) bool {
	if s == "none" {
		return true
	}
	return len(s) >= 2 && len(s) <= 19 && s[0] == '+' && isDigits(s[1:]) && ruOK(s)
}

// ruOK reports whether s, if it is a +7 number (Russia, Kazakhstan), has the
// ten digits that plan gives every number. The schema takes +790012; the
// buyer would never get the receipt at it, so the strict reading refuses it.
func ruOK(s string) bool {
	return !strings.HasPrefix(s, "+7") || len(s) == 12
}

// agentPhoneOK accepts the country code with + (up to 18 digits) or a
// Russian number without +7 (up to 17 digits), digits only. The schema is
// looser (any non-space characters), the prose is not: no spaces or other
// symbols.
func agentPhoneOK(s string) bool {
	if strings.HasPrefix(s, "+") {
		return len(s) >= 2 && len(s) <= 19 && isDigits(s[1:]) && ruOK(s)
	}
	return len(s) >= 1 && len(s) <= 17 && isDigits(s)
}

// phoneSuggestion returns the +-form of a phone written with spaces,
// brackets or dashes, when its digits make an unambiguous number, or "".
func phoneSuggestion(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' || r == ' ' || r == '(' || r == ')' || r == '-' || r == '.' ||
			r == '\u00a0' || r == '\t':
		default:
			return ""
		}
	}
	d := b.String()
	switch {
	case len(d) == 11 && (d[0] == '8' || d[0] == '7') && !strings.HasPrefix(s, "+8"):
		return "+7" + d[1:]
	case len(d) == 10 && d[0] == '9' && !strings.HasPrefix(s, "+"):
		return "+7" + d
	case strings.HasPrefix(strings.TrimSpace(s), "+") && len(d) >= 11 && len(d) <= 18 &&
		ruOK("+"+d):
		return "+" + d
	}
	return ""
}

// emailOK checks the format's mask {С}@{С}: one @ with something on both
// sides and nothing that would make it a list or a display name; or "none".
func emailOK(s string) bool {
	if s == "none" {
		return true
	}
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.IndexByte(s[at+1:], '@') >= 0 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == ',' || r == ';' || r == '<' || r == '>' || r == '"' ||
			r == 0x7f || r == '\u00a0' {
			return false
		}
	}
	return true
}

// oksmOK checks a 3-character ОКСМ code: digits, right-padded with spaces
// when the code is shorter.
func oksmOK(s string) bool {
	if len(s) != 3 || s[0] < '0' || s[0] > '9' {
		return false
	}
	t := strings.TrimRight(s, " ")
	return isDigits(t)
}

// federalIDOK is the schema's pattern: 001–009, 010–069, 070–073.
func federalIDOK(s string) bool {
	if len(s) != 3 || !isDigits(s) || s[0] != '0' {
		return false
	}
	n := int(s[1]-'0')*10 + int(s[2]-'0')
	return n >= 1 && n <= 73
}

// gtinOK checks the GS1 check digit of an 8-, 12-, 13- or 14-digit code.
func gtinOK(s string) bool {
	if !isDigits(s) || len(s) < 8 {
		return false
	}
	sum := 0
	w := 3
	for i := len(s) - 2; i >= 0; i-- {
		sum += int(s[i]-'0') * w
		w = 4 - w
	}
	return byte((10-sum%10)%10)+'0' == s[len(s)-1]
}

// furOK is the schema's ^.{2}-[0-9]{6}-.{10}$ (20 characters).
func furOK(s string) bool {
	r := []rune(s)
	if len(r) != 20 || r[2] != '-' || r[9] != '-' {
		return false
	}
	for _, c := range r[3:9] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// uuidOK checks the 8-4-4-4-12 hexadecimal form.
func uuidOK(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
