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
	window  *windowReader
	element string
	limits  Limits
	done    bool
}

func newXMLReader(r io.Reader, in rules.Input, l Limits) *xmlReader {
	w := &windowReader{r: r, limit: l.MaxDocument}
	var src io.Reader = w
	decoded := in.Encoding == "windows-1251"
	if decoded {
		src = newCP1251Reader(w)
	}
	d := xml.NewDecoder(src)
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return input, nil
		case "windows-1251", "cp1251", "x-cp1251", "cp-1251":
			if decoded {
				return input, nil
			}
			return newCP1251Reader(input), nil
		}
		return nil, fmt.Errorf("the encoding %q is not supported (utf-8 or windows-1251)", label)
	}
	return &xmlReader{d: d, window: w, element: in.Element, limits: l}
}

func (x *xmlReader) next() (any, error) {
	if x.done {
		return nil, io.EOF
	}
	for {
		x.window.reset()
		tok, err := x.d.Token()
		if err == io.EOF {
			x.done = true
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
			return map[string]any{start.Name.Local: v}, nil
		}
		if start.Name.Local == x.element {
			return x.build(start, 1)
		}
	}
}

func (x *xmlReader) error(err error) error {
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
