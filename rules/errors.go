package rules

import (
	"errors"
	"fmt"
	"strings"
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
	text, col = clipLine(text, col)
	num := fmt.Sprintf("%4d | ", line)
	return num + text + "\n" + strings.Repeat(" ", len(num)+col-1) + "^"
}

// maxSnippet is the most characters of a line a snippet shows: a pack line
// of a megabyte would otherwise be printed whole with every error.
const maxSnippet = 120

// clipLine cuts a long line to maxSnippet characters around column col
// (1-based, in characters), marking the cuts with …, and returns the
// column of the same character in the cut line.
func clipLine(text string, col int) (string, int) {
	runes := []rune(text)
	if len(runes) <= maxSnippet {
		return text, col
	}
	from := max(0, min(col-1-maxSnippet/2, len(runes)-maxSnippet))
	to := min(len(runes), from+maxSnippet)
	out := string(runes[from:to])
	if to < len(runes) {
		out += "…"
	}
	if from > 0 {
		return "…" + out, col - from + 1
	}
	return out, col
}
