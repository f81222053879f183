package transform

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
)

// csvReader reads a CSV file with a header row, one row at a time. Each row
// becomes an object keyed by the header: {"Номер отправления": "...", ...},
// every value text as written (a decimal comma stays a comma; dec() reads
// it).
//
// The fields are split here rather than by encoding/csv, whose reader
// cannot go on after a malformed record: a row with broken quoting is
// reported with its line and stepped over, and the rows after it are read.
// A quoted field may span lines; when a record that was joined over lines
// turns out malformed, only its first line is stepped over and the lines
// after it are read again, so that an unclosed quote costs one row and not
// the rest of the file.
type csvReader struct {
	br     *bufio.Reader
	window *windowReader
	comma  rune
	header []string
	// row counts the data rows read, bad ones included; rowLine is the
	// input line where the last row began.
	row, rowLine int
	// line is the number of the last line read from br; back holds lines
	// to read again, first to last.
	line int
	back []csvLine
	eof  bool
	// cp1251 is set when the input is decoded from windows-1251.
	cp1251 bool
}

// csvLine is one line of the input with its number and line break.
type csvLine struct {
	text string
	num  int
}

// maxRecordLines bounds the lines one record may span, so that an
// unclosed quote is found out before it has swallowed the file.
const maxRecordLines = 100

func newCSVReader(r io.Reader, in rules.Input, l Limits) (*csvReader, error) {
	w := &windowReader{r: r, limit: l.MaxDocument}
	cp := in.Encoding == "windows-1251"
	size := 4096
	if cp {
		size = 32 << 10 // what newCP1251Reader takes as it is
	}
	raw := bufio.NewReaderSize(w, size)
	start, _ := raw.Peek(4)
	if bytes.HasPrefix(start, utf8BOM) {
		// A UTF-8 byte order mark, which spreadsheet programs write, would
		// otherwise stick to the first column's name. It says UTF-8
		// whatever the pack says: in windows-1251 it is «п»ї», which no
		// header starts with.
		raw.Discard(len(utf8BOM))
		cp = false
	} else if name, why := foreignEncoding(start); name != "" {
		return nil, foreignError(name, why, "CSV is read as UTF-8, or as windows-1251 when "+
			"the pack's input.encoding says so")
	} else if head, _ := raw.Peek(raw.Buffered()); cp && looksUTF8(head) {
		line, col := offsetPos(string(head), firstHigh(head), 1)
		return nil, &InputError{Line: line, Column: col, Code: CodeBadEncoding,
			Msg: "the file looks like UTF-8, and the pack reads it as windows-1251 " +
				"(input.encoding), which would garble its text: read it with a pack whose " +
				"input.encoding is utf-8, or convert it (iconv -f UTF-8 -t WINDOWS-1251)"}
	}
	var src io.Reader = raw
	if cp {
		src = newCP1251Reader(raw)
	}
	c := &csvReader{br: bufio.NewReader(src), window: w, comma: in.Delimiter, cp1251: cp}
	head, line, err := c.record(0)
	if err == io.EOF {
		return nil, &InputError{Msg: "the CSV input is empty: it has no header row"}
	}
	var so *steppedOver
	if errors.As(err, &so) {
		return nil, so.err // without a header there is nothing to go on with
	}
	if err != nil {
		return nil, err
	}
	header, err := matchHeader(head, line, in.Columns)
	if err != nil {
		return nil, err
	}
	c.header = header
	return c, nil
}

// next returns the next row, io.EOF, or a *steppedOver for a malformed row.
func (c *csvReader) next() (map[string]any, error) {
	c.window.reset()
	rec, line, err := c.record(len(c.header))
	if err == io.EOF {
		return nil, io.EOF
	}
	c.row++
	c.rowLine = line
	if err != nil {
		return nil, err
	}
	m := make(map[string]any, len(c.header))
	for i, h := range c.header {
		m[h] = rec[i]
	}
	return m, nil
}

// readLine returns the next line, with its line break, or io.EOF.
func (c *csvReader) readLine() (csvLine, error) {
	if len(c.back) > 0 {
		l := c.back[0]
		c.back = c.back[1:]
		return l, nil
	}
	if c.eof {
		return csvLine{}, io.EOF
	}
	text, err := c.br.ReadString('\n')
	if err == io.EOF {
		c.eof = true
		if text == "" {
			return csvLine{}, io.EOF
		}
	} else if err != nil {
		var le *limitError
		if errors.As(err, &le) {
			return csvLine{}, &InputError{Line: c.line + 1, Msg: le.Error()}
		}
		return csvLine{}, err
	}
	c.line++
	return csvLine{text: text, num: c.line}, nil
}

// record reads the next record, skipping empty lines, and splits it into
// fields; want, when not 0, is the number of fields a row must have. It
// returns the fields and the line where the record began.
func (c *csvReader) record(want int) ([]string, int, error) {
	first, err := c.readLine()
	for err == nil && strings.TrimRight(first.text, "\r\n") == "" {
		first, err = c.readLine()
	}
	if err != nil {
		return nil, 0, err
	}
	text := first.text
	var more []csvLine
	// A quoted field that goes on past the line break has an odd number of
	// quotes so far (an escaped quote is two).
	for strings.Count(text, `"`)%2 == 1 && len(more) < maxRecordLines {
		l, err := c.readLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		more = append(more, l)
		text += l.text
	}
	fields, off, msg := splitCSV(text, c.comma)
	if msg == "" && want > 0 && len(fields) != want {
		off, msg = -1, fmt.Sprintf("wrong number of fields: the row has %d, the header %d",
			len(fields), want)
	}
	if msg == "" {
		if off, code, msg := c.badText(text); msg != "" {
			line, col := offsetPos(text, off, first.num)
			return nil, first.num, &steppedOver{&InputError{Line: line, Column: col,
				Code: code, Msg: msg}}
		}
		return fields, first.num, nil
	}
	if len(more) > 0 {
		// The lines joined to the first were not the rest of its record
		// after all: read them again as rows of their own, and report
		// what is wrong with the first line alone (its quote not closed).
		c.back = append(more, c.back...)
		text = first.text
		if _, off1, msg1 := splitCSV(text, c.comma); msg1 != "" {
			off, msg = off1, msg1
		}
		if off >= len(text) {
			off = -1
		}
	}
	line, col := first.num, 0
	if off >= 0 {
		line, col = offsetPos(text, off, first.num)
	}
	return nil, first.num, &steppedOver{&InputError{Line: line, Column: col, Msg: msg}}
}

// badText returns the offset in text (a record, well-formed) of its first
// byte that is not a character in the input's encoding, with the code and
// message of the error; msg is "" when there is none. A record is checked
// whole: a document is refused rather than read with a character changed.
func (c *csvReader) badText(text string) (off int, code, msg string) {
	if c.cp1251 {
		// Decoded windows-1251 is valid UTF-8, and only the byte that the
		// encoding leaves undefined decodes to U+FFFD.
		if off = strings.IndexRune(text, utf8.RuneError); off < 0 {
			return 0, "", ""
		}
		return off, CodeBadEncoding, "byte 0x98 is not a character in windows-1251, " +
			"which the pack reads the file as (input.encoding): the file is damaged, or in " +
			"another encoding"
	}
	if utf8.ValidString(text) {
		return 0, "", ""
	}
	off = firstInvalid(text)
	msg = fmt.Sprintf("text is not valid UTF-8: byte 0x%02X is not a character", text[off])
	if looksCP1251([]byte(text)) {
		msg += "; the file looks like windows-1251: read it with a pack whose input.encoding " +
			"is windows-1251, or convert it (iconv -f WINDOWS-1251 -t UTF-8)"
	}
	return off, model.CodeBadUTF8, msg
}

// firstHigh returns the offset of the first byte of b above 0x7F, or 0.
func firstHigh(b []byte) int {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return i
		}
	}
	return 0
}

// offsetPos returns the line and 1-based column (in characters) of byte off
// of text, which begins on line.
func offsetPos(text string, off, line int) (int, int) {
	col := 1
	for i, r := range text {
		if i >= off {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// splitCSV splits one record (with its line break) into fields as RFC 4180
// and encoding/csv do: a field in quotes may hold the delimiter, line
// breaks and doubled quotes; a quote elsewhere is an error. It returns the
// fields, or the byte offset and text of the first error.
func splitCSV(text string, comma rune) ([]string, int, string) {
	text = strings.TrimSuffix(text, "\n")
	text = strings.TrimSuffix(text, "\r")
	var fields []string
	var b strings.Builder
	i := 0
	for {
		if i < len(text) && text[i] == '"' {
			b.Reset()
			start := i
			i++
			for {
				k := strings.IndexByte(text[i:], '"')
				if k < 0 {
					return nil, start, "a quoted field is not closed"
				}
				b.WriteString(strings.ReplaceAll(text[i:i+k], "\r\n", "\n"))
				i += k + 1
				if i < len(text) && text[i] == '"' {
					b.WriteByte('"') // a doubled quote is one quote
					i++
					continue
				}
				break
			}
			fields = append(fields, b.String())
			if i == len(text) {
				return fields, 0, ""
			}
			r, n := utf8.DecodeRuneInString(text[i:])
			if r != comma {
				return nil, i - 1, `a quote in a quoted field must be doubled ("")`
			}
			i += n
			continue
		}
		k := strings.IndexRune(text[i:], comma)
		field := text[i:]
		if k >= 0 {
			field = text[i : i+k]
		}
		if q := strings.IndexByte(field, '"'); q >= 0 {
			return nil, i + q, `a quote in a field that is not in quotes (put the field in ` +
				`quotes and double the quote)`
		}
		fields = append(fields, field)
		if k < 0 {
			return fields, 0, ""
		}
		i += k + utf8.RuneLen(comma)
	}
}

// matchHeader returns the keys of the rows: the header's names, trimmed,
// with the pack's columns (input.columns) found in it whatever their case
// and spacing and under any of their names, and keyed by the name the pack
// uses. A required column the header lacks is an error naming it.
func matchHeader(head []string, line int, cols []rules.Column) ([]string, error) {
	out := make([]string, len(head))
	for i, h := range head {
		out[i] = strings.TrimSpace(h)
	}
	taken := make([]bool, len(out))
	for _, col := range cols {
		found := -1
		for i, h := range out {
			if taken[i] || !slices.ContainsFunc(col.Names, func(n string) bool {
				return sameColumn(h, n)
			}) {
				continue
			}
			if found >= 0 {
				return nil, &InputError{Line: line, Column: i + 1, Msg: fmt.Sprintf(
					"the header has both %q and %q, which the pack reads as one column, %q",
					out[found], out[i], col.Names[0])}
			}
			found = i
		}
		if found < 0 {
			if col.Required {
				return nil, &InputError{Line: line, Msg: fmt.Sprintf("the header has no "+
					"column %s, which the pack needs (the header has %s)",
					quoteNames(col.Names, " or "), quoteNames(out, ", "))}
			}
			continue
		}
		taken[found] = true
		out[found] = col.Names[0]
	}
	seen := map[string]bool{}
	for i, h := range out {
		if seen[h] {
			return nil, &InputError{Line: line, Column: i + 1,
				Msg: fmt.Sprintf("the header has the column %q twice", h)}
		}
		seen[h] = true
	}
	return out, nil
}

// sameColumn compares column names as people retype them: ignoring case,
// the spaces around and between words, and ё written as е.
func sameColumn(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.Join(strings.Fields(s), " "))
		return strings.ReplaceAll(s, "ё", "е")
	}
	return norm(a) == norm(b)
}

func quoteNames(names []string, sep string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "«" + printable(n) + "»"
	}
	return strings.Join(q, sep)
}

// windowReader refuses to read more than limit bytes between two resets,
// so that one huge CSV record or XML document cannot take all memory.
type windowReader struct {
	r     io.Reader
	n     int64
	limit int64
}

type limitError struct{ limit int64 }

func (e *limitError) Error() string {
	return fmt.Sprintf("a document longer than %d bytes", e.limit)
}

func (w *windowReader) reset() { w.n = 0 }

func (w *windowReader) Read(p []byte) (int, error) {
	if w.n > w.limit {
		return 0, &limitError{w.limit}
	}
	n, err := w.r.Read(p)
	w.n += int64(n)
	return n, err
}
