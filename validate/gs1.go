package validate

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// gsChar is the GS1 group separator (ASCII 29) that ends a variable-length
// element, such as the serial number, before the crypto tail.
const gsChar = '\x1d'

// maxGS1M is the schema's maxLength of mark_code.gs1m (the Base64 text).
const maxGS1M = 200

// markProblem is one thing wrong with a marking code: a catalogue code, the
// argument for its message in both languages, and expected/actual values.
type markProblem struct {
	code             string
	argRU, argEN     string
	expected, actual string
}

// gsEscapes are the ways a GS is found written as text when a code went
// through HTML, a JSON or C string literal, or a scanner's display form.
var gsEscapes = []string{
	"&#x1d;", "&#x001d;", "&#29;", "&#029;", `\u001d`, `\x1d`, `\035`,
	"<gs>", "{gs}", "[gs]",
}

// findEscape returns the first GS escape in s and its position, or -1.
func findEscape(s string) (string, int) {
	for i := 0; i < len(s); i++ {
		if s[i] != '&' && s[i] != '\\' && s[i] != '<' && s[i] != '{' && s[i] != '[' {
			continue
		}
		for _, e := range gsEscapes {
			if i+len(e) <= len(s) && strings.EqualFold(s[i:i+len(e)], e) {
				return s[i : i+len(e)], i
			}
		}
	}
	return "", -1
}

// unescapeGS replaces every GS escape in s with the GS character.
func unescapeGS(s string) string {
	var b strings.Builder
	for {
		tok, i := findEscape(s)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte(gsChar)
		s = s[i+len(tok):]
	}
}

// looksGS1 reports whether s reads as a GS1 element string rather than as
// Base64 or arbitrary text.
func looksGS1(s string) bool {
	if strings.HasPrefix(s, "(01)") || strings.IndexByte(s, gsChar) >= 0 {
		return true
	}
	return len(s) >= 16 && s[:2] == "01" && isDigits(s[2:16])
}

// isBase64Text reports whether s is made of the standard Base64 alphabet in
// whole quads.
func isBase64Text(s string) bool {
	if len(s) < 4 || len(s)%4 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// gs1Char reports whether c is in the GS1 AI encodable character set 82.
func gs1Char(c byte) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!\"%&'()*+,-./:;<=>?_", c) >= 0
}

// gs1mProblems diagnoses mark_code.gs1m: Base64 of a GS1 DataMatrix code
// that starts with AI 01 and a valid GTIN, has the serial number (AI 21),
// and separates the crypto tail (AI 91/92/93) with GS. It names the common
// corruptions: a raw code sent without Base64, a code encoded twice, GS
// written as text, GS left out. A valid code gives nil.
func gs1mProblems(v string) []markProblem {
	var out []markProblem
	if n := runeLen(v); n > maxGS1M {
		out = append(out, markProblem{code: "mark_code_length", argRU: "gs1m", argEN: "gs1m",
			expected: "≤ " + strconv.Itoa(maxGS1M) + " characters",
			actual:   strconv.Itoa(n) + " characters"})
	}
	var buf [maxGS1M]byte
	dst := buf[:]
	if base64.StdEncoding.DecodedLen(len(v)) > len(dst) {
		dst = make([]byte, base64.StdEncoding.DecodedLen(len(v)))
	}
	n, err := base64.StdEncoding.Decode(dst, []byte(v))
	var content string
	switch {
	case err != nil && looksGS1(v):
		out = append(out, markProblem{code: "gs1m_not_base64",
			argRU:    "передан сам код без кодирования в Base64",
			argEN:    "the raw code was sent without Base64 encoding",
			expected: base64.StdEncoding.EncodeToString([]byte(unescapeGS(v))),
			actual:   clip(v)})
		content = v
	case err != nil:
		return append(out, markProblem{code: "gs1m_not_base64",
			argRU: "строка не является Base64", argEN: "the text is not Base64",
			expected: "Base64 of the GS1 DataMatrix code", actual: clip(v)})
	default:
		content = string(dst[:n])
	}
	if err == nil && !looksGS1(content) && isBase64Text(content) {
		inner, ierr := base64.StdEncoding.DecodeString(content)
		if ierr == nil && looksGS1(string(inner)) {
			return append(out, markProblem{code: "gs1m_double_base64",
				expected: content, actual: clip(v)})
		}
	}
	return append(out, gs1Problems(content)...)
}

// gs1Problems checks the decoded element string of a marking code.
func gs1Problems(s string) []markProblem {
	var out []markProblem
	if tok, i := findEscape(s); i >= 0 {
		out = append(out, markProblem{code: "gs1m_gs_escaped", argRU: tok, argEN: tok,
			expected: "GS (U+001D)", actual: tok})
		s = unescapeGS(s)
	}
	if strings.HasPrefix(s, "(01)") {
		return append(out, markProblem{code: "gs1m_structure",
			argRU: "AI в скобках — это печатная форма; передайте " +
				"код без скобок, с GS",
			argEN: "AIs in brackets are the printed form; send the code without " +
				"brackets, with GS",
			expected: "01<GTIN>21<serial>", actual: clip(s)})
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != gsChar && !gs1Char(c) {
			out = append(out, markProblem{code: "gs1m_charset",
				argRU: strconv.QuoteToASCII(s[i : i+1]), argEN: strconv.QuoteToASCII(s[i : i+1]),
				expected: "GS1 character set 82", actual: strconv.QuoteToASCII(s[i : i+1])})
			break
		}
	}
	if len(s) < 16 || s[:2] != "01" || !isDigits(s[2:16]) {
		return append(out, markProblem{code: "gs1m_structure",
			argRU:    "код должен начинаться с AI 01 и 14 цифр GTIN",
			argEN:    "the code must start with AI 01 and the 14-digit GTIN",
			expected: "01<GTIN>21<serial>", actual: clip(s)})
	}
	if gtin := s[2:16]; !gtinOK(gtin) {
		out = append(out, markProblem{code: "gtin_checksum", argRU: gtin, argEN: gtin,
			expected: "GTIN with a valid check digit", actual: gtin})
	}
	pos, found := 16, false
	for pos+2 <= len(s) {
		ai := s[pos : pos+2]
		if ai == "21" {
			found = true
			break
		}
		// Fixed-length dates (production, best before, expiry) may come
		// between the GTIN and the serial number.
		if (ai == "11" || ai == "13" || ai == "15" || ai == "16" || ai == "17") &&
			pos+8 <= len(s) && isDigits(s[pos+2:pos+8]) {
			pos += 8
			continue
		}
		break
	}
	if !found {
		return append(out, markProblem{code: "gs1m_structure",
			argRU:    "после GTIN нет AI 21 (серийный номер)",
			argEN:    "no AI 21 (serial number) after the GTIN",
			expected: "01<GTIN>21<serial>", actual: clip(s)})
	}
	if gsMissing(s, pos+2) {
		out = append(out, markProblem{code: "gs1m_gs_missing",
			expected: "GS (U+001D) before AI 91/92/93", actual: clip(s)})
	}
	return out
}

// gsMissing reports signs that the GS before the crypto tail was dropped:
// a serial number longer than the 20 characters GS1 allows, a short serial
// that ends in "93" and four characters (the tail of water, dairy and
// tobacco codes) with no GS anywhere, or AI 92 glued to AI 91's 4-character
// key.
func gsMissing(s string, serial int) bool {
	end := strings.IndexByte(s[serial:], gsChar)
	if end < 0 {
		rest := s[serial:]
		n := len(rest)
		if n > 20 {
			return true
		}
		return n >= 12 && n <= 14 && rest[n-6:n-4] == "93"
	}
	for _, seg := range strings.Split(s[serial+end+1:], string(gsChar)) {
		if strings.HasPrefix(seg, "91") && len(seg) > 8 && seg[6:8] == "92" {
			return true
		}
	}
	return false
}

// clip shortens s for an "actual" value and makes control characters
// visible.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
