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
	// wherever the format wants a number.
	NumericStrings bool
	// AllowNull reads null as "absent" for optional values.
	AllowNull bool
	// MaxDepth bounds the nesting of arrays and objects; 0 means 64.
	MaxDepth int
}

// Lenient is the relaxed set of options: unknown keys skipped, numeric
// strings and nulls accepted.
var Lenient = DecodeOptions{AllowUnknownFields: true, NumericStrings: true, AllowNull: true}

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

func (e FieldError) Error() string {
	p := e.Path
	if p == "" {
		p = "(root)"
	}
	return fmt.Sprintf("%s: %s (line %d, column %d)", p, e.Message, e.Line, e.Column)
}

// DecodeError lists every problem found in a document. A syntax error ends
// decoding, so it is the last entry when present.
type DecodeError struct {
	Errors []FieldError
}

func (e *DecodeError) Error() string {
	if len(e.Errors) == 1 {
		return "model: " + e.Errors[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "model: %d problems: ", len(e.Errors))
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fe.Error())
	}
	return b.String()
}

// DecodeRequest reads a registration request.
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
func Decode(data []byte, v any, opts DecodeOptions) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("model: Decode needs a non-nil pointer")
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 64
	}
	d := decoder{data: data, opts: opts}
	d.pos = 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		d.pos = 3 // a UTF-8 byte order mark carries no data
	}
	d.skipSpace()
	ok := d.value(rv.Elem(), planOf(rv.Elem().Type()))
	if ok {
		d.skipSpace()
		if d.pos < len(d.data) {
			d.syntax("unexpected data after the document")
		}
	}
	if len(d.errs) > 0 {
		return &DecodeError{Errors: d.errs}
	}
	return nil
}

type decoder struct {
	data  []byte
	pos   int
	opts  DecodeOptions
	errs  []FieldError
	path  []seg
	depth int
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
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

func (d *decoder) add(code string, off int, msg, expected, actual string) {
	line, col := LineColumn(d.data, off)
	d.errs = append(d.errs, FieldError{Code: code, Path: d.pathString(), Offset: off,
		Line: line, Column: col, Message: msg, Expected: expected, Actual: actual})
}

// syntax records a syntax error at the current position and returns false,
// which ends decoding.
func (d *decoder) syntax(msg string) bool {
	if d.pos >= len(d.data) {
		msg = "unexpected end of input"
		d.add(CodeSyntax, len(d.data), msg, "", "")
		return false
	}
	d.add(CodeSyntax, d.pos, msg, "", "")
	return false
}

// LineColumn returns the 1-based line and character column of byte offset
// off in data.
func LineColumn(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
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
	kString
	kBool
	kInt
	kScalar
	kAny
)

type plan struct {
	kind   planKind
	fields map[string]*fieldPlan
	order  []*fieldPlan
	elem   *plan
	typ    reflect.Type
}

type fieldPlan struct {
	name     string
	index    []int
	required bool
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
	case t.Kind() == reflect.Pointer:
		p.kind = kPtr
		p.elem = buildPlan(t.Elem(), seen)
	case t.Kind() == reflect.Slice:
		p.kind = kSlice
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
		fp := &fieldPlan{name: name, index: idx, slot: len(p.order),
			required: !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero"),
			plan:     buildPlan(f.Type, seen)}
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
	case kStruct:
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
// error, which ends decoding.
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
		if !d.opts.AllowNull {
			d.add(CodeWrongType, start, "null is not allowed here; leave the key out or give a "+
				p.expected(), p.expected(), "null")
		}
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
	case kSlice:
		if c != '[' {
			return d.mismatch(p)
		}
		return d.array(v, p)
	case kString:
		if c != '"' {
			return d.mismatch(p)
		}
		start := d.pos
		s, ok := d.str()
		if !ok {
			return false
		}
		if !utf8.ValidString(s) {
			d.add(CodeBadUTF8, start, "string is not valid UTF-8", "", "")
		}
		v.SetString(s)
		return true
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
		if c != '-' && (c < '0' || c > '9') {
			if c == '"' && d.opts.NumericStrings {
				start := d.pos
				s, ok := d.str()
				if !ok {
					return false
				}
				d.setInt(v, s, start)
				return true
			}
			return d.mismatch(p)
		}
		start := d.pos
		text, ok := d.number()
		if !ok {
			return false
		}
		d.setInt(v, text, start)
		return true
	case kScalar:
		sc := v.Addr().Interface().(scalar)
		start := d.pos
		var code, msg string
		switch {
		case c == '"':
			s, ok := d.str()
			if !ok {
				return false
			}
			code, msg = sc.decodeString(s, d.opts.NumericStrings)
		case c == '-' || (c >= '0' && c <= '9'):
			text, ok := d.number()
			if !ok {
				return false
			}
			code, msg = sc.decodeNumber(text)
		default:
			return d.mismatch(p)
		}
		if code != "" {
			actual := string(d.data[start:d.pos])
			if len(actual) > 80 {
				actual = actual[:80] + "…"
			}
			d.add(code, start, msg, sc.expected(), actual)
		}
		return true
	}
	return d.skip()
}

func (d *decoder) setInt(v reflect.Value, text string, start int) {
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		// 1.0 and 1e1 are integers in JSON Schema; anything with a
		// fraction is not.
		dec, derr := parseDecimal(text)
		if derr != nil || !dec.IsInteger() || !dec.Abs().LessThan(maxIntDecimal) {
			d.add(CodeBadNumber, start, "want an integer, got "+text, "integer", text)
			return
		}
		n = dec.IntPart()
	}
	if v.OverflowInt(n) {
		d.add(CodeBadNumber, start, "integer out of range: "+text, "integer", text)
		return
	}
	v.SetInt(n)
}

var maxIntDecimal = decimalFromInt(1 << 53)

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
		d.add(CodeTooDeep, d.pos, fmt.Sprintf("nesting deeper than %d levels", d.opts.MaxDepth), "", "")
		return false
	}
	return true
}

func (d *decoder) object(v reflect.Value, p *plan) bool {
	if !d.enter() {
		return false
	}
	defer func() { d.depth-- }()
	objStart := d.pos
	d.pos++ // '{'
	var seen []bool
	if len(p.order) > 0 {
		seen = make([]bool, len(p.order))
	}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
	} else {
		for {
			d.skipSpace()
			if d.pos >= len(d.data) || d.data[d.pos] != '"' {
				return d.syntax("want a string key")
			}
			keyStart := d.pos
			key, ok := d.str()
			if !ok {
				return false
			}
			d.skipSpace()
			if d.pos >= len(d.data) || d.data[d.pos] != ':' {
				return d.syntax("want ':' after an object key")
			}
			d.pos++
			d.skipSpace()
			d.path = append(d.path, seg{key: key, index: -1})
			fp := p.fields[key]
			switch {
			case fp == nil:
				if !d.opts.AllowUnknownFields {
					d.add(CodeUnknownField, keyStart, "unknown key "+strconv.Quote(key)+
						"; the format does not define it", "", key)
				}
				ok = d.skip()
			case seen[fp.slot]:
				d.add(CodeDuplicateKey, keyStart, "key "+strconv.Quote(key)+" appears twice", "", key)
				ok = d.value(fieldByIndex(v, fp.index), fp.plan)
			default:
				seen[fp.slot] = true
				ok = d.value(fieldByIndex(v, fp.index), fp.plan)
			}
			d.path = d.path[:len(d.path)-1]
			if !ok {
				return false
			}
			d.skipSpace()
			if d.pos >= len(d.data) {
				return d.syntax("unexpected end of input")
			}
			if d.data[d.pos] == ',' {
				d.pos++
				continue
			}
			if d.data[d.pos] == '}' {
				d.pos++
				break
			}
			return d.syntax("want ',' or '}' in an object")
		}
	}
	for _, fp := range p.order {
		if fp.required && !seen[fp.slot] {
			d.path = append(d.path, seg{key: fp.name, index: -1})
			d.add(CodeMissingField, objStart, "required key "+strconv.Quote(fp.name)+" is missing",
				fp.plan.expected(), "")
			d.path = d.path[:len(d.path)-1]
		}
	}
	return true
}

func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	return v.FieldByIndex(index)
}

func (d *decoder) array(v reflect.Value, p *plan) bool {
	if !d.enter() {
		return false
	}
	defer func() { d.depth-- }()
	d.pos++ // '['
	d.skipSpace()
	v.SetLen(0)
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		if v.IsNil() {
			v.Set(reflect.MakeSlice(p.typ, 0, 0))
		}
		return true
	}
	for i := 0; ; i++ {
		d.skipSpace()
		if v.Len() == v.Cap() {
			v.Grow(1)
		}
		v.SetLen(i + 1)
		d.path = append(d.path, seg{index: i})
		ok := d.value(v.Index(i), p.elem)
		d.path = d.path[:len(d.path)-1]
		if !ok {
			return false
		}
		d.skipSpace()
		if d.pos >= len(d.data) {
			return d.syntax("unexpected end of input")
		}
		if d.data[d.pos] == ',' {
			d.pos++
			continue
		}
		if d.data[d.pos] == ']' {
			d.pos++
			return true
		}
		return d.syntax("want ',' or ']' in an array")
	}
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
		return "", d.syntax("invalid number " + strconv.Quote(text))
	}
	return text, true
}

// str scans a JSON string starting at the opening quote and returns its
// unescaped value. Invalid UTF-8 is kept as is for the caller to report.
func (d *decoder) str() (string, bool) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			s := string(d.data[start:d.pos])
			d.pos++
			return s, true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", d.syntax("control character in a string")
		}
		d.pos++
	}
	buf := append([]byte(nil), d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(buf), true
		case c < 0x20:
			return "", d.syntax("control character in a string")
		case c != '\\':
			buf = append(buf, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			d.pos = len(d.data)
			return "", d.syntax("unexpected end of input")
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
			r, ok := d.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
					save := d.pos
					d.pos += 2
					if r2, ok = d.hex4(); !ok {
						return "", false
					}
					if utf16.DecodeRune(r, r2) == utf8.RuneError {
						d.pos = save
						r2 = -1
					}
				}
				if r2 < 0 {
					return "", d.syntax("lone UTF-16 surrogate in a \\u escape")
				}
				r = utf16.DecodeRune(r, r2)
			}
			buf = utf8.AppendRune(buf, r)
		default:
			d.pos -= 2
			return "", d.syntax("invalid escape in a string")
		}
	}
	return "", d.syntax("unexpected end of input")
}

func (d *decoder) hex4() (rune, bool) {
	if d.pos+4 > len(d.data) {
		d.pos = len(d.data)
		return 0, d.syntax("unexpected end of input")
	}
	n, err := strconv.ParseUint(string(d.data[d.pos:d.pos+4]), 16, 32)
	if err != nil {
		return 0, d.syntax("invalid \\u escape")
	}
	d.pos += 4
	return rune(n), true
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
		defer func() { d.depth-- }()
		d.pos++
		d.skipSpace()
		if d.pos < len(d.data) && d.data[d.pos] == '}' {
			d.pos++
			return true
		}
		for {
			d.skipSpace()
			if d.pos >= len(d.data) || d.data[d.pos] != '"' {
				return d.syntax("want a string key")
			}
			if _, ok := d.str(); !ok {
				return false
			}
			d.skipSpace()
			if d.pos >= len(d.data) || d.data[d.pos] != ':' {
				return d.syntax("want ':' after an object key")
			}
			d.pos++
			if !d.skip() {
				return false
			}
			d.skipSpace()
			if d.pos >= len(d.data) {
				return d.syntax("unexpected end of input")
			}
			if d.data[d.pos] == ',' {
				d.pos++
				continue
			}
			if d.data[d.pos] == '}' {
				d.pos++
				return true
			}
			return d.syntax("want ',' or '}' in an object")
		}
	case c == '[':
		if !d.enter() {
			return false
		}
		defer func() { d.depth-- }()
		d.pos++
		d.skipSpace()
		if d.pos < len(d.data) && d.data[d.pos] == ']' {
			d.pos++
			return true
		}
		for {
			if !d.skip() {
				return false
			}
			d.skipSpace()
			if d.pos >= len(d.data) {
				return d.syntax("unexpected end of input")
			}
			if d.data[d.pos] == ',' {
				d.pos++
				continue
			}
			if d.data[d.pos] == ']' {
				d.pos++
				return true
			}
			return d.syntax("want ',' or ']' in an array")
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
