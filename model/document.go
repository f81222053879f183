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
	if !isWrapped(data, opts.MaxDepth) {
		r, err := DecodeRequest(data, opts)
		return &Document{Request: r}, err
	}
	doc := Document{Request: &Request{}}
	before, rewritten := 0, 0
	if opts.Empties != nil {
		before = len(*opts.Empties)
	}
	if opts.Rewrites != nil {
		rewritten = len(*opts.Rewrites)
	}
	err := Decode(data, &doc, opts)
	if de, ok := err.(*DecodeError); ok {
		for i := range de.Errors {
			de.Errors[i].Path = relativeToRequest(de.Errors[i].Path)
		}
	}
	if opts.Empties != nil {
		e := *opts.Empties
		for i := before; i < len(e); i++ {
			e[i] = relativeToRequest(e[i])
		}
	}
	if opts.Rewrites != nil {
		rw := *opts.Rewrites
		for i := rewritten; i < len(rw); i++ {
			rw[i].Path = relativeToRequest(rw[i].Path)
		}
	}
	if doc.Request == nil {
		doc.Request = &Request{}
	}
	return &doc, err
}

// relativeToRequest turns a path of a wrapped document into one relative
// to its request; the wrapper's own keys keep their names.
func relativeToRequest(p string) string {
	switch {
	case p == "request":
		return ""
	case strings.HasPrefix(p, "request."):
		return p[len("request."):]
	case strings.HasPrefix(p, `request["`): // a quoted key
		return p[len("request"):]
	}
	return p
}

// isWrapped reports whether data is a JSON object with a top-level
// "request" key. It reads no further than the top level's keys and skips
// the values, with the caller's depth limit; malformed input is "not
// wrapped", so that the request decoder reports the error.
func isWrapped(data []byte, maxDepth int) bool {
	d := newDecoder(data, DecodeOptions{MaxDepth: maxDepth})
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != '{' || !d.enter() {
		return false
	}
	d.pos++
	for first := true; ; first = false {
		key, _, done, ok := d.nextMember(first)
		switch {
		case !ok || done:
			return false
		case string(key) == "request":
			return true
		case first && requestKeys[string(key)]:
			// A bare request: no need to scan the rest of the document.
			return false
		case !d.skip():
			return false
		}
	}
}

// requestKeys are the keys of a bare request; a document that starts with
// one of them is not a wrapper.
var requestKeys = map[string]bool{"timestamp": true, "external_id": true, "service": true,
	"ism_optional": true, "receipt": true, "correction": true}
