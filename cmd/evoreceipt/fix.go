package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// fixOptions are the flags of fix.
type fixOptions struct {
	out, lang, op string
	paymentType   int
	lenient       bool
	opts          compute.Options
}

func init() {
	register(&command{
		name: "fix",
		args: "FILE|-",
		summary: "Complete v5 requests: fill in missing sums, prices and totals.\n" +
			"It reads bare bodies or {\"operation\",\"request\"} lines and, as asked, also\n" +
			"fills in VAT, vats[] and a payment, or mends given values. Prints each request\n" +
			"on stdout in the form it was read, and every change on stderr. Exit 1 if a\n" +
			"result is still invalid, 2 on a usage error or when stdout cannot be written.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) int {
			o := &fixOptions{}
			fs.StringVar(&o.out, "o", "text", "change list on stderr: text or json")
			fs.StringVar(&o.lang, "lang", "ru", "language of violation messages: ru or en")
			fs.StringVar(&o.op, "op", "", "operation for bare bodies (default sell, or\n"+
				"sell_correction for a correction)")
			fs.BoolVar(&o.lenient, "lenient", false,
				"skip unknown keys (they are dropped), accept numeric strings and nulls")
			fs.IntVar(&o.paymentType, "payment-type", -1,
				"add one payment of this type (0-9) for the total when a receipt has none")
			fs.BoolVar(&o.opts.ItemVat, "item-vat", false, "fill in items[].vat.sum where absent")
			fs.BoolVar(&o.opts.Vats, "vats", false, "fill in vats[] when absent")
			fs.BoolVar(&o.opts.Overwrite, "overwrite", false,
				"replace given sums, VAT amounts, total and vats[] that disagree\n"+
					"with the computed ones (item sums become price × quantity)")
			fs.BoolVar(&o.opts.Split, "split", false,
				"keep the sum of a line whose price × quantity differs, and re-price\n"+
					"or split the line")
			fs.BoolVar(&o.opts.Rates, "rates", false,
				"replace VAT rates not in force at the timestamp (vat20 → vat22 in\n"+
					"2026) and use calculated rates for prepayment lines")
			return func(ctx context.Context, e *env, args []string) int {
				return runFix(e, args, o)
			}
		},
	})
}

func runFix(e *env, args []string, o *fixOptions) int {
	switch {
	case len(args) != 1:
		return usageError(e, "fix", "want exactly one FILE or -")
	case o.out != "text" && o.out != "json":
		return usageError(e, "fix", "-o must be text or json")
	case o.op != "" && !model.Operation(o.op).Valid():
		return usageError(e, "fix", "unknown operation %q", o.op)
	case o.paymentType < -1 || o.paymentType > 9:
		return usageError(e, "fix", "--payment-type must be 0-9")
	}
	lang, ok := parseLang(o.lang)
	if !ok {
		return usageError(e, "fix", "--lang must be ru or en")
	}
	if o.paymentType >= 0 {
		o.opts.Payment, o.opts.PaymentType = true, model.PaymentType(o.paymentType)
	}
	data, err := readInput(e, args[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt fix: %v\n", err)
		return exitUsage
	}
	decode := model.DecodeOptions{}
	if o.lenient {
		decode = model.Lenient
	}
	fx := fixer{opts: o.opts, op: model.Operation(o.op), decode: decode,
		v: validate.New(validate.WithDecodeOptions(decode))}
	docs := splitStream(data)
	var results []fixResult
	for i := range docs {
		results = append(results, fx.fix(&docs[i]))
	}
	if len(docs) == 0 {
		results = append(results, fixResult{errs: []string{"no JSON document in the input"}})
	}
	return printFix(e, results, o.out, lang)
}

// fixer completes one document after another with the same settings.
type fixer struct {
	opts   compute.Options
	op     model.Operation
	decode model.DecodeOptions
	v      *validate.Validator
}

// fixResult is what became of one document: its output (the input as it
// was when it could not be read), the changes, the errors of Complete,
// and the violations left in the output.
type fixResult struct {
	out        []byte
	changes    []compute.Change
	errs       []string
	violations []validate.Violation
}

func (r *fixResult) valid() bool {
	if len(r.errs) > 0 {
		return false
	}
	for _, v := range r.violations {
		if v.Severity == validate.Error {
			return false
		}
	}
	return true
}

// fix completes one document of the input. Problems found in the input
// are reported at its lines and columns; those found in the completed
// document have none, as they would point into text the user never wrote.
func (fx *fixer) fix(d *streamDoc) fixResult {
	data := d.data
	decode := fx.decode
	var empties []string
	decode.Empties = &empties
	doc, err := model.DecodeDocument(data, decode)
	if err != nil && !fx.onlyFillable(err) {
		// What cannot be read is passed through unchanged, so that the n-th
		// output line is still the n-th input document, and its problems are
		// reported.
		_, r := fx.v.JSON(data, fx.op)
		d.placeViolations(r.Violations)
		res := fixResult{out: data, violations: r.Violations}
		if r.Valid() {
			res.errs = []string{d.placeError(err).Error()}
		}
		return res
	}
	op := doc.Operation
	if op == "" {
		op = fx.op
	}
	if op == "" {
		op = model.Sell
		if doc.Request.Receipt == nil && doc.Request.Correction != nil {
			op = model.SellCorrection
		}
	}
	out, changes, err := compute.Complete(op, doc.Request, fx.opts)
	// The model writes an empty optional value back absent: say so rather
	// than drop it silently.
	for _, p := range empties {
		changes = append(changes, compute.Change{Path: p, Kind: compute.KindRemoved,
			Old: emptyText(p, data), Reason: "an empty value is written as an absent key"})
	}
	res := fixResult{changes: changes, errs: fixErrorLines(err)}
	if out == nil {
		_, r := fx.v.JSON(data, op)
		d.placeViolations(r.Violations)
		res.out, res.violations = data, r.Violations
		return res
	}
	body, err := model.Marshal(out)
	if err != nil {
		return fixResult{out: data, errs: []string{err.Error()}}
	}
	_, r := fx.v.JSON(body, op)
	for i := range r.Violations {
		r.Violations[i].Line, r.Violations[i].Column = 0, 0
	}
	res.violations = r.Violations
	res.out = body
	if fixWrapped(data) {
		res.out, err = model.Marshal(model.Document{Operation: doc.Operation, Request: out})
		if err != nil {
			return fixResult{out: data, errs: []string{err.Error()}}
		}
	}
	if bytes.Contains(bytes.TrimSpace(data), []byte("\n")) {
		var b bytes.Buffer
		if json.Indent(&b, res.out, "", "  ") == nil {
			res.out = b.Bytes()
		}
	}
	return res
}

// fixOnlyMissing reports whether every decoding problem is a missing key, which
// fix may be about to fill in (what it does not fill, the validator reports).
// fillable matches the paths of missing keys that fix can fill in: item
// sums and the total always, payments when a payment type is given. Any
// other missing key (company, items, payments without a type) would come
// out as an empty value the caller never wrote, so such a document is
// passed through unchanged instead.
var fillable = regexp.MustCompile(`^(receipt|correction)\.(items\[\d+\]\.sum|total)$`)

func (fx *fixer) onlyFillable(err error) bool {
	var de *model.DecodeError
	if !errors.As(err, &de) {
		return false
	}
	for _, fe := range de.Errors {
		if fe.Code != model.CodeMissingField {
			return false
		}
		payments := fx.opts.Payment && strings.HasSuffix(fe.Path, ".payments") &&
			strings.Count(fe.Path, ".") == 1
		if !fillable.MatchString(fe.Path) && !payments {
			return false
		}
	}
	return true
}

// emptyText is how an empty value at path p was written: [] for arrays,
// "" for strings.
func emptyText(p string, data []byte) string {
	key := p[strings.LastIndexAny(p, ".]")+1:]
	if bytes.Contains(data, []byte(`"`+key+`":[]`)) || bytes.Contains(data, []byte(`"`+key+`": []`)) {
		return "[]"
	}
	return `""`
}

// fixWrapped reports whether data is a {"operation","request"} document.
func fixWrapped(data []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return false
	}
	_, ok := top["request"]
	return ok
}

// fixErrorLines lists the errors joined in err, one a line.
func fixErrorLines(err error) []string {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, e.Error())
		}
		return out
	}
	return []string{err.Error()}
}

// fixReport is the machine-readable report of one document (-o json).
type fixReport struct {
	Document   int                      `json:"document"`
	Valid      bool                     `json:"valid"`
	Changes    []compute.Change         `json:"changes"`
	Errors     []string                 `json:"errors,omitempty"`
	Violations []validate.ViolationJSON `json:"violations,omitempty"`
}

func printFix(e *env, results []fixResult, out string, lang validate.Lang) int {
	code := exitOK
	// The fixed documents are the product: a stdout that cannot take them
	// (a full disk, a closed pipe) fails the command. A bufio.Writer keeps
	// its first error for the check after the last one.
	w := bufio.NewWriter(e.stdout)
	for _, r := range results {
		if r.out != nil {
			w.Write(bytes.TrimSpace(r.out))
			w.WriteByte('\n')
		}
		if !r.valid() {
			code = exitInvalid
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt fix: writing the output: %v\n", err)
		return exitUsage
	}
	if out == "json" {
		enc := json.NewEncoder(e.stderr)
		enc.SetEscapeHTML(false)
		for i, r := range results {
			rep := fixReport{Document: i + 1, Valid: r.valid(), Changes: r.changes,
				Errors: r.errs}
			if rep.Changes == nil {
				rep.Changes = []compute.Change{}
			}
			for _, v := range r.violations {
				rep.Violations = append(rep.Violations, v.JSON(lang))
			}
			if err := enc.Encode(rep); err != nil {
				return exitUsage
			}
		}
		return code
	}
	for i, r := range results {
		prefix := ""
		if len(results) > 1 {
			prefix = "document " + strconv.Itoa(i+1) + ": "
		}
		for _, c := range r.changes {
			fmt.Fprintln(e.stderr, prefix+c.String())
		}
		for _, msg := range r.errs {
			fmt.Fprintln(e.stderr, prefix+"error: "+msg)
		}
		for _, v := range r.violations {
			fmt.Fprintln(e.stderr, prefix+"invalid: "+v.Format(lang))
		}
	}
	return code
}
