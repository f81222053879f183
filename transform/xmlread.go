package transform

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/evoreceipt/evoreceipt/rules"
)

// xmlReader reads an XML export. Elements become objects keyed by their
// local names, attributes become "@name" keys and text beside child
// elements or attributes "#text"; an element with only text is that text.
// A name that repeats becomes a list, so a single <Товар> is an object and
// several are a list: list() makes both a list.
//
// With element set, every element of that name is one document, built and
// returned one at a time; otherwise the whole document is one input value,
// {"RootName": {...}}.
type xmlReader struct {
	d       *xml.Decoder
	text    *xmlText
	window  *windowReader
	element string
	limits  Limits
	done    bool
	err     error // from opening the input, returned by the first next
}

func newXMLReader(r io.Reader, in rules.Input, l Limits) *xmlReader {
	w := &windowReader{r: r, limit: l.MaxDocument}
	t, err := newXMLText(w, in.Encoding)
	if err != nil {
		return &xmlReader{err: err}
	}
	d := xml.NewDecoder(t)
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		// The text is UTF-8 already: newXMLText read the declaration.
		if l := strings.ToLower(label); utf8Labels[l] || cp1251Labels[l] {
			return input, nil
		}
		return nil, fmt.Errorf("the encoding %q is not supported (utf-8 or windows-1251)", label)
	}
	return &xmlReader{d: d, text: t, window: w, element: in.Element, limits: l}
}

func (x *xmlReader) next() (any, error) {
	if x.err != nil {
		err := x.err
		x.err, x.done = nil, true
		return nil, err
	}
	if x.done {
		return nil, io.EOF
	}
	for {
		x.window.reset()
		tok, err := x.d.Token()
		if err == io.EOF {
			x.done = true
			// A byte that is not a character after the last document, or
			// in a file without one: the input is not what it says.
			if b := x.text.take(x.d.InputOffset() + 1); b != nil {
				return nil, &InputError{Line: b.line, Column: b.col, Code: b.code, Msg: b.msg}
			}
			if x.element == "" {
				return nil, &InputError{Msg: "the XML input has no root element"}
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, x.error(err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if x.element == "" {
			v, err := x.build(start, 1)
			if err != nil {
				return nil, err
			}
			x.done = true
			if err := x.refuse(); err != nil {
				return nil, err
			}
			return map[string]any{start.Name.Local: v}, nil
		}
		if start.Name.Local == x.element {
			v, err := x.build(start, 1)
			if err != nil {
				return nil, err
			}
			if err := x.refuse(); err != nil {
				return nil, err
			}
			return v, nil
		}
	}
}

// refuse returns the error of the document just read when a byte before
// its end (and after the document before it) was not a character.
func (x *xmlReader) refuse() error {
	if b := x.text.take(x.d.InputOffset()); b != nil {
		return x.text.error(b)
	}
	return nil
}

func (x *xmlReader) error(err error) error {
	// A byte that was not a character, which the decoder got as U+FFFD,
	// may be what it stumbled on; that is the error to give.
	if b := x.text.take(x.d.InputOffset() + 1); b != nil {
		return &InputError{Line: b.line, Column: b.col, Code: b.code, Msg: b.msg}
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &InputError{Line: se.Line, Msg: se.Msg}
	}
	var le *limitError
	if errors.As(err, &le) {
		return &InputError{Msg: le.Error()}
	}
	line, col := x.d.InputPos()
	return &InputError{Line: line, Column: col, Msg: err.Error()}
}

// build reads the element that start opened, to its end.
func (x *xmlReader) build(start xml.StartElement, depth int) (any, error) {
	if depth > x.limits.MaxDepth {
		line, col := x.d.InputPos()
		return nil, &InputError{Line: line, Column: col,
			Msg: fmt.Sprintf("nested deeper than %d", x.limits.MaxDepth)}
	}
	var m map[string]any
	if len(start.Attr) > 0 {
		m = make(map[string]any, len(start.Attr)+4)
		for _, a := range start.Attr {
			m["@"+a.Name.Local] = a.Value
		}
	}
	var text strings.Builder
	for {
		tok, err := x.d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, x.error(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			child, err := x.build(t, depth+1)
			if err != nil {
				return nil, err
			}
			if m == nil {
				m = make(map[string]any, 8)
			}
			add(m, t.Name.Local, child)
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if m == nil {
				return text.String(), nil
			}
			if s := text.String(); strings.TrimSpace(s) != "" {
				m["#text"] = s
			}
			return m, nil
		}
	}
}

// add puts a child element under its name; a repeated name becomes a list.
func add(m map[string]any, key string, v any) {
	old, ok := m[key]
	if !ok {
		m[key] = v
		return
	}
	if list, ok := old.([]any); ok {
		m[key] = append(list, v)
		return
	}
	m[key] = []any{old, v}
}
