package transform_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
)

// byPack maps input with m and writes the requests as JSON lines.
func byPack(m *transform.Mapper, input []byte) ([]byte, error) {
	var out bytes.Buffer
	err := m.Each(bytes.NewReader(input), func(r transform.Result) error {
		if r.Err != nil || r.Skipped {
			return r.Err
		}
		data, err := model.Marshal(r.Document)
		out.Write(data)
		out.WriteByte('\n')
		return err
	})
	return out.Bytes(), err
}

func ozonSample(tb testing.TB) ([]byte, *transform.Mapper) {
	tb.Helper()
	input, err := os.ReadFile(filepath.Join("..", "testdata", "orders", "ozon",
		"fbs_get_v3.json"))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := rules.Builtin("ozon-fbs")
	if err != nil {
		tb.Fatal(err)
	}
	m, err := transform.New(p, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return input, m
}

// BenchmarkOzon maps the Ozon FBS sample with the compiled ozon-fbs pack.
// Its comparison with the same mapping written in Go, and with gojq, is
// BenchmarkMapOzon in the bench module, which holds the one hand-written
// copy (see BENCHMARKS.md):
//
//	go test ./transform -run '^$' -bench Ozon -benchmem
func BenchmarkOzon(b *testing.B) {
	input, m := ozonSample(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := byPack(m, input); err != nil {
			b.Fatal(err)
		}
	}
}
