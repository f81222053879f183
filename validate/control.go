package validate

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
)

// controlChars reports strings holding control characters in a request
// built in Go (by a rule pack, say), which never went through the JSON
// decoder that reports them for JSON input.
func (c *checker) controlChars() {
	walkStrings(reflect.ValueOf(c.req).Elem(), "", func(path, s string) {
		if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
			ch := fmt.Sprintf("U+%04X", s[i])
			c.add(newViolation(model.CodeControl, path, "text without control characters", ch, ch))
		}
	})
}

// walkStrings calls fn for every non-empty string field under v, with its
// JSON path. Embedded structs are walked as the JSON encoder flattens them.
func walkStrings(v reflect.Value, path string, fn func(path, s string)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, fn)
		}
	case reflect.String:
		if s := v.String(); s != "" {
			fn(path, s)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]", fn)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				walkStrings(v.Field(i), path, fn)
				continue
			}
			if name == "" || name == "-" {
				continue
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			walkStrings(v.Field(i), p, fn)
		}
	}
}
