package rulestest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/rules/rulestest"
)

// The first pack of docs/rule-packs.md loads and passes its own tests, so
// the reference's example stays true.
func TestDocsExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "rule-packs.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "## A first pack")
	if !ok {
		t.Fatal("no section \"A first pack\"")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	src, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatal("no YAML block in \"A first pack\"")
	}
	pack, err := rules.Load("rule-packs.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rulestest.Run(t, pack)
}
