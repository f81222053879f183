package validate_test

import (
	"sync"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// TestConcurrent: one validator, many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	v := validate.New(validate.Disable("phone"))
	good, bad := benchRequest(20), base()
	bad.Receipt.Company.INN = "7701493823"
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 20 {
				if g%2 == 0 {
					if res := v.Request(model.Sell, good); !res.Valid() {
						t.Errorf("good request:%s", dump(res))
					}
				} else if res := v.Request(model.Sell, bad); len(res.Violations) != 1 {
					t.Errorf("bad request:%s", dump(res))
				}
			}
		})
	}
	wg.Wait()
}
