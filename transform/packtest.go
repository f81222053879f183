package transform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/validate"
	"github.com/shopspring/decimal"
)

// TestResult is the outcome of one test of a pack.
type TestResult struct {
	Pack string
	Test *rules.Test
	// Failures say what differed; none means the test passed.
	Failures []string
}

// Passed reports whether the test passed.
func (r TestResult) Passed() bool { return len(r.Failures) == 0 }

// TestOptions configures [RunTests].
type TestOptions struct {
	// Dir resolves the tests' relative input and expectation paths. When
	// empty, a file pack's paths are relative to its directory, and a
	// built-in pack's to the repository root, found by looking in the
	// working directory and its parents.
	Dir string
}

// RunTests runs the tests written in the pack (tests:) and reports each.
// A test maps its input with its parameters and compares the receipts,
// skips, operations and violations with its expectations; every produced
// request is also checked by the validator, whose errors fail the test
// unless it expects them.
func RunTests(p *rules.Pack, opts TestOptions) []TestResult {
	out := make([]TestResult, 0, len(p.Tests))
	for i := range p.Tests {
		t := &p.Tests[i]
		r := TestResult{Pack: p.Name, Test: t}
		r.Failures = runTest(p, t, opts)
		out = append(out, r)
	}
	return out
}

func runTest(p *rules.Pack, t *rules.Test, opts TestOptions) []string {
	var fails []string
	failf := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	input := t.Document
	if t.Input != "" {
		data, err := readTestFile(p, t.Input, opts)
		if err != nil {
			return []string{err.Error()}
		}
		input = data
	}
	m, err := New(p, t.Params)
	if err != nil {
		return []string{err.Error()}
	}
	results, err := m.Map(input)
	x := t.Expect
	if x.Error != "" {
		switch {
		case err == nil:
			failf("want an error containing %q, the input was mapped", x.Error)
		case !strings.Contains(err.Error(), x.Error):
			failf("want an error containing %q, got: %v", x.Error, err)
		}
		return fails
	}
	if err != nil {
		return []string{"mapping failed: " + err.Error()}
	}
	var want expectedFile
	if x.File != "" {
		data, err := readTestFile(p, x.File, opts)
		if err != nil {
			return []string{err.Error()}
		}
		var raw any
		if err := decodeExact(data, &raw); err != nil {
			return []string{x.File + ": " + err.Error()}
		}
		// A misspelt key would be ignored by the comparison, and the test
		// would pass without checking it.
		if err := rules.CheckExpected(raw); err != nil {
			return []string{x.File + ": " + err.Error()}
		}
		if err := decodeExact(data, &want); err != nil {
			return []string{x.File + ": " + err.Error()}
		}
	}
	if x.Receipts != nil {
		want.Receipts = nil
		if err := decodeExact(x.Receipts, &want.Receipts); err != nil {
			return []string{"expect.receipts: " + err.Error()}
		}
	}
	if x.Skipped != nil {
		want.Skipped = nil
		if err := decodeExact(x.Skipped, &want.Skipped); err != nil {
			return []string{"expect.skipped: " + err.Error()}
		}
	}
	var docs []Result
	var skipped []Result
	for _, r := range results {
		if r.Skipped {
			skipped = append(skipped, r)
		} else {
			docs = append(docs, r)
		}
	}
	if x.File != "" || x.Receipts != nil {
		if len(docs) != len(want.Receipts) {
			failf("%d receipts, want %d", len(docs), len(want.Receipts))
		}
		for i := 0; i < len(docs) && i < len(want.Receipts); i++ {
			for _, f := range compareReceipt(docs[i].Document, &want.Receipts[i]) {
				failf("receipt %d (%s): %s", i+1, docs[i].ID, f)
			}
		}
	}
	if x.File != "" || x.Skipped != nil {
		if len(skipped) != len(want.Skipped) {
			failf("%d skipped, want %d", len(skipped), len(want.Skipped))
		}
		for i := 0; i < len(skipped) && i < len(want.Skipped); i++ {
			w := want.Skipped[i]
			if w.ID != "" && skipped[i].ID != w.ID {
				failf("skipped %d is %q, want %q", i+1, skipped[i].ID, w.ID)
			}
			if w.Reason != "" && x.Skipped != nil && !strings.Contains(skipped[i].Reason, w.Reason) {
				failf("skipped %d: reason %q, want one containing %q", i+1, skipped[i].Reason,
					w.Reason)
			}
		}
	}
	if x.Operations != nil {
		var got []string
		for _, d := range docs {
			got = append(got, string(d.Document.Operation))
		}
		if !slices.Equal(got, x.Operations) {
			failf("operations %v, want %v", got, x.Operations)
		}
	}
	var found []validate.Violation
	for _, d := range docs {
		res := validate.New(validate.WithCheck(d.Check())).Request(d.Document.Operation,
			d.Document.Request)
		found = append(found, res.Violations...)
	}
	for _, ev := range x.Violations {
		if !slices.ContainsFunc(found, func(v validate.Violation) bool { return matches(ev, v) }) {
			failf("no violation %s", describeExpected(ev))
		}
	}
	for _, v := range found {
		expected := slices.ContainsFunc(x.Violations, func(ev rules.ExpectedViolation) bool {
			return matches(ev, v)
		})
		if v.Severity == validate.Error && !expected {
			failf("unexpected violation: %s", v.String())
		}
	}
	return fails
}

func matches(ev rules.ExpectedViolation, v validate.Violation) bool {
	return (ev.Code == "" || ev.Code == v.Code) &&
		(ev.Severity == "" || ev.Severity == string(v.Severity)) &&
		(ev.Path == "" || ev.Path == v.Path)
}

func describeExpected(ev rules.ExpectedViolation) string {
	s := ev.Code
	if ev.Severity != "" {
		s += " (" + ev.Severity + ")"
	}
	if ev.Path != "" {
		s += " at " + ev.Path
	}
	return s
}

// readTestFile reads a path of a test. See [TestOptions.Dir].
func readTestFile(p *rules.Pack, path string, opts TestOptions) ([]byte, error) {
	for _, c := range testPaths(p, path, opts) {
		data, err := readBounded(c)
		if err == nil {
			return data, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	if p.Builtin && opts.Dir == "" {
		return nil, fmt.Errorf("%s: not found here or in a parent directory (run the tests of "+
			"a built-in pack from the repository)", path)
	}
	return nil, fmt.Errorf("%s: not found", path)
}

func testPaths(p *rules.Pack, path string, opts TestOptions) []string {
	if filepath.IsAbs(path) {
		return []string{path}
	}
	if opts.Dir != "" {
		return []string{filepath.Join(opts.Dir, path)}
	}
	if !p.Builtin {
		return []string{filepath.Join(p.Dir(), path)}
	}
	var out []string
	dir, err := os.Getwd()
	if err != nil {
		return nil
	}
	for {
		out = append(out, filepath.Join(dir, path))
		parent := filepath.Dir(dir)
		if parent == dir {
			return out
		}
		dir = parent
	}
}

// expectedFile is the form of the samples' .expected.json files.
type expectedFile struct {
	Receipts []expectedReceipt `json:"receipts"`
	Skipped  []struct {
		ID     string `json:"id"`
		Reason string `json:"reason"`
	} `json:"skipped"`
}

// expectedReceipt holds the parts of a receipt a test compares; a field
// left out is not compared.
type expectedReceipt struct {
	ExternalID *string `json:"external_id"`
	Operation  *string `json:"operation"`
	Receipt    struct {
		Items    []map[string]json.RawMessage `json:"items"`
		Payments []map[string]json.RawMessage `json:"payments"`
		Total    json.RawMessage              `json:"total"`
		Client   map[string]string            `json:"client"`
	} `json:"receipt"`
}

func decodeExact(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

func compareReceipt(doc *model.Document, w *expectedReceipt) []string {
	var out []string
	req := doc.Request
	if w.ExternalID != nil && req.ExternalID != *w.ExternalID {
		out = append(out, fmt.Sprintf("external_id %q, want %q", req.ExternalID, *w.ExternalID))
	}
	if w.Operation != nil && string(doc.Operation) != *w.Operation {
		out = append(out, fmt.Sprintf("operation %s, want %s", doc.Operation, *w.Operation))
	}
	body := req.Body()
	if body == nil {
		return append(out, "no receipt")
	}
	if w.Receipt.Items != nil {
		out = append(out, compareItems(body.Items, w.Receipt.Items)...)
	}
	if w.Receipt.Payments != nil {
		if len(body.Payments) != len(w.Receipt.Payments) {
			out = append(out, fmt.Sprintf("%d payments, want %d", len(body.Payments),
				len(w.Receipt.Payments)))
		} else {
			for i, wp := range w.Receipt.Payments {
				got := map[string]any{"type": int(body.Payments[i].Type),
					"sum": body.Payments[i].Sum}
				for _, d := range diffFields(got, wp) {
					out = append(out, fmt.Sprintf("payments[%d].%s", i, d))
				}
			}
		}
	}
	if w.Receipt.Total != nil {
		if d := diffValue(body.Total, w.Receipt.Total); d != "" {
			out = append(out, "total "+d)
		}
	}
	for k, v := range w.Receipt.Client {
		got := ""
		if body.Client != nil {
			switch k {
			case "email":
				got = body.Client.Email
			case "phone":
				got = body.Client.Phone
			case "name":
				got = body.Client.Name
			case "inn":
				got = body.Client.INN
			}
		}
		if got != v {
			out = append(out, fmt.Sprintf("client.%s %q, want %q", k, got, v))
		}
	}
	return out
}

// compareItems compares items in order. The parts of a split line may
// come in either order (3.22 + 3.23 or 3.23 + 3.22): the receipt is the
// same, and the samples were written by hand.
func compareItems(got []model.Item, want []map[string]json.RawMessage) []string {
	if len(got) != len(want) {
		var names []string
		for _, it := range got {
			names = append(names, lineText(it))
		}
		return []string{fmt.Sprintf("%d items, want %d: got %s", len(got), len(want),
			strings.Join(names, "; "))}
	}
	var out []string
	used := make([]bool, len(got))
	for i, w := range want {
		if len(diffFields(itemFields(&got[i]), w)) == 0 && !used[i] {
			used[i] = true
			continue
		}
		// Look for a part of the same split line next to it.
		found := false
		for j := max(0, i-1); j <= min(len(got)-1, i+1); j++ {
			if !used[j] && got[j].Name == got[i].Name &&
				len(diffFields(itemFields(&got[j]), w)) == 0 {
				used[j], found = true, true
				break
			}
		}
		if !found {
			for _, d := range diffFields(itemFields(&got[i]), w) {
				out = append(out, fmt.Sprintf("items[%d].%s", i, d))
			}
		}
	}
	return out
}

func lineText(it model.Item) string {
	return fmt.Sprintf("%s %s × %s = %s", it.Name, it.Price, it.Quantity, it.Sum)
}

func itemFields(it *model.Item) map[string]any {
	m := map[string]any{"name": it.Name, "price": it.Price, "quantity": it.Quantity,
		"sum": it.Sum, "measure": int(it.Measure), "payment_method": string(it.PaymentMethod),
		"payment_object": int(it.PaymentObject), "vat": map[string]any{"type": string(it.Vat.Type)}}
	if it.MarkCode != nil {
		mc := map[string]any{}
		for _, k := range it.MarkCode.Kinds() {
			mc[string(k)] = it.MarkCode.Value(k)
		}
		m["mark_code"] = mc
	}
	return m
}

// diffFields compares the fields of want with got and describes each
// difference.
func diffFields(got map[string]any, want map[string]json.RawMessage) []string {
	var out []string
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		g, ok := got[k]
		if !ok {
			continue // a field the comparison does not cover
		}
		if d := diffValue(g, want[k]); d != "" {
			out = append(out, k+" "+d)
		}
	}
	return out
}

// diffValue compares one value with its expected JSON; numbers compare as
// decimals (1 equals 1.00).
func diffValue(got any, want json.RawMessage) string {
	switch g := got.(type) {
	case model.Money:
		return diffNumber(g.Decimal(), want)
	case model.Quantity:
		return diffNumber(g.Decimal(), want)
	case int:
		return diffNumber(decimal.NewFromInt(int64(g)), want)
	case string:
		var w string
		if err := json.Unmarshal(want, &w); err != nil || w != g {
			return fmt.Sprintf("%q, want %s", g, want)
		}
	case map[string]any:
		var w map[string]json.RawMessage
		if err := json.Unmarshal(want, &w); err != nil {
			return fmt.Sprintf("is an object, want %s", want)
		}
		if d := diffFields(g, w); len(d) > 0 {
			return strings.Join(d, ", ")
		}
	}
	return ""
}

func diffNumber(g decimal.Decimal, want json.RawMessage) string {
	w, err := decimal.NewFromString(strings.Trim(string(want), `"`))
	if err != nil || !w.Equal(g) {
		return fmt.Sprintf("%s, want %s", model.NewMoney(g), want)
	}
	return ""
}

// maxTestFile bounds an input file of a pack test: a test's input is a
// sample, and a path that names a device or a pipe must not fill memory.
const maxTestFile = 64 << 20

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTestFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTestFile {
		return nil, fmt.Errorf("%s: test input larger than %d MiB", path, maxTestFile>>20)
	}
	return data, nil
}
