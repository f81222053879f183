package model

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLineIndex checks that the decoder's index of positions answers as
// LineColumn does, at every offset, across its 1 KiB marks.
func TestLineIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "\n", "ж", "😀", "\xff", "\r\n", " ", "{"}
	for _, size := range []int{0, 1, lineStep - 1, lineStep, lineStep + 1, 3*lineStep + 17} {
		var b strings.Builder
		for b.Len() < size {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		data := []byte(b.String())
		x := newLineIndex(data)
		for off := 0; off <= len(data)+1; off++ {
			l1, c1 := LineColumn(data, off)
			l2, c2 := x.at(data, off)
			if l1 != l2 || c1 != c2 {
				t.Fatalf("size %d offset %d: LineColumn %d:%d, index %d:%d", len(data), off,
					l1, c1, l2, c2)
			}
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"жжжж", 3, "жжж…"},
		{"жжж", 3, "жжж"},
		{"ab\xffcd", 3, "ab\xff…"},
	}
	for _, tc := range tests {
		got := clip(tc.s, tc.n)
		if got != tc.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
		if utf8.ValidString(tc.s) && !utf8.ValidString(got) {
			t.Errorf("clip(%q, %d) cut a character", tc.s, tc.n)
		}
	}
}

// TestValidJSONNumber pins the grammar the decoder and NumericStrings use.
func TestValidJSONNumber(t *testing.T) {
	valid := []string{"0", "-0", "1", "-1", "0.5", "10.25", "1e2", "1E+2", "1e-2", "-0.0e0",
		"12345678901234567890"}
	invalid := []string{"", "-", "+1", "01", "-01", ".5", "1.", "1.e2", "1e", "1e+", "--1",
		"1-", "0x1", "1 ", " 1", "NaN", "Infinity", "1.2.3", "1e2e3"}
	for _, s := range valid {
		if !validJSONNumber(s) {
			t.Errorf("%q rejected", s)
		}
	}
	for _, s := range invalid {
		if validJSONNumber(s) {
			t.Errorf("%q accepted", s)
		}
	}
}
