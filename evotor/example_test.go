package evotor_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
	"github.com/evoreceipt/evoreceipt/model"
)

const exampleRequest = `{
  "timestamp": "05.01.2026 10:15:00",
  "external_id": "order-123-sell-1",
  "receipt": {
    "client": {"email": "buyer@example.com"},
    "company": {"email": "shop@example.com", "sno": "osn", "inn": "5544332219",
                "payment_address": "https://shop.example"},
    "items": [{"name": "Товар", "price": 61.00, "quantity": 2, "measure": 0, "sum": 122.00,
               "payment_method": "full_payment", "payment_object": 1,
               "vat": {"type": "vat22", "sum": 22.00}}],
    "payments": [{"type": 1, "sum": 122.00}],
    "vats": [{"type": "vat22", "sum": 22.00}],
    "total": 122.00
  }
}`

// Submit a receipt to a sandbox, wait for it to be processed and read its
// fiscal attributes.
func ExampleClient_Submit() {
	clock := func() time.Time { return time.Date(2026, 1, 5, 7, 15, 1, 0, time.UTC) }
	sandbox := evotortest.NewServer(evotortest.WithSeed(1), evotortest.WithClock(clock))
	defer sandbox.Close()

	policy := evotor.DefaultRetryPolicy()
	policy.PollMin, policy.PollMax = 10*time.Millisecond, 100*time.Millisecond
	c, err := evotor.NewClient(
		evotor.WithBaseURL(sandbox.URL), // evotor.ProductionURL in production
		evotor.WithCredentials(sandbox.Login, sandbox.Password),
		evotor.WithGroupCode(sandbox.Group),
		evotor.WithRetry(policy),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	req, err := model.DecodeRequest([]byte(exampleRequest), model.DecodeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, err := c.Submit(ctx, model.Sell, req)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := c.Wait(ctx, sub.UUID)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := rep.Payload
	fmt.Println("status:", rep.Status)
	fmt.Println("receipt", p.FiscalReceiptNumber, "in shift", p.ShiftNumber,
		"at", p.ReceiptDatetime)
	fmt.Println("total:", p.Total)

	// Sending it again is harmless: the same document comes back.
	again, err := c.Submit(ctx, model.Sell, req)
	fmt.Println("again:", again.UUID == sub.UUID, again.Duplicate, err)
	// Output:
	// status: done
	// receipt 1 in shift 1 at 05.01.2026 10:15:01
	// total: 122.00
	// again: true true <nil>
}

// Classify failures by what to do about them.
func ExampleKindOf() {
	sandbox := evotortest.NewServer()
	defer sandbox.Close()
	c, err := evotor.NewClient(
		evotor.WithBaseURL(sandbox.URL),
		evotor.WithCredentials(sandbox.Login, "wrong password"),
		evotor.WithGroupCode(sandbox.Group),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	req, _ := model.DecodeRequest([]byte(exampleRequest), model.DecodeOptions{})
	_, err = c.Submit(context.Background(), model.Sell, req)

	var e *evotor.Error
	if errors.As(err, &e) {
		fmt.Println("kind:", e.Kind, "code:", e.Code, "HTTP:", e.HTTPStatus)
	}
	fmt.Println("retry later?", evotor.IsTransient(err))
	switch {
	case errors.Is(err, evotor.ErrTransient):
		fmt.Println("resend the same request later")
	case errors.Is(err, evotor.ErrAuth), errors.Is(err, evotor.ErrConfig):
		fmt.Println("fix the credentials or group code")
	case errors.Is(err, evotor.ErrInvalid):
		fmt.Println("fix the document")
	case errors.Is(err, evotor.ErrConflict):
		fmt.Println("the external_id belongs to another document")
	}
	// Output:
	// kind: auth code: 12 HTTP: 401
	// retry later? false
	// fix the credentials or group code
}
