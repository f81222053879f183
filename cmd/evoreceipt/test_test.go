package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTestCommand(t *testing.T) {
	// Every built-in pack passes its tests; the tests find the samples
	// from this directory up.
	out, stderr, code := runCmd(t, "", "test")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, "ok   flat (") || !strings.Contains(out, " 0 failed") {
		t.Errorf("output:\n%s", out)
	}

	dir := t.TempDir()
	pack := filepath.Join(dir, "p.yaml")
	good := `name: p
operation: '"sell"'
request:
  external_id: '"x-1"'
  timestamp: ts(doc.date)
  receipt:
    client: {email: '"a@example.com"'}
    company: {email: '"s@example.com"', sno: '"osn"', inn: '"5544332219"',
              payment_address: '"https://shop.example"'}
    items:
      - each: doc.lines
        fields:
          name: trim(line.name)
          price: dec(line.price)
          quantity: 1
          measure: 0
          payment_method: '"full_payment"'
          payment_object: 1
          vat: {type: '"vat22"'}
    payments: [{type: 1, sum: total}]
tests:
  - name: right
    document: {date: "2026-02-01T10:00:00Z", lines: [{name: a, price: "2.50"}]}
    expect:
      receipts: [{receipt: {items: [{name: a, price: 2.50, sum: 2.50}], total: 2.50}}]
  - name: a rate out of force
    document: {date: "2025-02-01T10:00:00Z", lines: [{name: a, price: "2.50"}]}
    expect:
      violations: [{code: vat_rate_date, path: "receipt.items[0].vat.type"}]
  - name: wrong
    document: {date: "2026-02-01T10:00:00Z", lines: [{name: a, price: "2.50"}]}
    expect:
      receipts: [{receipt: {total: 3.00}}]
`
	if err := os.WriteFile(pack, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCmd(t, "", "test", "-v", pack)
	if code != exitInvalid {
		t.Errorf("a failing test: exit %d, want %d\n%s", code, exitInvalid, out)
	}
	if !strings.Contains(out, "ok   p: right") || !strings.Contains(out, "FAIL p: wrong") ||
		!strings.Contains(out, "ok   p: a rate out of force") ||
		!strings.Contains(out, "total 2.50, want 3.00") {
		t.Errorf("output:\n%s", out)
	}

	// A broken pack fails with its errors' positions.
	out, _, code = runCmd(t, "", "test", filepath.Join("..", "..", "rules", "testdata",
		"broken", "decimal-plus-string.yaml"))
	if code != exitInvalid || !strings.Contains(out, "decimal-plus-string.yaml:9:35:") {
		t.Errorf("broken pack: exit %d\n%s", code, out)
	}
}

// A pack that cannot be read is an I/O error, exit 2, not a failing test;
// the other packs are still tested.
func TestTestCommandUnreadable(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, pack, err string
	}{
		{"missing file", filepath.Join(dir, "none.yaml"), "no such file"},
		{"directory", dir, "is a directory"},
		{"unknown name", "nosuch", `"nosuch" is neither a pack file nor a built-in pack`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", "test", tc.pack, "flat")
			if code != exitUsage || !strings.Contains(stderr, tc.err) ||
				!strings.Contains(out, "ok   flat (") ||
				!strings.Contains(out, " 0 failed, 1 unreadable") {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
			}
		})
	}
}
