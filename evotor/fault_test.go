package evotor_test

import (
	"context"
	"sync"
	"testing"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
	"github.com/evoreceipt/evoreceipt/model"
)

// TestFaultInjection sends 1000 documents through a sandbox that fails a
// fifth of all requests — half with HTTP 500, half by dropping the
// connection, each half of those after registering the document — and
// checks that exactly 1000 receipts were registered, one per external_id,
// and none sold twice under two external_ids.
func TestFaultInjection(t *testing.T) {
	t.Parallel()
	const n = 1000
	c, s := sandboxClient(t, []evotortest.Option{evotortest.WithSeed(42),
		evotortest.WithServerErrors(0.10), evotortest.WithDroppedConnections(0.10)},
		evotor.WithRetry(evotor.RetryPolicy{MaxAttempts: 12}))
	base := sellRequest(t, "")
	ids := make(chan int)
	var mu sync.Mutex
	uuids := make(map[string]string, n)
	dups := 0
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range ids {
				req := *base
				req.ExternalID = "fi-" + itoa(i)
				// Each document sells something else, so that the sandbox
				// can tell a second sale from a second document.
				rc := *base.Receipt
				rc.Items = append([]model.Item(nil), rc.Items...)
				rc.Items[0].Name = "Товар " + itoa(i)
				req.Receipt = &rc
				sub, err := c.Submit(context.Background(), model.Sell, &req)
				if err != nil {
					t.Errorf("%s: %v", req.ExternalID, err)
					continue
				}
				mu.Lock()
				uuids[req.ExternalID] = sub.UUID
				if sub.Duplicate {
					dups++
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		ids <- i
	}
	close(ids)
	wg.Wait()

	st := s.Stats()
	t.Logf("sandbox: %+v; client saw %d duplicates", st, dups)
	if st.Registrations != n || len(uuids) != n || st.RepeatedReceipts != 0 {
		t.Fatalf("%d registered (%d repeated), %d accepted; want %d and %d",
			st.Registrations, st.RepeatedReceipts, len(uuids), n, n)
	}
	for id, u := range uuids {
		if s.Registered(id) != 1 || s.UUID(id) != u {
			t.Fatalf("%s: registered %d times as %s, client has %s", id, s.Registered(id),
				s.UUID(id), u)
		}
	}
	if st.Faults < n/10 || dups == 0 || st.Duplicates != dups {
		t.Fatalf("faults %d, duplicates %d/%d: the test did not exercise lost answers",
			st.Faults, dups, st.Duplicates)
	}
}
