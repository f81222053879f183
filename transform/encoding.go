package transform

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CodeBadEncoding is the [InputError] code of input that is not in the
// encoding it is read in, where that encoding is not UTF-8: UTF-16 or
// UTF-32 input, a byte that windows-1251 leaves undefined, UTF-8 read as
// windows-1251. Text that is not valid UTF-8 has the code
// [model.CodeBadUTF8], and a key that appears twice in a JSON object
// [model.CodeDuplicateKey], as when validate decodes a request.
const CodeBadEncoding = "bad_encoding"

// foreignEncoding names the encoding that the first bytes of an input show
// when it is one that no reader reads (UTF-16 or UTF-32), with what shows
// it; "" when they show none. Text in JSON, CSV and XML starts with an
// ASCII character, which these encodings pad with zero bytes, so a zero
// byte among the first four shows them even without a byte order mark.
func foreignEncoding(head []byte) (name, why string) {
	const mark = "it starts with a %s byte order mark"
	const zeros = "its first bytes are ASCII padded with zero bytes"
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}):
		return "UTF-32LE", fmt.Sprintf(mark, "UTF-32")
	case bytes.HasPrefix(head, []byte{0, 0, 0xFE, 0xFF}):
		return "UTF-32BE", fmt.Sprintf(mark, "UTF-32")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "UTF-16LE", fmt.Sprintf(mark, "UTF-16")
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "UTF-16BE", fmt.Sprintf(mark, "UTF-16")
	case len(head) >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] != 0:
		return "UTF-32BE", zeros
	case len(head) >= 4 && head[0] != 0 && head[1] == 0 && head[2] == 0 && head[3] == 0:
		return "UTF-32LE", zeros
	case len(head) >= 2 && head[0] == 0 && head[1] != 0:
		return "UTF-16BE", zeros
	case len(head) >= 2 && head[0] != 0 && head[0] < 0x80 && head[1] == 0:
		return "UTF-16LE", zeros
	}
	return "", ""
}

// foreignError is the error for input in an encoding that no reader
// reads; readAs says what the format is read as.
func foreignError(name, why, readAs string) *InputError {
	return &InputError{Line: 1, Column: 1, Code: CodeBadEncoding, Msg: fmt.Sprintf(
		"the input is in %s (%s); %s: convert the file, for example with iconv -f %s -t UTF-8",
		name, why, readAs, name)}
}

// utf8BOM is the UTF-8 byte order mark, which spreadsheet programs and
// Windows editors write at the start of a file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// looksCP1251 reports whether b, which is not valid UTF-8, reads as
// Russian text in windows-1251: most of its bytes above 0x7F, and two at
// least, are letters there (0xC0–0xFF, Ё and ё). In UTF-8, Cyrillic is
// half lead bytes and half continuation bytes, which windows-1251 reads
// mostly as signs.
func looksCP1251(b []byte) bool {
	high, letters := 0, 0
	for _, c := range b {
		if c >= 0x80 {
			high++
			if c >= 0xC0 || c == 0xA8 || c == 0xB8 {
				letters++
			}
		}
	}
	return letters >= 2 && 3*letters >= 2*high
}

// looksUTF8 reports whether b, the start of an input (perhaps cut inside a
// character), is UTF-8 with characters beyond ASCII. Text in windows-1251
// almost never is: a Russian letter there is a UTF-8 lead byte that the
// next letter does not continue.
func looksUTF8(b []byte) bool {
	multi := false
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return multi && !utf8.FullRune(b[i:]) // cut at the end, or not UTF-8
		}
		multi = true
		i += n
	}
	return multi
}

// firstInvalid returns the offset of the first byte of s that is not part
// of a UTF-8 character, or -1.
func firstInvalid(s string) int {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// charAt shows the character at b[i] in a message: in quotes when it is
// one (escaped when it does not print), as a byte in hex when it is not
// UTF-8, so that no message carries raw bytes of the input.
func charAt(b []byte, i int) string {
	c := b[i]
	if c < utf8.RuneSelf {
		return strconv.QuoteRune(rune(c))
	}
	r, n := utf8.DecodeRune(b[i:])
	if r == utf8.RuneError && n == 1 {
		return fmt.Sprintf("byte 0x%02X, which is not UTF-8", c)
	}
	return strconv.QuoteRune(r)
}

// quoteText quotes text from the input for a message, escaped (invalid
// UTF-8 and control characters included) and cut to 40 characters.
func quoteText(s string) string {
	n := 0
	for i := range s {
		if n == 40 {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}

// printable returns s for a message, with its control characters and bytes
// that are not UTF-8 escaped as Go escapes them in quoted strings.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
