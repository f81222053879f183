package transform

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/model"
)

// jsonReader reads JSON values one at a time from a stream: one document,
// JSON Lines, or values written one after another. With elements set, a
// top-level list is read one element at a time, so that a large array of
// orders takes the memory of one order, not of the whole array.
//
// Each value is first cut out of the stream as raw bytes (a quick scan that
// only follows strings and brackets), then parsed by a small recursive
// descent parser that keeps numbers as json.Number text: no number ever
// passes through float64.
type jsonReader struct {
	r        *bufio.Reader
	elements bool
	inArray  bool // inside a top-level list being read element by element
	started  bool
	limits   Limits
	raw      []byte
	// stack and keys are the parser's, kept from one value to the next.
	stack []any
	keys  []string
	// open holds the brackets open in the value being cut.
	open []byte
	// line and col are where the stream position is (1-based), for
	// messages; valueLine is the line where the last value began.
	line, col, valueLine int
}

// jsonReaders keeps readers (a 64 KiB buffer and the parser's stacks) from
// one Each to the next: mapping one small order at a time, as a web hook
// does, would otherwise spend most of its time allocating the buffer.
var jsonReaders = sync.Pool{New: func() any {
	return &jsonReader{r: bufio.NewReaderSize(nil, 64<<10)}
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
	if cap(j.stack) > 1<<16 {
		j.stack, j.keys = nil, nil
	}
	jsonReaders.Put(j)
}

// InputError is a problem with the input itself (malformed JSON, CSV or
// XML, text not in its encoding, a key twice in an object, or a document
// over the size limit), located in the input.
type InputError struct {
	// Line and Column locate the problem in the input, 1-based; 0 when
	// unknown. A column counts characters; a byte that is not one counts
	// as one.
	Line, Column int
	// Code is set for text that is not in its encoding and for a repeated
	// key: [model.CodeBadUTF8], [CodeBadEncoding] or
	// [model.CodeDuplicateKey]. The message then follows it.
	Code string
	// Document is the number (1-based, as in Result.Index+1) of the
	// document the problem cost, when the reader stepped over it and went
	// on; 0 when the problem stopped the input.
	Document int
	Msg      string
}

// Error says where in the input the problem is, and which document it
// cost.
func (e *InputError) Error() string {
	msg := e.Msg
	if e.Code != "" {
		msg = e.Code + ": " + msg
	}
	if e.Document > 0 {
		msg += " (document " + strconv.Itoa(e.Document) + ")"
	}
	switch {
	case e.Line == 0:
		return "transform: input: " + msg
	case e.Column == 0:
		return fmt.Sprintf("transform: input line %d: %s", e.Line, msg)
	}
	return fmt.Sprintf("transform: input line %d, column %d: %s", e.Line, e.Column, msg)
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
		b, _ := j.r.Peek(4)
		if bytes.HasPrefix(b, utf8BOM) {
			j.r.Discard(len(utf8BOM))
		} else if name, why := foreignEncoding(b); name != "" {
			return nil, foreignError(name, why, "JSON is read as UTF-8")
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
			j.r.UnreadByte()
			j.col--
			if j.rawStarted() {
				b, _ := j.r.Peek(utf8.UTFMax) // the whole character, however it was read
				return nil, j.errorf(j.line, j.col, "want , or ] after a list element, got %s",
					charAt(b, 0))
			}
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
	p := parser{data: j.raw, src: string(j.raw), maxDepth: j.limits.MaxDepth,
		stack: j.stack, keys: j.keys}
	v, err := p.value()
	if err == nil {
		p.space()
		if p.pos < len(p.data) {
			err = p.fail("unexpected %s after the value", charAt(p.data, p.pos))
		}
	}
	if err == nil && p.repeats {
		if e := firstRepeatedKey(p.data, p.src); e != nil {
			p.note(e)
		} else {
			p.note(&parseError{first: -1, code: model.CodeDuplicateKey, // cannot be
				msg: "an object has a key twice"})
		}
	}
	if err == nil && p.bad != nil {
		// Well-formed, but with text that is not UTF-8 or a key twice:
		// the document is refused, and being whole, it can be stepped
		// over even inside a list.
		err = p.bad
	}
	// A failed parse leaves values on the stacks; none may be kept alive
	// by the pooled reader.
	clear(p.stack)
	clear(p.keys)
	j.stack, j.keys = p.stack[:0], p.keys[:0]
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			l, c := position(j.raw, pe.off, line, col)
			ie := &InputError{Line: l, Column: c, Code: pe.code, Msg: pe.msg}
			if pe.first >= 0 {
				fl, fc := position(j.raw, pe.first, line, col)
				ie.Msg += fmt.Sprintf(" (first at line %d, column %d)", fl, fc)
			}
			if !j.inArray || pe.code != "" {
				// The value was read to its end, so the next one can be
				// read: one bad line of JSON Lines loses only itself.
				return nil, &steppedOver{ie}
			}
			return nil, ie
		}
		return nil, err
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
//
// The scan does not count lines and columns byte by byte: every value
// would pay for what only a malformed one needs. The stream position moves
// over each chunk taken (advance), and a position inside the value is
// worked out from its bytes when an error needs it.
func (j *jsonReader) cut() error {
	j.raw = j.raw[:0]
	j.open = j.open[:0]
	inString, escaped := false, false
	startLine, startCol := j.line, j.col
	top := !j.inArray
	// lineStart is set when a chunk ended right after a line break
	// outside strings, so that the next chunk's first byte starts a line.
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
		if lineStart {
			lineStart = false
			broken = j.startsAnother(buf, 0, startLine, startCol)
		}
	scan:
		for broken == nil && n < len(buf) {
			if inString {
				if escaped {
					escaped = false
					n++
				}
				for n < len(buf) && !stringStop[buf[n]] {
					n++
				}
				if n == len(buf) {
					break
				}
				switch buf[n] {
				case '"':
					inString = false
					n++
					if len(j.open) == 0 {
						done = true
						break scan
					}
				case '\\':
					escaped = true
					n++
				default: // a line break
					n++
					if top {
						broken = stepOver(startLine, startCol, "the line ends inside a string: "+
							"the value is not complete")
					}
				}
				continue
			}
			if len(j.open) > 0 {
				// Inside brackets, white space and commas change nothing.
				for n < len(buf) && !nestedStop[buf[n]] {
					n++
				}
				if n == len(buf) {
					break
				}
			}
			switch buf[n] {
			case '"':
				inString = true
			case '{', '[':
				j.open = append(j.open, buf[n])
				if len(j.open) > j.limits.MaxDepth {
					line, col := j.at(buf, n, startLine, startCol)
					return j.errorf(line, col, "nested deeper than %d", j.limits.MaxDepth)
				}
			case '}', ']':
				if len(j.open) == 0 {
					if top && n == 0 && len(j.raw) == 0 {
						// A stray closing bracket: a value of its own,
						// which the parser refuses, so that reading
						// moves past it.
						n++
					}
					// Else the end of the enclosing list: not part of
					// this value.
					done = true
					break scan
				}
				j.open = j.open[:len(j.open)-1]
				if len(j.open) == 0 {
					n++
					done = true
					break scan
				}
			case ' ', '\t', '\r', ',':
				// Outside brackets (inside, they were skipped above): the
				// end of a value that is not a list or an object.
				if buf[n] == ',' && top && n == 0 && len(j.raw) == 0 {
					// A stray comma, as a stray bracket above.
					n++
				}
				done = true
				break scan
			case '\n':
				if len(j.open) == 0 {
					done = true
					break scan
				}
				if top {
					if n+1 == len(buf) {
						lineStart = true
					} else if c := buf[n+1]; c == '{' || c == '[' {
						broken = j.startsAnother(buf, n+1, startLine, startCol)
					}
				}
			}
			n++
		}
		j.raw = append(j.raw, buf[:n]...)
		j.r.Discard(n)
		j.advance(buf[:n])
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

// stringStop marks the bytes that end a run of plain text inside a string:
// the quote, the backslash, and the line break (which JSON text never has
// in a string, and which ends a line of JSON Lines cut short).
var stringStop = [256]bool{'"': true, '\\': true, '\n': true}

// nestedStop marks the bytes that matter outside strings inside brackets.
var nestedStop = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true, '\n': true}

// startsAnother returns the error for a line, beginning at buf[n], that
// starts a new value where the value being cut cannot take one, or nil.
// The bytes before buf[n] are j.raw followed by buf[:n]; the value began at
// startLine, startCol.
func (j *jsonReader) startsAnother(buf []byte, n, startLine, startCol int) error {
	if c := buf[n]; c != '{' && c != '[' {
		return nil
	}
	if canTakeValue(j.open[len(j.open)-1], lastSignificant(j.raw, buf[:n])) {
		return nil
	}
	line := startLine + bytes.Count(j.raw, []byte{'\n'}) + bytes.Count(buf[:n], []byte{'\n'})
	return stepOver(startLine, startCol, "the value is not complete: "+
		"line %d starts another one", line)
}

// lastSignificant returns the last byte of a followed by b that is not
// white space, or 0. Called at a line break outside strings, it is the
// last byte outside strings (or the quote that closed one).
func lastSignificant(a, b []byte) byte {
	for _, s := range [2][]byte{b, a} {
		for i := len(s) - 1; i >= 0; i-- {
			switch s[i] {
			case ' ', '\t', '\r', '\n':
			default:
				return s[i]
			}
		}
	}
	return 0
}

// at returns the line and column of buf[n], where j.raw followed by buf
// is the value being cut, which began at line, col.
func (j *jsonReader) at(buf []byte, n, line, col int) (int, int) {
	line, col = position(j.raw, len(j.raw), line, col)
	return position(buf, n, line, col)
}

// advance moves the stream position over b, bytes just read.
func (j *jsonReader) advance(b []byte) {
	if k := bytes.Count(b, []byte{'\n'}); k > 0 {
		j.line += k
		j.col = 1
		b = b[bytes.LastIndexByte(b, '\n')+1:]
	}
	j.col += runeStarts(b)
}

// runeStarts counts the bytes of b that start a character (all but UTF-8
// continuation bytes): the columns b spans. Eight bytes are counted at a
// time, as this runs over every value read.
func runeStarts(b []byte) int {
	n := len(b)
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		// A continuation byte is 10xxxxxx: its top bit set, the next clear.
		n -= bits.OnesCount64(w &^ (w << 1) & 0x8080808080808080)
		b = b[8:]
	}
	for _, c := range b {
		if c&0xC0 == 0x80 {
			n--
		}
	}
	return n
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
//
// Strings, keys and numbers without escapes are cut from src, one copy of
// the whole value, so that each costs no allocation of its own; they keep
// that copy alive while any of them is, which is at most the size of the
// input read. The members of the objects and lists being read wait on
// stack (and keys) until each is complete, so that its map or slice is
// made once at its final size.
type parser struct {
	data     []byte
	src      string // data as a string
	pos      int
	depth    int
	maxDepth int
	stack    []any
	keys     []string
	// bad is the first problem found that leaves the value well-formed
	// (see note), or nil; repeats is set when an object had a key twice.
	bad     *parseError
	repeats bool
}

// parseError is a problem at data[off]; code is set for the problems that
// note records, and first, when not -1, is where a repeated key was first.
type parseError struct {
	off, first int
	code, msg  string
}

func (e *parseError) Error() string { return e.msg }

func (p *parser) fail(format string, args ...any) error {
	return &parseError{off: p.pos, first: -1, msg: fmt.Sprintf(format, args...)}
}

// note records a problem that leaves the value well-formed: text that is
// not UTF-8, a lone surrogate, a key twice. Parsing goes on, so that a
// syntax error further on wins (a value with one cannot be stepped over
// inside a list) and the value is refused only when it is whole. The
// problem first in the value is kept.
func (p *parser) note(e *parseError) {
	if p.bad == nil || e.off < p.bad.off {
		p.bad = e
	}
}

// badText notes the first byte that is not UTF-8 in the string whose
// contents are data[start:end], which the parser has read: its escapes are
// whole.
func (p *parser) badText(start, end int) {
	if p.bad != nil {
		return // the parse notes in order: the one noted comes first
	}
	d := p.data
	for i := start; i < end; {
		switch c := d[i]; {
		case c == '\\' && d[i+1] == 'u':
			i += 6
		case c == '\\':
			i += 2
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(d[i:end])
			if r == utf8.RuneError && n == 1 {
				msg := fmt.Sprintf("string is not valid UTF-8: byte 0x%02X is not a character", c)
				if looksCP1251(d) {
					msg += "; the document looks like windows-1251, and JSON is read as UTF-8: " +
						"convert the file, for example with iconv -f WINDOWS-1251 -t UTF-8"
				}
				p.note(&parseError{off: i, first: -1, code: model.CodeBadUTF8, msg: msg})
				return
			}
			i += n
		}
	}
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
		return nil, p.fail("unexpected %s", charAt(p.data, p.pos))
	}
}

func (p *parser) literal(word string) error {
	if !strings.HasPrefix(string(p.data[p.pos:min(len(p.data), p.pos+len(word))]), word) {
		return p.fail("unexpected %s", charAt(p.data, p.pos))
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
	base, kbase := len(p.stack), len(p.keys)
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return map[string]any{}, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.fail("want a key in quotes")
		}
		key, err := p.str()
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
		p.keys = append(p.keys, key)
		p.stack = append(p.stack, v)
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
			keys, vals := p.keys[kbase:], p.stack[base:]
			m := make(map[string]any, len(keys))
			for i, k := range keys {
				m[k] = vals[i]
			}
			if len(m) < len(keys) {
				p.repeats = true // see firstRepeatedKey
			}
			clear(keys)
			clear(vals)
			p.keys, p.stack = p.keys[:kbase], p.stack[:base]
			return m, nil
		default:
			return nil, p.fail("want , or } in an object, got %s", charAt(p.data, p.pos))
		}
	}
}

// firstRepeatedKey returns the error for the first key in data (a value
// that parsed) that repeats an earlier key of its object, as written or
// through escapes, or nil. Objects do not keep where their keys are, which
// every object would pay for: this reads the value again, once, when some
// object came out with fewer members than keys.
func firstRepeatedKey(data []byte, src string) *parseError {
	q := parser{data: data, src: src}
	var open []map[string]int // the keys of each open object; nil for a list
	last := byte(0)           // the last byte outside strings that is not space
	for q.pos < len(data) {
		switch c := data[q.pos]; c {
		case ' ', '\t', '\r', '\n':
			q.pos++
			continue
		case '"':
			off := q.pos
			s, err := q.str()
			if err != nil {
				return nil
			}
			if n := len(open); n > 0 && open[n-1] != nil && (last == '{' || last == ',') {
				if first, ok := open[n-1][s]; ok {
					return &parseError{off: off, first: first, code: model.CodeDuplicateKey,
						msg: "key " + quoteText(s) + " appears twice"}
				}
				open[n-1][s] = off
			}
			last = '"'
			continue
		case '{':
			open = append(open, map[string]int{})
		case '[':
			open = append(open, nil)
		case '}', ']':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
		last = data[q.pos]
		q.pos++
	}
	return nil
}

func (p *parser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // [
	base := len(p.stack)
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return []any{}, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.stack = append(p.stack, v)
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
			list := make([]any, len(p.stack)-base)
			copy(list, p.stack[base:])
			clear(p.stack[base:])
			p.stack = p.stack[:base]
			return list, nil
		default:
			return nil, p.fail("want , or ] in a list, got %s", charAt(p.data, p.pos))
		}
	}
}

// str reads a string. Text that is not UTF-8 is noted (see note), not
// replaced with U+FFFD as encoding/json does: the document is refused
// rather than changed.
func (p *parser) str() (string, error) {
	p.pos++ // "
	start := p.pos
	high := false
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := p.src[start:p.pos]
			if high && !utf8.ValidString(s) {
				p.badText(start, p.pos)
			}
			p.pos++
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

// escaped finishes a string that has escapes, from start.
func (p *parser) escaped(start int) (string, error) {
	b := make([]byte, 0, p.pos-start+16)
	b = append(b, p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			if !utf8.Valid(b) {
				p.badText(start, p.pos)
			}
			p.pos++
			return string(b), nil
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
			at := p.pos - 2
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
					p.note(&parseError{off: at, first: -1, code: model.CodeBadUTF8,
						msg: "string holds a lone UTF-16 surrogate, " + string(p.data[at:at+6]) +
							", which is not a character"})
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			p.pos -= 2
			if e > ' ' && e < 0x7f {
				return "", p.fail("a bad escape \\%c", e)
			}
			return "", p.fail("a bad escape: \\ followed by %s", charAt(p.data, p.pos+1))
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
	return json.Number(p.src[start:i]), nil
}
