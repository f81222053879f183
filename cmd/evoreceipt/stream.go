package main

import (
	"bytes"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// streamDoc is one document of an input that holds one or more (JSON
// Lines, or values written one after another). Each is decoded on its
// own, so the decoder's lines and columns count from the document's first
// byte; place turns them into the input's, which are what an editor shows
// and what validate, map, fix and submit all report.
type streamDoc struct {
	data []byte
	// n is the document's 1-based ordinal in the input.
	n int
	// start is the byte offset of data in the input; line and col (in
	// characters, as the decoder counts them) are where it begins.
	start, line, col int
}

// splitStream splits data into its documents (see [model.SplitValues]).
func splitStream(data []byte) []streamDoc {
	spans := model.SplitValues(data)
	docs := make([]streamDoc, 0, len(spans))
	// Lines and columns are counted on from one document to the next, not
	// from the start of the input each time, which would make a long
	// stream quadratic.
	line, col, counted := 1, 1, 0
	for i, s := range spans {
		gap := data[counted:s.Start]
		if nl := bytes.LastIndexByte(gap, '\n'); nl >= 0 {
			line += bytes.Count(gap, []byte{'\n'})
			col, gap = 1, gap[nl+1:]
		}
		col += characters(gap)
		counted = s.Start
		docs = append(docs, streamDoc{data: data[s.Start:s.End], n: i + 1, start: s.Start,
			line: line, col: col})
	}
	return docs
}

// characters counts the characters of b as the decoder's columns do: every
// byte that does not continue a UTF-8 sequence is one.
func characters(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// place turns a 1-based line and column within the document into the
// input's. Only the document's first line shares its line with what came
// before it, so only there does the column move.
func (d *streamDoc) place(line, col int) (int, int) {
	if line <= 0 {
		return line, col // no position
	}
	if line == 1 {
		col += d.col - 1
	}
	return line + d.line - 1, col
}

// placeViolations moves the positions of vs into the input's.
func (d *streamDoc) placeViolations(vs []validate.Violation) {
	for i := range vs {
		vs[i].Line, vs[i].Column = d.place(vs[i].Line, vs[i].Column)
	}
}

// placeError returns err, an error of [model.DecodeDocument], with the
// positions of a [*model.DecodeError] moved into the input's; other errors
// carry no position and are returned as they are. The decoder's error is
// copied, not changed.
func (d *streamDoc) placeError(err error) error {
	de, ok := err.(*model.DecodeError)
	if !ok {
		return err
	}
	out := &model.DecodeError{Errors: make([]model.FieldError, len(de.Errors)),
		Omitted: de.Omitted}
	for i, fe := range de.Errors {
		fe.Line, fe.Column = d.place(fe.Line, fe.Column)
		fe.Offset += d.start
		out.Errors[i] = fe
	}
	return out
}
