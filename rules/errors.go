package rules

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pos is a position in a pack file; Line and Column are 1-based and Column
// counts characters.
type Pos struct {
	File         string
	Line, Column int
}

func (p Pos) String() string {
	f := p.File
	if f == "" {
		f = "<pack>"
	}
	return fmt.Sprintf("%s:%d:%d", f, p.Line, p.Column)
}

// Error is a problem in a pack, located in its YAML source. The same type
// reports load, compile and run-time problems.
type Error struct {
	Pos
	// Field names what the problem is in, such as "request.receipt.items.price".
	Field string
	Msg   string
	// Snippet is the YAML line with a caret under Column.
	Snippet string
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Snippet != "" {
		b.WriteString("\n")
		b.WriteString(e.Snippet)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every problem found while loading a pack.
type ErrorList []*Error

func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap lets errors.As find the entries.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// AsList returns the pack errors in err, or nil when it has none.
func AsList(err error) ErrorList {
	var l ErrorList
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return ErrorList{e}
	}
	return nil
}

// snippet renders line number line of src with a caret under col.
func snippet(src []byte, line, col int) string {
	if line < 1 {
		return ""
	}
	lines := strings.Split(string(src), "\n")
	if line > len(lines) {
		return ""
	}
	text := strings.ReplaceAll(strings.TrimRight(lines[line-1], "\r"), "\t", " ")
	if col < 1 {
		col = 1
	}
	text, col = clipLine(shownChars(text), col)
	num := fmt.Sprintf("%4d | ", line)
	return num + text + "\n" + strings.Repeat(" ", len(num)+col-1) + "^"
}

// shownChars splits a line into its characters as a snippet shows them.
// Control and format characters and bytes that are not UTF-8 are written
// as escapes (\x00, \u202e): printed raw, they would reach the terminal
// (a pack of NUL bytes, text turned around), and the caret counts what is
// shown.
func shownChars(text string) []string {
	out := make([]string, 0, len(text))
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = append(out, fmt.Sprintf("\\x%02x", text[i]))
		case r < 0x80 && unicode.IsControl(r):
			out = append(out, fmt.Sprintf("\\x%02x", r))
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			out = append(out, fmt.Sprintf("\\u%04x", r))
		default:
			out = append(out, text[i:i+n])
		}
		i += n
	}
	return out
}

// maxSnippet is the most characters of a line a snippet shows: a pack line
// of a megabyte would otherwise be printed whole with every error.
const maxSnippet = 120

// clipLine cuts a long line of characters (see shownChars) to maxSnippet
// of them around column col (1-based, in characters), marking the cuts
// with …, and returns the line and the column of the caret in it, which
// an escape widens.
func clipLine(chars []string, col int) (string, int) {
	from, to := 0, len(chars)
	if len(chars) > maxSnippet {
		from = max(0, min(col-1-maxSnippet/2, len(chars)-maxSnippet))
		to = min(len(chars), from+maxSnippet)
	}
	var b strings.Builder
	caret := 1
	if from > 0 {
		b.WriteString("…")
		caret++
	}
	for i := from; i < to; i++ {
		if i < col-1 {
			caret += utf8.RuneCountInString(chars[i])
		}
		b.WriteString(chars[i])
	}
	if col-1 > to {
		caret += col - 1 - to // past the end of the line
	}
	if to < len(chars) {
		b.WriteString("…")
	}
	return b.String(), caret
}
