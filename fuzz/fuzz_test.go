package fuzz

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
	"github.com/evoreceipt/evoreceipt/validate"
)

// seedFiles adds every file matching the glob patterns (relative to the
// repository root) to the corpus.
func seedFiles(f *testing.F, patterns ...string) {
	f.Helper()
	for _, pat := range patterns {
		names, err := filepath.Glob(filepath.Join("..", pat))
		if err != nil {
			f.Fatal(err)
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// FuzzDecodeValidate feeds arbitrary bytes to the decoder and validator:
// they never panic, every violation's path exists in the document (or is
// the root), and a request that validates adds up.
func FuzzDecodeValidate(f *testing.F) {
	seedFiles(f, "testdata/requests/*.json", "cmd/evoreceipt/testdata/golden/*.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, res := validate.JSON(data, "")
		if len(res.Violations) == 0 && !res.Valid() {
			t.Fatal("invalid without violations")
		}
		// In a {"operation","request"} document, paths are relative to the
		// request, except for the wrapper's own keys.
		part := requestPart(data)
		for _, v := range res.Violations {
			vs := []validate.Violation{v}
			if err := PathsExist(part, vs); err != nil && PathsExist(data, vs) != nil {
				t.Fatal(err)
			}
		}
		if res.Valid() {
			if err := Consistent(doc.Request); err != nil {
				t.Fatalf("valid but inconsistent: %v", err)
			}
		}
	})
}

// FuzzMoney checks that reading a number and writing it back is stable and
// exact: decode → encode → decode gives the same text and value.
func FuzzMoney(f *testing.F) {
	for _, s := range []string{"0", "0.1", "100.10", "42949672.95", "99999.999", "1e2", "-0",
		"12345678901234567890", "1.005", "0.000", "1E-3", "-12.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var m model.Money
		if err := m.UnmarshalJSON([]byte(s)); err != nil {
			return
		}
		text, err := m.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var again model.Money
		if err := again.UnmarshalJSON(text); err != nil {
			t.Fatalf("%q wrote %q, which does not read back: %v", s, text, err)
		}
		if !again.Equal(m) {
			t.Fatalf("%q → %q → %s: value changed", s, text, again)
		}
		text2, _ := again.MarshalJSON()
		if string(text2) != string(text) {
			t.Fatalf("%q: %q then %q", s, text, text2)
		}
		if strings.ContainsAny(string(text), "eE\"") {
			t.Fatalf("%q written as %q: exponent or quotes", s, text)
		}
	})
}

// FuzzLoadPack loads arbitrary YAML as a rule pack: it never panics, and
// every error has a position.
func FuzzLoadPack(f *testing.F) {
	for _, name := range rules.BuiltinNames() {
		src, _ := rules.BuiltinSource(name)
		f.Add(src)
	}
	f.Add([]byte("name: x\noperation: '\"sell\"'\nrequest: {external_id: 1 +}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := rules.Load("fuzz.yaml", data)
		if err == nil {
			return
		}
		list := rules.AsList(err)
		if len(list) == 0 {
			t.Fatalf("error without a position: %v", err)
		}
		for _, e := range list {
			if e.Line < 1 || e.Column < 1 {
				t.Fatalf("error at %d:%d: %v", e.Line, e.Column, e)
			}
		}
	})
}

// FuzzMapOzon maps mutated Ozon postings with the built-in pack: it never
// panics, and any produced request that validates adds up.
func FuzzMapOzon(f *testing.F) {
	seedFiles(f, "testdata/orders/ozon/fbs_*.json")
	p, err := rules.Builtin("ozon-fbs")
	if err != nil {
		f.Fatal(err)
	}
	m, err := transform.New(p, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		results, _ := m.Map(data)
		for _, r := range results {
			if r.Skipped || r.Document == nil {
				continue
			}
			res := validate.Request(r.Document.Operation, r.Document.Request)
			if !res.Valid() {
				continue
			}
			if err := Consistent(r.Document.Request); err != nil {
				t.Fatalf("valid but inconsistent: %v", err)
			}
		}
	})
}

// requestPart returns the request of a {"operation","request"} document,
// whose violation paths are relative to it, or data itself.
func requestPart(data []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var top map[string]any
	if dec.Decode(&top) != nil {
		return data
	}
	req, ok := top["request"]
	if !ok {
		return data
	}
	out, err := json.Marshal(req)
	if err != nil {
		return data
	}
	return out
}
