package model

import (
	"strings"
)

// Document is a request together with its operation, the line format that
// the map command writes and the validate and submit commands read:
// {"operation":"sell","request":{...}}.
type Document struct {
	Operation Operation `json:"operation"`
	Request   *Request  `json:"request"`
}

// DecodeDocument reads either a bare request or a [Document]. For a bare
// request the operation is "" and the caller decides it. Paths in a
// [*DecodeError] are relative to the request in both forms, so that
// receipt.items[0].sum means the same thing whichever form was read; the
// wrapper's own keys keep their names (operation).
func DecodeDocument(data []byte, opts DecodeOptions) (*Document, error) {
	if !isWrapped(data) {
		r, err := DecodeRequest(data, opts)
		return &Document{Request: r}, err
	}
	doc := Document{Request: &Request{}}
	err := Decode(data, &doc, opts)
	if de, ok := err.(*DecodeError); ok {
		for i := range de.Errors {
			p := de.Errors[i].Path
			switch {
			case p == "request":
				de.Errors[i].Path = ""
			case strings.HasPrefix(p, "request."):
				de.Errors[i].Path = p[len("request."):]
			}
		}
	}
	if doc.Request == nil {
		doc.Request = &Request{}
	}
	return &doc, err
}

// isWrapped reports whether data is a JSON object with a top-level
// "request" key. It reads no further than the top level's keys and skips
// the values; malformed input is "not wrapped", so that the request decoder
// reports the error.
func isWrapped(data []byte) bool {
	d := decoder{data: data, opts: DecodeOptions{MaxDepth: 64}}
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		d.pos = 3
	}
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != '{' {
		return false
	}
	d.pos++
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return false
		}
		key, ok := d.str()
		if !ok {
			return false
		}
		if key == "request" {
			return true
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return false
		}
		d.pos++
		if !d.skip() {
			return false
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ',' {
			return false
		}
		d.pos++
	}
}
