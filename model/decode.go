package model

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// DecodeOptions relaxes [Decode]. The zero value is strict, as the service is.
type DecodeOptions struct {
	// AllowUnknownFields skips keys the format does not define instead of
	// reporting them. The service rejects such keys.
	AllowUnknownFields bool
	// NumericStrings accepts a number written as a JSON string ("12.30")
	// wherever the format wants a number. The string must hold exactly a
	// number in the JSON syntax.
	NumericStrings bool
	// AllowNull reads null as "absent" for the members of objects: an
	// optional member that is null is left unset, and a required one is
	// reported as missing. A null element of an array is still an error.
	AllowNull bool
	// AllowControl accepts control characters (U+0000–U+001F, U+007F) in
	// strings; by default each string holding one is reported.
	AllowControl bool
	// MaxDepth bounds the nesting of arrays and objects; 0 means 64.
	MaxDepth int
	// Empties, when not nil, collects the paths of optional keys given
	// with an empty string or an empty array. The model cannot tell them
	// from absent keys, and writes them back absent; the service reads "" as
	// a value, which a pattern or minimum length may reject.
	Empties *[]string
	// Rewrites, when not nil, collects the values that the model will not
	// write back as they were written, in the order they were read: what
	// the options above let through (a key skipped, a null read as absent,
	// a number read from a string) and numbers written in another form
	// (1e2 is written 100). A caller that writes a decoded document back
	// needs them to say what it changed; empties are in Empties.
	Rewrites *[]Rewrite
}

// Rewrite is a value that [Decode] read into something that is written
// back otherwise; see [DecodeOptions.Rewrites].
type Rewrite struct {
	Kind RewriteKind
	// Path is the JSON path of the value, as in [FieldError].
	Path string
	// Offset and End delimit the value's text in the input: for a skipped
	// key, its value's.
	Offset, End int
	// New is the value as the model writes it, as JSON; "" when the value
	// is not written at all (a skipped key, a null).
	New string
}

// RewriteKind says why a value is written back otherwise.
type RewriteKind string

// Kinds of [Rewrite].
const (
	// RewriteUnknownKey is a key the format does not define, skipped
	// ([DecodeOptions.AllowUnknownFields]).
	RewriteUnknownKey RewriteKind = "unknown_key"
	// RewriteNull is a null member read as absent ([DecodeOptions.AllowNull]).
	// A member whose type allows null (model:"nullable") is not listed.
	RewriteNull RewriteKind = "null"
	// RewriteNumericString is a number written as a string, read as a
	// number ([DecodeOptions.NumericStrings]).
	RewriteNumericString RewriteKind = "numeric_string"
	// RewriteNumberForm is a number whose value is kept and whose text is
	// not: an exponent (1e2 is written 100, 1.0e-2 0.010), a negative zero
	// (-0.00 is written 0.00), or a fraction in an integer field (1.0 is
	// written 1).
	RewriteNumberForm RewriteKind = "number_form"
)

// Lenient is the relaxed set of options: unknown keys skipped, numeric
// strings and nulls accepted.
var Lenient = DecodeOptions{AllowUnknownFields: true, NumericStrings: true, AllowNull: true,
	AllowControl: true}

// Decode error codes, stable across versions.
const (
	CodeSyntax       = "json_syntax"
	CodeUnknownField = "unknown_field"
	CodeMissingField = "missing_field"
	CodeWrongType    = "wrong_type"
	CodeBadNumber    = "bad_number"
	CodeBadFormat    = "bad_format"
	CodeDuplicateKey = "duplicate_key"
	CodeTooDeep      = "too_deep"
	CodeBadUTF8      = "bad_utf8"
	CodeControl      = "control_character"
)

// FieldError is one problem found while decoding.
type FieldError struct {
	Code string
	// Path is the JSON path of the value (receipt.items[2].sum); "" is the
	// whole document.
	Path string
	// Offset is the byte offset of the value in the input; Line and Column
	// (in characters) are 1-based.
	Offset       int
	Line, Column int
	Message      string
	// Expected and Actual describe a wrong type or value where they apply.
	Expected, Actual string
}

// Error returns the path, the message and the position, as in
// "receipt.items[0].sum: want number, got string (line 12, column 14)".
func (e FieldError) Error() string {
	p := e.Path
	if p == "" {
		p = "(root)"
	}
	return fmt.Sprintf("%s: %s (line %d, column %d)", p, e.Message, e.Line, e.Column)
}

// DecodeError lists every problem found in a document, in the order they were
// found. A syntax error or a nesting too deep ends decoding, so it is the last
// entry when present.
type DecodeError struct {
	Errors []FieldError
	// Omitted counts the problems found after the first 1000, which are not
	// listed: a document with more is garbage, and listing them all would
	// let a small input allocate a large error.
	Omitted int
}

// Error joins the problems into one line prefixed "model: ".
func (e *DecodeError) Error() string {
	if len(e.Errors) == 1 && e.Omitted == 0 {
		return "model: " + e.Errors[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "model: %d problems: ", len(e.Errors)+e.Omitted)
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fe.Error())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "; and %d more", e.Omitted)
	}
	return b.String()
}

// maxErrors bounds the problems a [DecodeError] lists; see Omitted.
const maxErrors = 1000

// DecodeRequest reads a registration request. The request is returned even
// with an error, holding whatever could be read.
func DecodeRequest(data []byte, opts DecodeOptions) (*Request, error) {
	var r Request
	if err := Decode(data, &r, opts); err != nil {
		return &r, err
	}
	return &r, nil
}

// Decode reads the JSON document data into v, a non-nil pointer to a model
// type (or any struct built from the same kinds of fields). All problems are
// collected into one [*DecodeError]; v holds whatever could be read.
//
// A struct field is required unless its json tag says omitempty or omitzero.
// A field tagged model:"nullable" (the error and payload of service answers)
// may be null or left out. Numbers are read as [Money] documents: exactly,
// in the JSON grammar only (01, +1 and .5 are syntax errors). An integer field
// also takes 1.0 and 1e2, which JSON Schema counts as integers, but not 1.5.
// Strings must be valid UTF-8 without lone UTF-16 surrogates; a UTF-8 byte
// order mark before the document is skipped.
func Decode(data []byte, v any, opts DecodeOptions) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("model: Decode needs a non-nil pointer")
	}
	d := newDecoder(data, opts)
	d.skipSpace()
	if d.value(rv.Elem(), planOf(rv.Elem().Type())) {
		d.skipSpace()
		if d.pos < len(d.data) {
			d.syntax("unexpected data after the document")
		}
	}
	if len(d.errs) > 0 {
		return &DecodeError{Errors: d.errs, Omitted: d.omitted}
	}
	return nil
}

type decoder struct {
	data    []byte
	pos     int
	opts    DecodeOptions
	errs    []FieldError
	omitted int
	path    []seg
	depth   int
	lines   *lineIndex
	// badEsc is the offset of the first lone surrogate escape in the
	// string str read last, or -1.
	badEsc int
}

func newDecoder(data []byte, opts DecodeOptions) *decoder {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 64
	}
	d := &decoder{data: data, opts: opts}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		d.pos = 3 // a UTF-8 byte order mark carries no data
	}
	return d
}

// seg is one step of a JSON path: a key, or an index when key is "" and
// index >= 0.
type seg struct {
	key   string
	index int
}

func (d *decoder) pathString() string {
	var b strings.Builder
	for _, s := range d.path {
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if !plainKey(s.key) {
			// A key that would read as path syntax is written the way
			// JSON would quote it, so that every path names one value.
			b.WriteString("[")
			b.WriteString(strconv.Quote(s.key))
			b.WriteString("]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// plainKey reports whether key can stand in a dotted path as it is: not
// empty, and without dots, brackets, quotes or spaces.
func plainKey(key string) bool {
	if key == "" || !utf8.ValidString(key) {
		return false
	}
	for i := 0; i < len(key); i++ {
		switch c := key[i]; {
		case c == '.' || c == '[' || c == ']' || c == '"' || c == '\\' || c <= ' ' || c == 0x7f:
			return false
		}
	}
	return true
}

// capped counts a problem past the limit of maxErrors and reports whether it
// did. Callers that report many problems ask it before they build a message.
func (d *decoder) capped() bool {
	if len(d.errs) < maxErrors {
		return false
	}
	d.omitted++
	return true
}

func (d *decoder) add(code string, off int, msg, expected, actual string) {
	if code != CodeSyntax && code != CodeTooDeep && d.capped() {
		return
	}
	if d.lines == nil {
		d.lines = newLineIndex(d.data)
	}
	line, col := d.lines.at(d.data, off)
	d.errs = append(d.errs, FieldError{Code: code, Path: d.pathString(), Offset: off,
		Line: line, Column: col, Message: msg, Expected: expected, Actual: actual})
}

// rewrite records a value read from data[start:d.pos] that is written
// back as nw; the caller checks that d.opts.Rewrites is set, so that the
// path is built only for a caller that asked.
func (d *decoder) rewrite(kind RewriteKind, start int, nw string) {
	*d.opts.Rewrites = append(*d.opts.Rewrites, Rewrite{Kind: kind, Path: d.pathString(),
		Offset: start, End: d.pos, New: nw})
}

// syntax records a syntax error at the current position and returns false,
// which ends decoding.
func (d *decoder) syntax(msg string) bool {
	// A malformed document has no values to point into, so a syntax error
	// belongs to the root; its line and column say where it is.
	saved := d.path
	d.path = nil
	if d.pos >= len(d.data) {
		d.add(CodeSyntax, len(d.data), "unexpected end of input", "", "")
	} else {
		d.add(CodeSyntax, d.pos, msg, "", "")
	}
	d.path = saved
	return false
}

// LineColumn returns the 1-based line and character column of byte offset
// off in data. Columns count characters; in text that is not valid UTF-8,
// every byte that does not continue a character counts as one.
func LineColumn(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line, col = 1, 1
	for _, c := range data[:max(off, 0)] {
		line, col = advance(c, line, col)
	}
	return line, col
}

// advance moves a line and column past byte c.
func advance(c byte, line, col int) (int, int) {
	switch {
	case c == '\n':
		return line + 1, 1
	case c&0xC0 == 0x80: // a continuation byte of a multi-byte character
		return line, col
	}
	return line, col + 1
}

// lineIndex answers [LineColumn] for one input in time that does not grow
// with the input: it notes the line and column at every lineStep bytes, so
// that a document with many errors is not rescanned from the start for each.
type lineIndex struct{ marks [][2]int }

const lineStep = 1024

func newLineIndex(data []byte) *lineIndex {
	x := &lineIndex{marks: make([][2]int, len(data)/lineStep+1)}
	line, col := 1, 1
	for i, c := range data {
		if i%lineStep == 0 {
			x.marks[i/lineStep] = [2]int{line, col}
		}
		line, col = advance(c, line, col)
	}
	if len(data)%lineStep == 0 {
		x.marks[len(data)/lineStep] = [2]int{line, col}
	}
	return x
}

func (x *lineIndex) at(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	m := x.marks[off/lineStep]
	line, col = m[0], m[1]
	for _, c := range data[off/lineStep*lineStep : off] {
		line, col = advance(c, line, col)
	}
	return line, col
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

type planKind int

const (
	kStruct planKind = iota
	kPtr
	kSlice
	kMap
	kString
	kBool
	kInt
	kScalar
	kAny
)

type plan struct {
	kind planKind
	// number is true for the scalars that are JSON numbers (Money,
	// Quantity), which alone may be read from numeric strings.
	number bool
	fields map[string]*fieldPlan
	order  []*fieldPlan
	elem   *plan
	typ    reflect.Type
}

type fieldPlan struct {
	name     string
	index    []int
	required bool
	nullable bool
	slot     int
	plan     *plan
}

var plans sync.Map // reflect.Type -> *plan

// scalar is implemented by the model's value types that read themselves
// from a JSON token.
type scalar interface {
	decodeNumber(text string) (code, msg string)
	decodeString(s string, numericStrings bool) (code, msg string)
	expected() string
}

var scalarType = reflect.TypeFor[scalar]()

func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := buildPlan(t, map[reflect.Type]*plan{})
	plans.Store(t, p)
	return p
}

func buildPlan(t reflect.Type, seen map[reflect.Type]*plan) *plan {
	if p, ok := seen[t]; ok {
		return p
	}
	p := &plan{typ: t}
	seen[t] = p
	switch {
	case reflect.PointerTo(t).Implements(scalarType):
		p.kind = kScalar
		p.number = t == reflect.TypeFor[Money]() || t == reflect.TypeFor[Quantity]()
	case t.Kind() == reflect.Pointer:
		p.kind = kPtr
		p.elem = buildPlan(t.Elem(), seen)
	case t.Kind() == reflect.Slice:
		p.kind = kSlice
		p.elem = buildPlan(t.Elem(), seen)
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		p.kind = kMap
		p.elem = buildPlan(t.Elem(), seen)
	case t.Kind() == reflect.String:
		p.kind = kString
	case t.Kind() == reflect.Bool:
		p.kind = kBool
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		p.kind = kInt
	case t.Kind() == reflect.Struct:
		p.kind = kStruct
		p.fields = map[string]*fieldPlan{}
		addFields(p, t, nil, seen)
	default:
		p.kind = kAny
	}
	return p
}

func addFields(p *plan, t reflect.Type, index []int, seen map[reflect.Type]*plan) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			addFields(p, f.Type, idx, seen)
			continue
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		nullable := f.Tag.Get("model") == "nullable"
		fp := &fieldPlan{name: name, index: idx, slot: len(p.order), nullable: nullable,
			required: !nullable && !strings.Contains(opts, "omitempty") &&
				!strings.Contains(opts, "omitzero"),
			plan: buildPlan(f.Type, seen)}
		p.fields[name] = fp
		p.order = append(p.order, fp)
	}
}

func kindName(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func (p *plan) expected() string {
	switch p.kind {
	case kStruct, kMap:
		return "object"
	case kPtr:
		return p.elem.expected()
	case kSlice:
		return "array"
	case kString:
		return "string"
	case kBool:
		return "boolean"
	case kInt:
		return "integer"
	case kScalar:
		return reflect.New(p.typ).Interface().(scalar).expected()
	}
	return "value"
}

// value decodes one JSON value into v. It returns false after a syntax
// error, which ends decoding. A null that reaches it is an error: the
// members of objects deal with the nulls that options or tags allow.
func (d *decoder) value(v reflect.Value, p *plan) bool {
	if d.pos >= len(d.data) {
		return d.syntax("unexpected end of input")
	}
	c := d.data[d.pos]
	if c == 'n' && p.kind != kAny {
		start := d.pos
		if !d.literal("null") {
			return false
		}
		msg := "null is not allowed here; give a " + p.expected()
		switch {
		case len(d.path) > 0 && d.path[len(d.path)-1].index >= 0:
			msg = "null is not allowed in an array; give a " + p.expected()
		case len(d.path) > 0:
			msg = "null is not allowed here; leave the key out or give a " + p.expected()
		}
		d.add(CodeWrongType, start, msg, p.expected(), "null")
		return true
	}
	switch p.kind {
	case kPtr:
		if v.IsNil() {
			v.Set(reflect.New(p.typ.Elem()))
		}
		return d.value(v.Elem(), p.elem)
	case kStruct:
		if c != '{' {
			return d.mismatch(p)
		}
		return d.object(v, p)
	case kMap:
		if c != '{' {
			return d.mismatch(p)
		}
		return d.mapObject(v, p)
	case kSlice:
		if c != '[' {
			return d.mismatch(p)
		}
		return d.array(v, p)
	case kString:
		if c != '"' {
			return d.mismatch(p)
		}
		s, ok := d.checkedStr()
		if ok {
			v.SetString(s)
		}
		return ok
	case kBool:
		switch c {
		case 't':
			v.SetBool(true)
			return d.literal("true")
		case 'f':
			v.SetBool(false)
			return d.literal("false")
		}
		return d.mismatch(p)
	case kInt:
		return d.integer(v, p, c)
	case kScalar:
		return d.scalar(v.Addr().Interface().(scalar), p, c)
	}
	return d.skip()
}

// checkedStr reads a string whose value is kept, and reports invalid UTF-8
// or a lone surrogate at the byte where it starts. Such a string is not a
// syntax error: decoding goes on, so that every problem is listed.
func (d *decoder) checkedStr() (string, bool) {
	start := d.pos
	s, ok := d.str()
	if !ok {
		return "", false
	}
	switch {
	case d.badEsc >= 0:
		d.add(CodeBadUTF8, d.badEsc,
			"string holds a lone UTF-16 surrogate, which is not a character", "", "")
	case !utf8.ValidString(s):
		raw := d.data[start+1 : d.pos-1]
		i := 0
		for i < len(raw) {
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		d.add(CodeBadUTF8, start+1+i, "string is not valid UTF-8", "", "")
	default:
		if !d.opts.AllowControl {
			if i := strings.IndexFunc(s, isControl); i >= 0 {
				// Fiscal texts are printed and stored by the cash register;
				// a NUL, an escape or a line break inside one is never meant.
				d.add(CodeControl, start, fmt.Sprintf(
					"string holds the control character U+%04X", s[i]), "", "")
			}
		}
	}
	return s, true
}

// isControl reports the C0 control characters and DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func (d *decoder) scalar(sc scalar, p *plan, c byte) bool {
	start := d.pos
	var code, msg string
	switch {
	case c == '"':
		s, ok := d.str()
		if !ok {
			return false
		}
		code, msg = sc.decodeString(s, d.opts.NumericStrings)
		if code == "" && p.number && d.opts.Rewrites != nil {
			d.rewrite(RewriteNumericString, start, sc.(fmt.Stringer).String())
		}
	case c == '-' || (c >= '0' && c <= '9'):
		text, ok := d.number()
		if !ok {
			return false
		}
		code, msg = sc.decodeNumber(text)
		if code == "" && p.number && d.opts.Rewrites != nil && reformable(text) {
			if nw := sc.(fmt.Stringer).String(); nw != text {
				d.rewrite(RewriteNumberForm, start, nw)
			}
		}
	default:
		return d.mismatch(p)
	}
	if code != "" {
		d.add(code, start, msg, sc.expected(), clip(string(d.data[start:d.pos]), 80))
	}
	return true
}

// reformable reports whether a number in the JSON grammar may be written
// back in another form: only an exponent or a minus sign (on a zero) can
// be, since the grammar already rules out leading zeros and plus signs, and
// amounts keep their scale.
func reformable(text string) bool {
	return text[0] == '-' || strings.ContainsAny(text, "eE")
}

func (d *decoder) integer(v reflect.Value, p *plan, c byte) bool {
	start := d.pos
	var text string
	switch {
	case c == '"' && d.opts.NumericStrings:
		s, ok := d.str()
		if !ok {
			return false
		}
		if !validJSONNumber(s) {
			d.add(CodeBadNumber, start, "string "+quote(s)+" does not hold an integer",
				"integer", clip(string(d.data[start:d.pos]), 80))
			return true
		}
		text = s
	case c == '-' || (c >= '0' && c <= '9'):
		s, ok := d.number()
		if !ok {
			return false
		}
		text = s
	default:
		return d.mismatch(p)
	}
	n, msg := parseInt(text)
	if msg == "" && v.OverflowInt(n) {
		msg = "integer " + clip(text, 40) + " is out of range"
	}
	if msg != "" {
		d.add(CodeBadNumber, start, msg, "integer", clip(string(d.data[start:d.pos]), 80))
		return true
	}
	v.SetInt(n)
	if d.opts.Rewrites != nil {
		switch nw := strconv.FormatInt(n, 10); {
		case c == '"':
			d.rewrite(RewriteNumericString, start, nw)
		case nw != text:
			d.rewrite(RewriteNumberForm, start, nw)
		}
	}
	return true
}

var (
	minInt64 = decimalFromInt(-1 << 63)
	maxInt64 = decimalFromInt(1<<63 - 1)
)

// parseInt reads the text of a JSON number as an int64, or returns why not.
// 1.0 and 1e2 are integers in JSON Schema, so they are read; 1.5 is not.
func parseInt(text string) (int64, string) {
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, ""
	}
	dec, err := parseDecimal(text)
	switch {
	case err != nil:
		return 0, "number " + clip(text, 40) + " cannot be read: " + err.Error()
	case !dec.IsInteger():
		return 0, "want an integer, got " + clip(text, 40)
	case dec.Cmp(minInt64) < 0 || dec.Cmp(maxInt64) > 0:
		return 0, "integer " + clip(text, 40) + " is out of range"
	}
	return dec.IntPart(), ""
}

func (d *decoder) mismatch(p *plan) bool {
	start := d.pos
	got := kindName(d.data[d.pos])
	if !d.skip() {
		return false
	}
	d.add(CodeWrongType, start, "want "+p.expected()+", got "+got, p.expected(), got)
	return true
}

func (d *decoder) enter() bool {
	d.depth++
	if d.depth > d.opts.MaxDepth {
		d.add(CodeTooDeep, d.pos, fmt.Sprintf("nesting deeper than %d levels", d.opts.MaxDepth),
			"", "")
		return false
	}
	return true
}

func (d *decoder) leave() { d.depth-- }

// nextMember moves to the next member of the object being read: it takes
// the ',' that ends the previous member (none before the first), then the
// key and its ':'. done is true when the object's '}' was read instead.
// The key may share memory with the input: looking it up in a map with
// string(key) costs no allocation, and most keys are only looked up.
func (d *decoder) nextMember(first bool) (key []byte, keyStart int, done, ok bool) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, 0, false, d.syntax("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == '}':
		d.pos++
		return nil, 0, true, true
	case !first && c != ',':
		return nil, 0, false, d.syntax("want ',' or '}' in an object")
	case !first:
		d.pos++
		d.skipSpace()
	}
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return nil, 0, false, d.syntax("want a string key")
	}
	keyStart = d.pos
	if key, ok = d.strBytes(); !ok {
		return nil, 0, false, false
	}
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != ':' {
		return nil, 0, false, d.syntax("want ':' after an object key")
	}
	d.pos++
	d.skipSpace()
	return key, keyStart, false, true
}

// nextElement moves to the next element of the array being read, taking
// the ',' after the previous one. done is true when the ']' was read instead.
func (d *decoder) nextElement(first bool) (done, ok bool) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return false, d.syntax("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == ']':
		d.pos++
		return true, true
	case first:
		return false, true
	case c == ',':
		d.pos++
		d.skipSpace()
		return false, true
	}
	return false, d.syntax("want ',' or ']' in an array")
}

func (d *decoder) object(v reflect.Value, p *plan) bool {
	if !d.enter() {
		return false
	}
	defer d.leave()
	objStart := d.pos
	d.pos++ // '{'
	var small [32]bool
	seen := small[:0]
	if n := len(p.order); n <= len(small) {
		seen = small[:n]
	} else {
		seen = make([]bool, n)
	}
	for first := true; ; first = false {
		key, keyStart, done, ok := d.nextMember(first)
		if !ok {
			return false
		}
		if done {
			break
		}
		if !d.member(v, p, seen, key, keyStart) {
			return false
		}
	}
	for _, fp := range p.order {
		if fp.required && !seen[fp.slot] && !d.capped() {
			d.path = append(d.path, seg{key: fp.name, index: -1})
			d.add(CodeMissingField, objStart, "required key "+strconv.Quote(fp.name)+" is missing",
				fp.plan.expected(), "")
			d.path = d.path[:len(d.path)-1]
		}
	}
	return true
}

// member decodes the value of key into the struct v.
func (d *decoder) member(v reflect.Value, p *plan, seen []bool, key []byte, keyStart int) bool {
	fp := p.fields[string(key)]
	if fp == nil {
		k := string(key)
		d.path = append(d.path, seg{key: k, index: -1})
		if !d.opts.AllowUnknownFields && !d.capped() {
			d.add(CodeUnknownField, keyStart, "unknown key "+strconv.Quote(k)+
				"; the format does not define it", "", k)
		}
		start := d.pos
		ok := d.skip()
		if ok && d.opts.AllowUnknownFields && d.opts.Rewrites != nil {
			d.rewrite(RewriteUnknownKey, start, "")
		}
		d.path = d.path[:len(d.path)-1]
		return ok
	}
	d.path = append(d.path, seg{key: fp.name, index: -1})
	if seen[fp.slot] {
		d.add(CodeDuplicateKey, keyStart, "key "+strconv.Quote(fp.name)+" appears twice", "",
			fp.name)
	}
	seen[fp.slot] = true
	f := fieldByIndex(v, fp.index)
	ok := true
	switch {
	case !d.atNull() || !(fp.nullable || d.opts.AllowNull):
		ok = d.value(f, fp.plan)
		if ok && !fp.required && d.opts.Empties != nil &&
			(f.Kind() == reflect.String || f.Kind() == reflect.Slice) && f.Len() == 0 {
			*d.opts.Empties = append(*d.opts.Empties, d.pathString())
		}
	default:
		// A null that a tag or AllowNull lets through means "absent".
		if fp.required {
			d.add(CodeMissingField, d.pos, "required key "+strconv.Quote(fp.name)+" is null",
				fp.plan.expected(), "null")
		}
		start := d.pos
		d.pos += len("null")
		f.SetZero()
		if !fp.nullable && d.opts.Rewrites != nil {
			d.rewrite(RewriteNull, start, "")
		}
	}
	d.path = d.path[:len(d.path)-1]
	return ok
}

// atNull reports whether the literal null starts at the current position.
func (d *decoder) atNull() bool { return bytes.HasPrefix(d.data[d.pos:], []byte("null")) }

func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	return v.FieldByIndex(index)
}

// mapObject decodes an object with keys of any name into a map.
func (d *decoder) mapObject(v reflect.Value, p *plan) bool {
	if !d.enter() {
		return false
	}
	defer d.leave()
	d.pos++ // '{'
	if v.IsNil() {
		v.Set(reflect.MakeMap(p.typ))
	}
	seen := map[string]bool{}
	for first := true; ; first = false {
		rawKey, keyStart, done, ok := d.nextMember(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		key := string(rawKey)
		d.path = append(d.path, seg{key: key, index: -1})
		if seen[key] {
			d.add(CodeDuplicateKey, keyStart, "key "+strconv.Quote(key)+" appears twice", "", key)
		}
		seen[key] = true
		k := reflect.ValueOf(key).Convert(p.typ.Key())
		if d.opts.AllowNull && d.atNull() {
			start := d.pos
			d.pos += len("null")
			v.SetMapIndex(k, reflect.Value{})
			if d.opts.Rewrites != nil {
				d.rewrite(RewriteNull, start, "")
			}
		} else {
			e := reflect.New(p.elem.typ).Elem()
			ok = d.value(e, p.elem)
			v.SetMapIndex(k, e)
		}
		d.path = d.path[:len(d.path)-1]
		if !ok {
			return false
		}
	}
}

func (d *decoder) array(v reflect.Value, p *plan) bool {
	if !d.enter() {
		return false
	}
	defer d.leave()
	d.pos++ // '['
	v.SetLen(0)
	for i, first := 0, true; ; i, first = i+1, false {
		done, ok := d.nextElement(first)
		if !ok {
			return false
		}
		if done {
			break
		}
		if v.Len() == v.Cap() {
			v.Grow(1)
		}
		v.SetLen(i + 1)
		e := v.Index(i)
		e.SetZero() // the backing array may hold an earlier value
		d.path = append(d.path, seg{index: i})
		ok = d.value(e, p.elem)
		d.path = d.path[:len(d.path)-1]
		if !ok {
			return false
		}
	}
	if v.IsNil() {
		v.Set(reflect.MakeSlice(p.typ, 0, 0))
	}
	return true
}

func (d *decoder) literal(lit string) bool {
	if !bytes.HasPrefix(d.data[d.pos:], []byte(lit)) {
		return d.syntax("invalid literal")
	}
	d.pos += len(lit)
	return true
}

// number scans a JSON number and returns its text.
func (d *decoder) number() (string, bool) {
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			d.pos++
			continue
		}
		break
	}
	text := string(d.data[start:d.pos])
	if !validJSONNumber(text) {
		d.pos = start
		return "", d.syntax("invalid number " + strconv.Quote(clip(text, 40)))
	}
	return text, true
}

// str scans a JSON string starting at the opening quote and returns its
// unescaped value. Invalid UTF-8 is kept as is, and a lone surrogate escape
// becomes U+FFFD with its offset in d.badEsc, for the caller to report.
func (d *decoder) str() (string, bool) {
	b, ok := d.strBytes()
	return string(b), ok
}

// strBytes is str without the copy: for a string without escapes it returns
// the bytes of the input.
func (d *decoder) strBytes() ([]byte, bool) {
	d.badEsc = -1
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			d.pos++
			return d.data[start : d.pos-1], true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return nil, d.syntax("control character in a string")
		}
		d.pos++
	}
	buf := append([]byte(nil), d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return buf, true
		case c < 0x20:
			return nil, d.syntax("control character in a string")
		case c != '\\':
			buf = append(buf, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			d.pos = len(d.data)
			return nil, d.syntax("unexpected end of input")
		}
		e := d.data[d.pos+1]
		d.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			escStart := d.pos - 2
			r, ok := d.hex4()
			if !ok {
				return nil, false
			}
			if utf16.IsSurrogate(r) {
				if r, ok = d.lowSurrogate(r); !ok {
					return nil, false
				}
				if r == utf8.RuneError && d.badEsc < 0 {
					d.badEsc = escStart
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			d.pos -= 2
			return nil, d.syntax("invalid escape in a string")
		}
	}
	return nil, d.syntax("unexpected end of input")
}

// lowSurrogate completes the surrogate hi with the \u escape that follows
// it, when that escape is its low half. Otherwise it reads nothing and
// returns U+FFFD. It returns false after a syntax error.
func (d *decoder) lowSurrogate(hi rune) (rune, bool) {
	if hi >= 0xDC00 || d.pos+1 >= len(d.data) || d.data[d.pos] != '\\' || d.data[d.pos+1] != 'u' {
		return utf8.RuneError, true
	}
	save := d.pos
	d.pos += 2
	lo, ok := d.hex4()
	if !ok {
		return 0, false
	}
	if r := utf16.DecodeRune(hi, lo); r != utf8.RuneError {
		return r, true
	}
	d.pos = save
	return utf8.RuneError, true
}

// hex4 reads the four hex digits of a \u escape; the position is just past
// the "\u".
func (d *decoder) hex4() (rune, bool) {
	if d.pos+4 > len(d.data) {
		d.pos = len(d.data)
		return 0, d.syntax("unexpected end of input")
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			d.pos -= 2
			return 0, d.syntax("invalid \\u escape")
		}
	}
	d.pos += 4
	return r, true
}

// skip scans over one value of any kind, checking its syntax.
func (d *decoder) skip() bool {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return d.syntax("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		if !d.enter() {
			return false
		}
		defer d.leave()
		d.pos++
		for first := true; ; first = false {
			_, _, done, ok := d.nextMember(first)
			if !ok || done {
				return ok
			}
			if !d.skip() {
				return false
			}
		}
	case c == '[':
		if !d.enter() {
			return false
		}
		defer d.leave()
		d.pos++
		for first := true; ; first = false {
			done, ok := d.nextElement(first)
			if !ok || done {
				return ok
			}
			if !d.skip() {
				return false
			}
		}
	case c == '"':
		_, ok := d.str()
		return ok
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		_, ok := d.number()
		return ok
	}
	return d.syntax(fmt.Sprintf("invalid character %q looking for a value", d.data[d.pos]))
}
