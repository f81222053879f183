package rules

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// A snippet shows control characters, format characters and bytes that
// are not UTF-8 as escapes, never raw, and its caret stays under the
// character the error is at.
func TestSnippetEscapes(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		col       int
		want      string // the line as shown, after "   1 | "
		at        string // what the caret is under
	}{
		{"plain", "a: 1 + x", 8, "a: 1 + x", "x"},
		{"NUL before", "a\x00\x00: x", 6, `a\x00\x00: x`, "x"},
		{"bad UTF-8", "a\xff: x", 5, `a\xff: x`, "x"},
		{"escape, error after", "\x1b[2Jb: y", 8, `\x1b[2Jb: y`, "y"},
		{"turned around", "a\u202e: z", 5, `a\u202e: z`, "z"},
		{"past the end", "ab", 4, "ab", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := snippet([]byte(tc.src), 1, tc.col)
			line, caret, _ := strings.Cut(s, "\n")
			if got := strings.TrimPrefix(line, "   1 | "); got != tc.want {
				t.Fatalf("shows %q, want %q", got, tc.want)
			}
			at := utf8.RuneCountInString(caret) - 1
			if rs := []rune(line); tc.at != "" && (at >= len(rs) || string(rs[at]) != tc.at) {
				t.Errorf("the caret is not under %q:\n%s", tc.at, s)
			}
		})
	}
}

// A pack of NUL bytes larger than a pack may be is refused with a snippet
// that shows escapes, not raw bytes.
func TestHugePackSnippet(t *testing.T) {
	_, err := Load("zero", make([]byte, maxPackSize+1))
	list := AsList(err)
	if len(list) != 1 || !strings.Contains(list[0].Msg, "larger than") {
		t.Fatalf("want the pack refused, got %v", err)
	}
	if s := list[0].Error(); bytes.ContainsRune([]byte(s), 0) || !strings.Contains(s, `\x00`) {
		t.Errorf("the error shows raw bytes or no escapes: %q", s)
	}
}
