package model_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
)

// tenItemRequest is a sell request of ten items, written by the model.
func tenItemRequest(tb testing.TB) []byte {
	tb.Helper()
	r := fullRequest()
	it := r.Receipt.Items[0]
	r.Receipt.Items = nil
	for range 10 {
		r.Receipt.Items = append(r.Receipt.Items, it)
	}
	data, err := model.Marshal(r)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func BenchmarkDecodeRequest(b *testing.B) {
	data := tenItemRequest(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.DecodeRequest(data, model.DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalRequest(b *testing.B) {
	r, err := model.DecodeRequest(tenItemRequest(b), model.DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecodeRequest checks, for any input, that decoding never panics, that
// every error and rewrite is located inside the input, and that whatever
// decodes without error is written in a form that decodes to the same bytes
// again, with nothing to rewrite.
func FuzzDecodeRequest(f *testing.F) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, in := range inputs {
		data, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(request(baseItem)))
	f.Add([]byte(`{"receipt":{"items":[{"price":1e2,"quantity":"1","name":"\ud800"}]}}`))
	f.Add([]byte(`{"operation":"sell","request":{"timestamp":null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []model.DecodeOptions{{}, model.Lenient} {
			var rewrites []model.Rewrite
			opts.Rewrites = &rewrites
			doc, err := model.DecodeDocument(data, opts)
			if doc == nil || doc.Request == nil {
				t.Fatal("no document returned")
			}
			for _, rw := range rewrites {
				if rw.Kind == "" || rw.Offset < 0 || rw.Offset >= rw.End || rw.End > len(data) {
					t.Fatalf("badly located rewrite %+v", rw)
				}
			}
			var de *model.DecodeError
			if err != nil {
				if !errors.As(err, &de) || len(de.Errors) == 0 {
					t.Fatalf("error %v is not a *DecodeError", err)
				}
				for _, fe := range de.Errors {
					if fe.Code == "" || fe.Offset < 0 || fe.Offset > len(data) || fe.Line < 1 ||
						fe.Column < 1 {
						t.Fatalf("badly located error %+v", fe)
					}
				}
				continue
			}
			first, err := model.Marshal(doc.Request)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			// What was read is written so that a strict decoder reads it back;
			// only control characters, which Lenient accepts, stay as read.
			var rewritten []model.Rewrite
			again, err := model.DecodeRequest(first,
				model.DecodeOptions{AllowControl: opts.AllowControl, Rewrites: &rewritten})
			if err != nil {
				t.Fatalf("the output %s does not decode: %v", first, err)
			}
			if len(rewritten) > 0 {
				t.Fatalf("the output %s is not in the model's form: %+v", first, rewritten)
			}
			second, err := model.Marshal(again)
			if err != nil || !bytes.Equal(first, second) {
				t.Fatalf("round trip changed\n%s\nto\n%s", first, second)
			}
		}
	})
}
