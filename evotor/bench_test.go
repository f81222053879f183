package evotor_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
)

// BenchmarkSubmit registers one receipt per iteration with a sandbox over
// loopback HTTP: marshal, digest, journal, exchange and decode.
func BenchmarkSubmit(b *testing.B) {
	c, _ := sandboxClient(b, nil)
	base := sellRequest(b, "")
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := *base
		req.ExternalID = "bench-" + strconv.Itoa(i)
		i++
		if _, err := c.Submit(ctx, model.Sell, &req); err != nil {
			b.Fatal(err)
		}
	}
}
