package rulestest_test

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/rules/rulestest"
)

// Every built-in pack passes its own tests, which map the samples under
// testdata/orders.
func TestBuiltinPacks(t *testing.T) { rulestest.RunBuiltin(t) }
