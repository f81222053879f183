package model

import "bytes"

// Span is the byte range [Start, End) of one JSON value in a stream. Err is
// set when the value is malformed; the span then runs to the end of the line
// on which the problem was found.
type Span struct {
	Start, End int
	Err        *FieldError
}

// SplitValues finds the top-level JSON values in data: one document, JSON
// Lines, or values simply written one after another. It checks syntax only
// as far as needed to find each value's end. A malformed value does not end
// the stream: it is returned as a span with Err set, and splitting goes on
// from the next line, so that one broken line of a JSON Lines file costs
// only that line.
func SplitValues(data []byte) []Span {
	d := decoder{data: data, opts: DecodeOptions{MaxDepth: 512}}
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		d.pos = 3
	}
	var spans []Span
	// oneLine is set while every value so far has fitted on its line: then
	// the input is JSON Lines.
	oneLine := false
	for {
		d.skipSpace()
		if d.pos >= len(d.data) {
			return spans
		}
		start := d.pos
		if d.skip() {
			multi := bytes.IndexByte(d.data[start:d.pos], '\n') >= 0
			oneLine = !multi && (oneLine || len(spans) == 0)
			spans = append(spans, Span{Start: start, End: d.pos})
			continue
		}
		fe := d.errs[len(d.errs)-1]
		d.errs = d.errs[:0]
		d.depth = 0
		// Resynchronise after the line on which the error was found. In
		// JSON Lines (every value so far on one line) a value cannot span
		// lines, so the bad one ends with its own line and the next line is
		// a fresh start even when the parser ran on into it.
		end := d.pos
		if end < start || (oneLine && bytes.IndexByte(d.data[start:end], '\n') >= 0) {
			end = start
		}
		for end < len(d.data) && d.data[end] != '\n' {
			end++
		}
		spans = append(spans, Span{Start: start, End: end, Err: &fe})
		d.pos = end
	}
}
