package transform

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/evoreceipt/evoreceipt/rules"
)

// csvReader reads a CSV file with a header row, one row at a time. Each row
// becomes an object keyed by the header: {"Номер отправления": "...", ...},
// every value text as written (a decimal comma stays a comma; dec() reads
// it).
type csvReader struct {
	r      *csv.Reader
	window *windowReader
	header []string
	row    int
}

func newCSVReader(r io.Reader, in rules.Input, l Limits) (*csvReader, error) {
	w := &windowReader{r: r, limit: l.MaxDocument}
	var src io.Reader = w
	if in.Encoding == "windows-1251" {
		src = newCP1251Reader(w)
	}
	cr := csv.NewReader(skipBOM(src))
	cr.Comma = in.Delimiter
	cr.ReuseRecord = true
	c := &csvReader{r: cr, window: w}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, &InputError{Msg: "the CSV input is empty: it has no header row"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	seen := map[string]bool{}
	for i, h := range head {
		h = strings.TrimSpace(h)
		if seen[h] {
			return nil, &InputError{Line: 1, Column: i + 1,
				Msg: fmt.Sprintf("the header has the column %q twice", h)}
		}
		seen[h] = true
		c.header = append(c.header, h)
	}
	return c, nil
}

func (c *csvReader) next() (map[string]any, error) {
	c.window.reset()
	rec, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, csvError(err)
	}
	c.row++
	m := make(map[string]any, len(c.header))
	for i, h := range c.header {
		m[h] = rec[i]
	}
	return m, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
	}
	var le *limitError
	if errors.As(err, &le) {
		return &InputError{Msg: le.Error()}
	}
	return err
}

// skipBOM drops a UTF-8 byte order mark at the start of r, which
// spreadsheet programs write and which would otherwise stick to the first
// column's name.
func skipBOM(r io.Reader) io.Reader {
	var b [3]byte
	n, err := io.ReadFull(r, b[:])
	if n == 3 && string(b[:]) == "\xef\xbb\xbf" {
		return r
	}
	head := strings.NewReader(string(b[:n]))
	if err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return head
		}
		return io.MultiReader(head, errReader{err})
	}
	return io.MultiReader(head, r)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

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
