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
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
			"fills in VAT, vats[] and a payment, or mends given values. A missing price is\n" +
			"sum ÷ quantity when one price gives the sum (otherwise see --split). Prints each\n" +
			"request on stdout in the form it was read, and every change on stderr: those of\n" +
			"reading too (with --lenient, keys dropped, nulls and numeric strings; always,\n" +
			"empty values dropped and numbers written anew, 1e2 as 100). What is still wrong\n" +
			"follows, as \"invalid:\" (an error) or \"warning:\". Exit 1 if a result is\n" +
			"still invalid, 2 on a usage error or when stdout cannot be written.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) int {
			o := &fixOptions{}
			fs.StringVar(&o.out, "o", "text", "change list on stderr: text or json")
			fs.StringVar(&o.lang, "lang", "ru", "language of violation messages: ru or en")
			fs.StringVar(&o.op, "op", "", "operation for bare bodies (default sell, or\n"+
				"sell_correction for a correction)")
			fs.BoolVar(&o.lenient, "lenient", false,
				"skip unknown keys (they are dropped), accept numeric strings and nulls\n"+
					"(read as absent); each of these is reported as a change")
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

// maxFixItems is the most items fix completes in one request: the format's
// 100, with room for lines a split adds.
const maxFixItems = 200

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
	var rewrites []model.Rewrite
	decode.Empties, decode.Rewrites = &empties, &rewrites
	doc, err := model.DecodeDocument(data, decode)
	if err != nil && !fx.onlyFillable(err) {
		// What cannot be read is passed through unchanged, so that the n-th
		// output line is still the n-th input document, and its problems are
		// reported.
		_, r := fx.v.JSON(data, fx.op)
		d.placeViolations(r.Violations)
		res := fixResult{out: data, violations: r.Violations,
			errs: []string{"the document cannot be read as it is, so fix leaves it unchanged; " +
				"mend what is listed and run fix again"}}
		if r.Valid() {
			res.errs = append(res.errs, d.placeError(err).Error())
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
	if b := doc.Request.Body(); b != nil && len(b.Items) > maxFixItems {
		// No completion can make such a request valid, and completing it
		// would copy it several times over: list what is wrong instead.
		r := fx.v.Request(op, doc.Request)
		return fixResult{out: data, violations: r.Violations, errs: []string{fmt.Sprintf(
			"%d items: the format allows at most 100 in one receipt, so fix leaves the "+
				"request as it is", len(b.Items))}}
	}
	out, computed, err := compute.Complete(op, doc.Request, fx.opts)
	res := fixResult{errs: fixErrorLines(err)}
	if unfilled := unfilledPrices(doc.Request, out, fx.opts.Split); out == nil ||
		len(unfilled) > 0 {
		// A price left missing would be written as 0, which the caller never
		// wrote: the document is passed through as it was, saying why.
		res.errs = append(res.errs, unfilled...)
		_, r := fx.v.JSON(data, op)
		d.placeViolations(r.Violations)
		res.out, res.violations = data, r.Violations
		return res
	}
	// What the model writes otherwise than it was read comes first, as it
	// happened first: the values are read so before anything is computed.
	res.changes = rewriteChanges(rewrites, data)
	// The model writes an empty optional value back absent: say so rather
	// than drop it silently.
	for _, p := range empties {
		res.changes = append(res.changes, compute.Change{Path: p, Kind: compute.KindRemoved,
			Old: emptyText(p, data), Reason: "an empty value is written as an absent key"})
	}
	res.changes = append(res.changes, computed...)
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

// fillable matches the paths of missing keys that fix can fill in: item
// sums and the total always, item prices when the sum gives one (see
// unfilledPrices), payments when a payment type is given. Any other missing
// key (company, items, payments without a type) would come out as an empty
// value the caller never wrote, so such a document is passed through
// unchanged instead.
var fillable = regexp.MustCompile(
	`^(receipt|correction)\.(items\[\d+\]\.(sum|price)|total)$`)

// unfilledPrices explains each item price of in that is missing and that
// Complete did not fill in (out holds an item without a price), or returns
// nil when none is left. With split, Complete itself reports a line it
// could not split.
func unfilledPrices(in, out *model.Request, split bool) []string {
	if out == nil || !slices.ContainsFunc(out.Body().Items,
		func(it model.Item) bool { return !it.Price.Given() }) {
		return nil
	}
	var why []string
	for i, it := range in.Body().Items {
		if it.Price.Given() {
			continue
		}
		p := fmt.Sprintf("%s.items[%d].price", in.RootKey(), i)
		parts, err := compute.SplitItem(it)
		switch {
		case !it.Sum.Given():
			why = append(why, p+": missing, and so is the sum: give one of them")
		case it.Sum.IsZero():
			why = append(why, p+": missing, and the sum is 0: no price can be derived")
		case err != nil && !split:
			why = append(why, p+": missing, and cannot be derived from the sum: "+err.Error())
		case err == nil && len(parts) > 1 && !split:
			why = append(why, p+": missing, and no single price gives the sum "+
				it.Sum.String()+" for quantity "+it.Quantity.String()+
				": --split splits the line in two")
		}
	}
	if len(why) == 0 {
		why = []string{"a missing item price could not be filled in"}
	}
	return why
}

// Kinds of change that fix reports besides those of compute: a value the
// model writes in another form than it was read.
const (
	// kindConverted is a number written as a string, written as a number.
	kindConverted compute.ChangeKind = "converted"
	// kindReformatted is a number written anew with the same value.
	kindReformatted compute.ChangeKind = "reformatted"
)

// rewriteChanges reports what the model writes otherwise than it was read
// in data. A skipped key's value is shown by its kind only: it may be
// anything, a buyer's phone number included.
func rewriteChanges(rewrites []model.Rewrite, data []byte) []compute.Change {
	var out []compute.Change
	for _, rw := range rewrites {
		raw := data[rw.Offset:rw.End]
		c := compute.Change{Path: rw.Path, Old: clipText(raw), New: rw.New}
		switch rw.Kind {
		case model.RewriteUnknownKey:
			c.Kind, c.Old = compute.KindRemoved, valueShape(raw)
			c.Reason = "unknown key, skipped (--lenient)"
		case model.RewriteNull:
			c.Kind, c.Reason = compute.KindRemoved, "null is read as an absent key (--lenient)"
		case model.RewriteNumericString:
			c.Kind = kindConverted
			c.Reason = "a number written as a string is written as a number (--lenient)"
		case model.RewriteNumberForm:
			c.Kind, c.Reason = kindReformatted, formReason(raw)
		default:
			c.Kind, c.Reason = compute.ChangeKind(rw.Kind), "rewritten"
		}
		out = append(out, c)
	}
	return out
}

// formReason says why a number with an unchanged value is written anew.
func formReason(text []byte) string {
	switch {
	case bytes.ContainsAny(text, "eE"):
		return "the same value, written without an exponent"
	case bytes.HasPrefix(text, []byte("-")):
		return "the same value: zero is written without a sign"
	}
	return "the same integer, written without a fraction"
}

// valueShape names a JSON value by its kind, for values that may hold
// personal data: {…}, […] or "…"; numbers and literals as they are.
func valueShape(text []byte) string {
	switch text[0] {
	case '{':
		return "{…}"
	case '[':
		return "[…]"
	case '"':
		return `"…"`
	}
	return clipText(text)
}

// clipText keeps a value shown in a change or a warning short, cutting
// on a character boundary: the value may be a megabyte.
func clipText(b []byte) string {
	const n = 40
	i := 0
	for count := 0; count < n && i < len(b); count++ {
		_, size := utf8.DecodeRune(b[i:])
		i += size
	}
	if i >= len(b) {
		return string(b)
	}
	return string(b[:i]) + "…"
}

// onlyFillable reports whether every decoding problem is a missing key that
// fix may be about to fill in (what it does not fill, the validator reports).
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
			// A warning does not make the document invalid: its prefix must
			// not say so, or a valid result (exit 0) reads as a failure.
			what := "invalid: "
			if v.Severity != validate.Error {
				what = "warning: "
			}
			fmt.Fprintln(e.stderr, prefix+what+v.Format(lang))
		}
	}
	return code
}
