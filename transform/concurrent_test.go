package transform_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
)

// One mapper serves many goroutines, and each gets the same output as a
// lone run: no state leaks between runs.
func TestConcurrentMapping(t *testing.T) {
	p, err := rules.Builtin("flat")
	if err != nil {
		t.Fatal(err)
	}
	m, err := transform.New(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	input, err := os.ReadFile(filepath.Join("..", "testdata", "orders", "flat", "orders.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := byPack(m, input)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := byPack(m, input)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("a concurrent run differs: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}
