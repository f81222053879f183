package bench

import (
	"fmt"
	"strings"
)

// Request returns a valid sell request with n items as JSON, the same
// shape a shop's integration sends: every item with a VAT sum, and the
// receipt-level vats.
func Request(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"timestamp":"05.01.2026 10:15:00","external_id":"order-` +
		fmt.Sprint(n) + `-sell-1",` +
		`"service":{"callback_url":"https://shop.example/fiscal/callback"},"receipt":{` +
		`"client":{"email":"buyer@example.com","phone":"+79001234567"},` +
		`"company":{"email":"shop@example.com","sno":"osn","inn":"5544332219",` +
		`"payment_address":"https://shop.example"},"items":[`)
	total := int64(0) // kopecks
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		price := int64(6100 + 1000*(i%7)) // kopecks
		qty := int64(1 + i%3)
		sum := price * qty
		vat := (sum*22 + 61) / 122 // half up on kopecks
		total += sum
		fmt.Fprintf(&b, `{"name":"Товар %d","price":%s,"quantity":%d,"measure":0,"sum":%s,`+
			`"payment_method":"full_payment","payment_object":1,`+
			`"vat":{"type":"vat22","sum":%s}}`, i+1, rub(price), qty, rub(sum), rub(vat))
	}
	fmt.Fprintf(&b, `],"payments":[{"type":1,"sum":%s}],"total":%s}}`, rub(total), rub(total))
	return []byte(b.String())
}

func rub(k int64) string { return fmt.Sprintf("%d.%02d", k/100, k%100) }
