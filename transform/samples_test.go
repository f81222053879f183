package transform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
)

// Every sample order under testdata/orders that has an .expected.json is
// mapped by a built-in pack's test to exactly the receipts (items, prices,
// quantities, sums, total, payments) and skips it expects.
func TestSamples(t *testing.T) {
	root := filepath.Join("..", "testdata", "orders")
	var samples []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".expected.json") ||
			strings.HasSuffix(path, ".md") {
			return err
		}
		samples = append(samples, filepath.ToSlash(strings.TrimPrefix(path, ".."+
			string(filepath.Separator))))
		return nil
	})
	if err != nil || len(samples) < 15 {
		t.Fatalf("samples: %v, %v", samples, err)
	}
	covered := map[string]bool{}
	for _, name := range rules.BuiltinNames() {
		p, err := rules.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range transform.RunTests(p, transform.TestOptions{Dir: ".."}) {
			if r.Test.Input == "" || r.Test.Expect.File == "" {
				continue
			}
			covered[r.Test.Input] = true
			if !r.Passed() {
				t.Errorf("%s, %s (%s): %s", name, r.Test.Name, r.Test.Input,
					strings.Join(r.Failures, "; "))
			}
		}
	}
	for _, s := range samples {
		if !covered[s] {
			t.Errorf("no built-in pack maps %s to its expected receipts", s)
		}
	}
}
