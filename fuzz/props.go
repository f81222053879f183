package fuzz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// Consistent reports an error unless the receipt part of req adds up:
// every item's sum is price × quantity rounded to kopecks, the total is the
// sum of the items, and the payments add up to the total. A request that
// validate accepts must pass.
func Consistent(req *model.Request) error {
	b := req.Body()
	if b == nil {
		return fmt.Errorf("no receipt or correction")
	}
	for i, it := range b.Items {
		if want := compute.ItemSum(it.Price, it.Quantity); !want.Equal(it.Sum) {
			return fmt.Errorf("items[%d]: sum %s, price × quantity %s", i, it.Sum, want)
		}
	}
	if t := compute.Total(b.Items); !t.Equal(b.Total) {
		return fmt.Errorf("total %s, items add up to %s", b.Total, t)
	}
	if p := compute.PaymentsTotal(b.Payments); !p.Equal(b.Total) {
		return fmt.Errorf("payments %s, total %s", p, b.Total)
	}
	return nil
}

// PathsExist reports an error unless every violation's path names a value
// of the JSON document data, or is the root. A missing value is reported at
// the path it should have (missing_field, or any rule whose actual value is
// "absent"), so for those the parent must exist.
// data must be the document the violations came from, read as a bare
// request (paths are relative to it).
func PathsExist(data []byte, vs []validate.Violation) error {
	if !utf8.Valid(data) {
		// encoding/json replaces invalid bytes, so its keys would not match
		// the paths; such keys are reported quoted and escaped.
		return nil
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		// Malformed JSON: only root-level syntax violations make sense.
		for _, v := range vs {
			if v.Code == model.CodeSyntax && v.Path != "" {
				return fmt.Errorf("syntax violation at %q, want the root", v.Path)
			}
		}
		return nil
	}
	for _, v := range vs {
		p := v.Path
		// A missing value is reported where it belongs; its parent must
		// exist.
		if v.Code == model.CodeMissingField || v.Actual == "absent" {
			p = parent(p)
		}
		if !exists(doc, p) {
			return fmt.Errorf("violation %s at %q: no such value in the document", v.Code, v.Path)
		}
	}
	return nil
}

func parent(p string) string {
	if strings.HasSuffix(p, "\"]") {
		if i := strings.LastIndex(p, "[\""); i >= 0 {
			return p[:i]
		}
	}
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// exists walks a path like receipt.items[2].sum through decoded JSON.
func exists(v any, path string) bool {
	for path != "" {
		path = strings.TrimPrefix(path, ".")
		if strings.HasPrefix(path, "[\"") {
			// A quoted key: ["a.b"].
			key, err := strconv.QuotedPrefix(path[1:])
			if err != nil || !strings.HasPrefix(path[1+len(key):], "]") {
				return false
			}
			name, _ := strconv.Unquote(key)
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			next, ok := m[name]
			if !ok {
				return false
			}
			v, path = next, path[1+len(key)+1:]
			continue
		}
		if strings.HasPrefix(path, "[") {
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return false
			}
			i, err := strconv.Atoi(path[1:end])
			list, ok := v.([]any)
			if err != nil || !ok || i < 0 || i >= len(list) {
				return false
			}
			v, path = list[i], path[end+1:]
			continue
		}
		end := strings.IndexAny(path, ".[")
		if end < 0 {
			end = len(path)
		}
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		next, ok := m[path[:end]]
		if !ok {
			return false
		}
		v, path = next, path[end:]
	}
	return true
}
