package model

// Span is the byte range [Start, End) of one JSON value in a stream.
type Span struct{ Start, End int }

// SplitValues finds the top-level JSON values in data: one document, JSON
// Lines, or values simply written one after another. It checks syntax only
// as far as needed to find each value's end; a value that is malformed ends
// the stream, and its error is returned with the spans found before it.
func SplitValues(data []byte) ([]Span, *FieldError) {
	d := decoder{data: data, opts: DecodeOptions{MaxDepth: 512}}
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		d.pos = 3
	}
	var spans []Span
	for {
		d.skipSpace()
		if d.pos >= len(d.data) {
			return spans, nil
		}
		start := d.pos
		if !d.skip() {
			fe := d.errs[len(d.errs)-1]
			return spans, &fe
		}
		spans = append(spans, Span{start, d.pos})
	}
}
