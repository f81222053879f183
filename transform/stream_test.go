package transform_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
)

// generator writes n documents on demand, so that a large input never
// exists in memory as a whole.
type generator struct {
	n, i   int
	head   string
	line   func(i int) string
	buf    bytes.Buffer
	served int64
}

func (g *generator) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && g.i < g.n {
		if g.i == 0 {
			g.buf.WriteString(g.head)
		}
		g.buf.WriteString(g.line(g.i))
		g.i++
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	n, _ := g.buf.Read(p)
	g.served += int64(n)
	return n, nil
}

func flatLine(i int) string {
	return fmt.Sprintf(`{"id": "G-%d", "date": "2026-02-01T10:00:00Z", "customer": {"email": `+
		`"b%d@example.com"}, "lines": [{"name": "Товар %d", "qty": %d, "unit_price": "%d.%02d", `+
		`"vat": "vat22"}, {"name": "Доставка", "qty": 1, "unit_price": "300", "kind": "delivery"}], `+
		`"discount": {"type": "percent", "amount": "7"}}`+"\n", i, i, i, 1+i%5, 100+i%900, i%100)
}

// Mapping a large input keeps the live heap at the size of a few
// documents: Each reads, maps and hands over one document at a time. The
// heap is measured after a collection every 5000 documents, so that it
// counts what the mapping keeps, not garbage waiting for the collector.
// What grows with the input is the set of external_ids produced, which
// refuses a second receipt under one of them: some tens of bytes each.
func TestStreamingMemory(t *testing.T) {
	n := 40_000
	if testing.Short() {
		n = 4_000
	}
	limit := 2<<20 + 64*n
	for _, tc := range []struct {
		pack string
		gen  *generator
	}{
		{"flat", &generator{n: n, line: flatLine}},
		{"flat", &generator{n: n, head: "[", line: func(i int) string {
			if i == n-1 {
				return flatLine(i) + "]"
			}
			return flatLine(i) + ","
		}}},
		{"ozon-csv", &generator{n: n, head: "Номер отправления;Принят в " +
			"обработку;Статус;" +
			"Название товара;Оплачено покупателем;Количество\n",
			line: func(i int) string {
				return fmt.Sprintf("%d-1;01.02.2026 10:00;Доставлен;Мяч %d;%d,50;1\n"+
					"%d-1;01.02.2026 10:00;Доставлен;Насос;100;2\n", i, i, 100+i%50, i)
			}}},
	} {
		t.Run(tc.pack, func(t *testing.T) {
			p, err := rules.Builtin(tc.pack)
			if err != nil {
				t.Fatal(err)
			}
			m, err := transform.New(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			live := func() uint64 {
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				return ms.HeapAlloc
			}
			baseline := live()
			var peak uint64
			count := 0
			err = m.Each(tc.gen, func(r transform.Result) error {
				if r.Err != nil {
					return r.Err
				}
				count++
				if count%5000 == 0 {
					peak = max(peak, live())
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if count != n {
				t.Fatalf("%d documents, want %d", count, n)
			}
			growth := int64(peak) - int64(baseline)
			t.Logf("%s: %d documents, %.1f MiB of input, live heap grew at most %.2f MiB",
				tc.pack, n, float64(tc.gen.served)/(1<<20), float64(growth)/(1<<20))
			if growth > int64(limit) {
				t.Errorf("the live heap grew by %.1f MiB mapping %.1f MiB of input",
					float64(growth)/(1<<20), float64(tc.gen.served)/(1<<20))
			}
		})
	}
}
