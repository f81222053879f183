package compute_test

import (
	"errors"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
)

func TestError(t *testing.T) {
	_, err := compute.Spread(m("-1"), nil, compute.SpreadOptions{})
	var ce *compute.Error
	if !errors.As(err, &ce) || ce.Path != "amount" || !errors.Is(err, compute.ErrNegative) ||
		errors.Unwrap(ce) == nil || err.Error() != "compute: amount: -1 is negative" {
		t.Errorf("err = %v", err)
	}
}
