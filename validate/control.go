package validate

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/evoreceipt/evoreceipt/model"
)

// controlChars reports strings holding control characters in a request
// built in Go (by a rule pack, say), which never went through the JSON
// decoder that reports them for JSON input.
func (c *checker) controlChars() {
	w := stringWalker{fn: func(path func() string, s string) {
		if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
			ch := fmt.Sprintf("U+%04X", s[i])
			c.add(newViolation(model.CodeControl, path(), "text without control characters",
				ch, ch))
		}
	}}
	w.walk(reflect.ValueOf(c.req).Elem())
}

// stringWalker calls fn for every non-empty string field under a value,
// with its JSON path. Embedded structs are walked as the JSON encoder
// flattens them. The path is kept as a stack of parts and joined only when
// fn asks for it: a clean request, the common case, then costs no string
// building at all.
type stringWalker struct {
	fn    func(path func() string, s string)
	parts []string // a key, or an index written "[i]"
}

func (w *stringWalker) path() string {
	var b strings.Builder
	for _, p := range w.parts {
		if b.Len() > 0 && p[0] != '[' {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func (w *stringWalker) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			w.walk(v.Elem())
		}
	case reflect.String:
		if s := v.String(); s != "" {
			w.fn(w.path, s)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			w.parts = append(w.parts, index(i))
			w.walk(v.Index(i))
			w.parts = w.parts[:len(w.parts)-1]
		}
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			if f.name == "" {
				w.walk(v.Field(f.index))
				continue
			}
			w.parts = append(w.parts, f.name)
			w.walk(v.Field(f.index))
			w.parts = w.parts[:len(w.parts)-1]
		}
	}
}

// walkField is a field the walk enters: its JSON name, or "" for an
// embedded struct that the encoder flattens.
type walkField struct {
	index int
	name  string
}

// fields caches the walked fields of each struct type: reflect.Type.Field
// allocates, and the model's types are few.
var fields sync.Map // reflect.Type → []walkField

func fieldsOf(t reflect.Type) []walkField {
	if fs, ok := fields.Load(t); ok {
		return fs.([]walkField)
	}
	var fs []walkField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "":
			fs = append(fs, walkField{index: i})
		case name != "" && name != "-" && canHoldString(f.Type, map[reflect.Type]bool{}):
			fs = append(fs, walkField{index: i, name: name})
		}
	}
	fields.Store(t, fs)
	return fs
}

// canHoldString reports whether a value of type t can hold a string
// somewhere inside; amounts, numbers and times are skipped without a look.
// seen stops a type that contains itself.
func canHoldString(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.String, reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return canHoldString(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() && canHoldString(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// indexes holds "[0]" … "[127]", so that walking a request of up to 100
// items and 128 marking codes writes no index text.
var indexes = func() []string {
	s := make([]string, 128)
	for i := range s {
		s[i] = "[" + strconv.Itoa(i) + "]"
	}
	return s
}()

func index(i int) string {
	if i < len(indexes) {
		return indexes[i]
	}
	return "[" + strconv.Itoa(i) + "]"
}
