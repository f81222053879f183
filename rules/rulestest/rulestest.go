// Package rulestest runs the tests written in rule packs (their tests:
// section) from go test, one subtest per pack test:
//
//	func TestMyPack(t *testing.T) {
//		pack, err := rules.LoadFile("packs/my-shop.yaml")
//		if err != nil {
//			t.Fatal(err)
//		}
//		rulestest.Run(t, pack)
//	}
//
// The evoreceipt test command runs the same tests from the command line.
package rulestest

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
)

// Run runs the tests of pack as subtests of t, named after the tests, and
// fails each one that does not pass, listing what differed. A pack without
// tests fails: a pack is not done until it says what it must produce.
func Run(t *testing.T, pack *rules.Pack, opts ...transform.TestOptions) {
	t.Helper()
	var o transform.TestOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if len(pack.Tests) == 0 {
		t.Errorf("pack %s has no tests", pack.Name)
		return
	}
	for _, r := range transform.RunTests(pack, o) {
		t.Run(r.Test.Name, func(t *testing.T) {
			for _, f := range r.Failures {
				t.Errorf("%s: %s", r.Test.Pos, f)
			}
		})
	}
}

// RunBuiltin loads every built-in pack and runs its tests, a subtest per
// pack. Their inputs are the samples under the repository's testdata, found
// from the working directory up.
func RunBuiltin(t *testing.T) {
	t.Helper()
	for _, name := range rules.BuiltinNames() {
		t.Run(name, func(t *testing.T) {
			pack, err := rules.Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			Run(t, pack)
		})
	}
}
