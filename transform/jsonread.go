package transform

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonReader reads JSON values one at a time from a stream: one document,
// JSON Lines, or values written one after another. With elements set, a
// top-level list is read one element at a time, so that a large array of
// orders takes the memory of one order, not of the whole array.
//
// Each value is first cut out of the stream as raw bytes (a quick scan that
// only follows strings and brackets), then parsed by a small recursive
// descent parser that keeps numbers as json.Number text: no number ever
// passes through float64. Keys are interned, as orders of one input repeat
// the same keys.
type jsonReader struct {
	r        *bufio.Reader
	elements bool
	inArray  bool // inside a top-level list being read element by element
	started  bool
	limits   Limits
	raw      []byte
	keys     map[string]string
	// open holds the brackets open in the value being cut.
	open []byte
	// line and col are where the stream position is (1-based), for
	// messages; valueLine is the line where the last value began.
	line, col, valueLine int
}

// jsonReaders keeps readers (a 64 KiB buffer and the interned keys) from
// one Each to the next: mapping one small order at a time, as a web hook
// does, would otherwise spend most of its time allocating the buffer.
var jsonReaders = sync.Pool{New: func() any {
	return &jsonReader{r: bufio.NewReaderSize(nil, 64<<10), keys: map[string]string{}}
}}

func newJSONReader(r io.Reader, elements bool, l Limits) *jsonReader {
	j := jsonReaders.Get().(*jsonReader)
	j.r.Reset(r)
	j.elements, j.inArray, j.started, j.limits = elements, false, false, l
	j.raw = j.raw[:0]
	j.line, j.col = 1, 1
	return j
}

// release returns the reader to the pool; it must not be used after.
func (j *jsonReader) release() {
	j.r.Reset(nil)
	if cap(j.raw) > 1<<20 {
		j.raw = nil // do not keep a huge document's buffer
	}
	jsonReaders.Put(j)
}

// InputError is a problem with the input itself (malformed JSON, CSV or
// XML, or a document over the size limit), located in the input.
type InputError struct {
	// Line and Column locate the problem in the input, 1-based; 0 when
	// unknown.
	Line, Column int
	Msg          string
}

// Error says where in the input the problem is.
func (e *InputError) Error() string {
	switch {
	case e.Line == 0:
		return "transform: input: " + e.Msg
	case e.Column == 0:
		return fmt.Sprintf("transform: input line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("transform: input line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// steppedOver is a malformed part of the input (a value of JSON Lines, a
// CSV row) that a reader has read past: it is reported as that document's
// error, and reading goes on with the next document.
type steppedOver struct{ err *InputError }

func (s *steppedOver) Error() string { return s.err.Error() }
func (s *steppedOver) Unwrap() error { return s.err }

func stepOver(line, col int, format string, args ...any) error {
	return &steppedOver{&InputError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}}
}

func (j *jsonReader) errorf(line, col int, format string, args ...any) error {
	return &InputError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// next returns the next value, or io.EOF.
func (j *jsonReader) next() (any, error) {
	if !j.started {
		j.started = true
		if b, err := j.r.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
			j.r.Discard(3)
		}
	}
	if err := j.skipSpace(); err != nil {
		return nil, err
	}
	if j.inArray {
		c, err := j.r.ReadByte()
		if err != nil {
			return nil, j.errorf(j.line, j.col, "the list is not closed")
		}
		j.col++
		switch c {
		case ']':
			j.inArray = false
			return j.next()
		case ',':
			if err := j.skipSpace(); err != nil {
				return nil, err
			}
		default:
			if j.rawStarted() {
				return nil, j.errorf(j.line, j.col-1, "want , or ] after a list element, got %q",
					c)
			}
			j.r.UnreadByte()
			j.col--
		}
	} else if j.elements {
		b, err := j.r.Peek(1)
		if err == nil && b[0] == '[' {
			j.r.Discard(1)
			j.col++
			j.inArray = true
			j.raw = j.raw[:0]
			if err := j.skipSpace(); err != nil {
				return nil, err
			}
			if b, err := j.r.Peek(1); err == nil && b[0] == ']' {
				j.r.Discard(1)
				j.col++
				j.inArray = false
				return j.next()
			}
		}
	}
	line, col := j.line, j.col
	j.valueLine = line
	if err := j.cut(); err != nil {
		return nil, err
	}
	p := parser{data: j.raw, keys: j.keys, maxDepth: j.limits.MaxDepth}
	v, err := p.value()
	if err == nil {
		p.space()
		if p.pos < len(p.data) {
			err = p.fail("unexpected %q after the value", p.data[p.pos])
		}
	}
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			l, c := position(j.raw, pe.off, line, col)
			if !j.inArray {
				// The value was read to its end, so the next one can be
				// read: one bad line of JSON Lines loses only itself.
				return nil, stepOver(l, c, "%s", pe.msg)
			}
			return nil, j.errorf(l, c, "%s", pe.msg)
		}
		return nil, err
	}
	if len(j.keys) > 4096 {
		// Interning is for the repeated keys of one kind of order; an
		// input of ever-new keys must not grow the table without bound.
		clear(j.keys)
	}
	return v, nil
}

// rawStarted reports whether a value was read before; a list element must
// then be followed by , or ].
func (j *jsonReader) rawStarted() bool { return len(j.raw) > 0 }

// position returns the line and column of offset off in raw, a value that
// starts at line, col of the input.
func position(raw []byte, off, line, col int) (int, int) {
	for i := 0; i < off && i < len(raw); i++ {
		if raw[i] == '\n' {
			line++
			col = 1
		} else if utf8.RuneStart(raw[i]) {
			col++
		}
	}
	return line, col
}

// skipSpace skips white space; at the end of input it returns io.EOF, or
// an error when a list is still open.
func (j *jsonReader) skipSpace() error {
	for {
		c, err := j.r.ReadByte()
		if err == io.EOF {
			if j.inArray {
				return j.errorf(j.line, j.col, "the input ends inside a list")
			}
			return io.EOF
		}
		if err != nil {
			return err
		}
		switch c {
		case ' ', '\t', '\r':
			j.col++
		case '\n':
			j.line++
			j.col = 1
		default:
			j.r.UnreadByte()
			return nil
		}
	}
}

// cut copies the next value's bytes into j.raw. It follows strings (with
// their escapes) and brackets only; the parser checks the rest.
//
// A value that is not a list element stops where it cannot go on, so that
// a line of JSON Lines cut short (a truncated export) costs that line and
// not the rest of the input: at a line break inside a string, which JSON
// text never has, and at a line that starts with { or [ where the value
// cannot take one (after a value rather than after [ , or :), which is
// where the next document begins. Both are reported as stepped over.
func (j *jsonReader) cut() error {
	j.raw = j.raw[:0]
	j.open = j.open[:0]
	inString, escaped := false, false
	startLine, startCol := j.line, j.col
	top := !j.inArray
	// last is the last byte outside strings that is not white space ('"'
	// for a string), lineStart that the byte before was a line break.
	var last byte
	lineStart := false
	for {
		if _, err := j.r.Peek(1); err != nil {
			if err == io.EOF {
				if len(j.open) > 0 || inString {
					if top {
						return stepOver(startLine, startCol, "the input ends inside this value")
					}
					return j.errorf(startLine, startCol, "the input ends inside this value")
				}
				return nil
			}
			return err
		}
		buf, _ := j.r.Peek(j.r.Buffered())
		n := 0
		done := false
		var broken error
	scan:
		for ; n < len(buf); n++ {
			if inString && !escaped {
				// Inside a string only a quote, a backslash or a line break
				// matters: skip the rest in one step, counting characters
				// for the column.
				k := bytes.IndexAny(buf[n:], "\"\\\n")
				if k < 0 {
					k = len(buf) - n
				}
				if k > 0 {
					j.col += utf8.RuneCount(buf[n : n+k])
					n += k
					if n == len(buf) {
						break scan
					}
				}
			}
			c := buf[n]
			if lineStart {
				lineStart = false
				if top && (c == '{' || c == '[') && !canTakeValue(j.open[len(j.open)-1], last) {
					broken = stepOver(startLine, startCol, "the value is not complete: "+
						"line %d starts another one", j.line)
					break scan
				}
			}
			switch {
			case c == '\n':
				j.line++
				j.col = 0
			case c >= 0x80 && !utf8.RuneStart(c):
				j.col-- // continuation bytes do not move the column
			}
			j.col++
			if inString {
				switch {
				case escaped:
					escaped = false
				case c == '\\':
					escaped = true
				case c == '"':
					inString = false
					last = c
					if len(j.open) == 0 {
						n++
						done = true
						break scan
					}
				case c == '\n' && top:
					n++
					broken = stepOver(startLine, startCol, "the line ends inside a string: "+
						"the value is not complete")
					break scan
				}
				continue
			}
			switch c {
			case '"':
				inString = true
			case '{', '[':
				j.open = append(j.open, c)
				last = c
				if len(j.open) > j.limits.MaxDepth {
					return j.errorf(j.line, j.col-1, "nested deeper than %d", j.limits.MaxDepth)
				}
			case '}', ']':
				if len(j.open) == 0 {
					if top && n == 0 && len(j.raw) == 0 {
						// A stray closing bracket: a value of its own,
						// which the parser refuses, so that reading
						// moves past it.
						n++
					} else {
						// The end of the enclosing list: not part of
						// this value.
						j.col--
					}
					done = true
					break scan
				}
				j.open = j.open[:len(j.open)-1]
				last = c
				if len(j.open) == 0 {
					n++
					done = true
					break scan
				}
			case ' ', '\t', '\r', '\n', ',':
				if len(j.open) == 0 {
					if c == ',' && top && n == 0 && len(j.raw) == 0 {
						// A stray comma, as a stray bracket above.
						n++
						done = true
						break scan
					}
					if c == '\n' {
						j.line--
					}
					j.col--
					done = true
					break scan
				}
				if c == ',' {
					last = c
				}
				lineStart = c == '\n'
			default:
				last = c
			}
		}
		j.raw = append(j.raw, buf[:n]...)
		j.r.Discard(n)
		if broken != nil {
			return broken
		}
		if int64(len(j.raw)) > j.limits.MaxDocument {
			return j.errorf(startLine, startCol, "a value longer than %d bytes",
				j.limits.MaxDocument)
		}
		if done {
			return nil
		}
	}
}

// canTakeValue reports whether a value may come next inside the bracket
// open after the byte last: after [ or , in a list, after : in an object.
func canTakeValue(open, last byte) bool {
	if open == '[' {
		return last == '[' || last == ','
	}
	return last == ':'
}

// parser parses one JSON value held in memory.
type parser struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	keys     map[string]string
}

type parseError struct {
	off int
	msg string
}

func (e *parseError) Error() string { return e.msg }

func (p *parser) fail(format string, args ...any) error {
	return &parseError{off: p.pos, msg: fmt.Sprintf(format, args...)}
}

func (p *parser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (any, error) {
	p.space()
	if p.pos >= len(p.data) {
		return nil, p.fail("a value is missing")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	default:
		return nil, p.fail("unexpected %q", c)
	}
}

func (p *parser) literal(word string) error {
	if !strings.HasPrefix(string(p.data[p.pos:min(len(p.data), p.pos+len(word))]), word) {
		return p.fail("unexpected %q", p.data[p.pos])
	}
	p.pos += len(word)
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.maxDepth {
		return p.fail("nested deeper than %d", p.maxDepth)
	}
	return nil
}

func (p *parser) object() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // {
	m := make(map[string]any)
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return m, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.fail("want a key in quotes")
		}
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.fail("want : after a key")
		}
		p.pos++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		m[key] = v // a repeated key keeps its last value, as encoding/json does
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.fail("the object is not closed")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.depth--
			return m, nil
		default:
			return nil, p.fail("want , or } in an object, got %q", p.data[p.pos])
		}
	}
}

func (p *parser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // [
	list := make([]any, 0, 4)
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return list, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.fail("the list is not closed")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			return list, nil
		default:
			return nil, p.fail("want , or ] in a list, got %q", p.data[p.pos])
		}
	}
}

// key reads a string used as an object key, interned.
func (p *parser) key() (string, error) {
	start := p.pos + 1
	for i := start; i < len(p.data); i++ {
		c := p.data[i]
		if c == '"' {
			raw := p.data[start:i]
			if k, ok := p.keys[string(raw)]; ok {
				p.pos = i + 1
				return k, nil
			}
			break
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
	}
	s, err := p.str()
	if err != nil {
		return "", err
	}
	p.keys[s] = s
	return s, nil
}

// str reads a string; invalid UTF-8 becomes U+FFFD, as encoding/json does.
func (p *parser) str() (string, error) {
	p.pos++ // "
	start := p.pos
	high := false
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := string(p.data[start:p.pos])
			p.pos++
			if high && !utf8.ValidString(s) {
				s = fixUTF8(s)
			}
			return s, nil
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			return "", p.fail("a control character in a string")
		case c >= 0x80:
			high = true
		}
		p.pos++
	}
	return "", p.fail("the string is not closed")
}

// fixUTF8 replaces each byte that is not part of valid UTF-8 with U+FFFD,
// as encoding/json does.
func fixUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

// escaped finishes a string that has escapes, from start.
func (p *parser) escaped(start int) (string, error) {
	b := make([]byte, 0, p.pos-start+16)
	b = append(b, p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return fixUTF8(string(b)), nil
		case c < 0x20:
			return "", p.fail("a control character in a string")
		case c != '\\':
			b = append(b, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.data) {
			break
		}
		e := p.data[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail("a bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					if lo, ok := p.hex4(); ok {
						r2 = lo
					} else {
						p.pos = save
					}
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
				} else {
					if r2 >= 0 {
						p.pos -= 6 // not a pair: read the second escape on its own
					}
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			p.pos -= 2
			return "", p.fail("a bad escape \\%c", e)
		}
	}
	return "", p.fail("the string is not closed")
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}

// number reads a number in the JSON grammar, kept as its text.
func (p *parser) number() (any, error) {
	start := p.pos
	d := p.data
	i := p.pos
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		p.pos = i
		return nil, p.fail("a bad number")
	}
	if i < len(d) && d[i] == '.' {
		i++
		k := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == k {
			p.pos = i
			return nil, p.fail("a bad number: no digits after the point")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		k := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == k {
			p.pos = i
			return nil, p.fail("a bad number: no digits in the exponent")
		}
	}
	p.pos = i
	return json.Number(d[start:i]), nil
}
