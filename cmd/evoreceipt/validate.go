package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

func init() {
	register(&command{
		name: "validate",
		args: "FILE|-",
		summary: "Check v5 requests and list every violation with its JSON path.\n" +
			"It reads bare bodies or {\"operation\",\"request\"} lines. A document with more\n" +
			"than 1000 decoding problems ends with a problems_omitted violation counting the\n" +
			"rest. With --rules, the checks of a rule pack run too and report alike; a\n" +
			"pack whose checks read the order document is refused, naming them. Exit 1 if\n" +
			"any document is invalid, 2 on a usage error or when the output cannot be\n" +
			"written.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) int {
			o := &validateOptions{set: setFlags{}}
			fs.StringVar(&o.out, "o", "text", "output: text or json")
			fs.StringVar(&o.lang, "lang", "ru", "language of messages: ru or en")
			fs.StringVar(&o.op, "op", "", "operation for bare bodies (default sell, or\n"+
				"sell_correction for a correction)")
			fs.BoolVar(&o.lenient, "lenient", false,
				"skip unknown keys, accept numeric strings and nulls")
			fs.StringVar(&o.pack, "rules", "", "also run the checks of this rule pack: a "+
				"built-in name or a YAML file")
			fs.Var(o.set, "set", "override a pack parameter, name=value (repeatable)")
			fs.StringVar(&o.config, "config", "", "YAML file of parameter values (name: value), "+
				"at most 1 MiB")
			return func(ctx context.Context, e *env, args []string) int {
				return runValidate(e, args, o)
			}
		},
	})
}

func parseLang(s string) (validate.Lang, bool) {
	switch strings.ToLower(s) {
	case "ru":
		return validate.Russian, true
	case "en":
		return validate.English, true
	}
	return "", false
}

// validateOptions are the flags of validate.
type validateOptions struct {
	out, lang, op, pack, config string
	lenient                     bool
	set                         setFlags
}

func runValidate(e *env, args []string, o *validateOptions) int {
	out := o.out
	switch {
	case len(args) != 1:
		return usageError(e, "validate", "want exactly one FILE or -")
	case out != "text" && out != "json":
		return usageError(e, "validate", "-o must be text or json")
	case o.op != "" && !model.Operation(o.op).Valid():
		return usageError(e, "validate", "unknown operation %q", o.op)
	case o.pack == "" && (len(o.set) > 0 || o.config != ""):
		return usageError(e, "validate", "--set and --config give parameters of a rule "+
			"pack: use them with --rules")
	}
	lang, ok := parseLang(o.lang)
	if !ok {
		return usageError(e, "validate", "--lang must be ru or en")
	}
	var opts []validate.Option
	if o.lenient {
		opts = append(opts, validate.WithDecodeOptions(model.Lenient))
	}
	if o.pack != "" {
		check, code := packCheck(e, o)
		if code != exitOK {
			return code
		}
		opts = append(opts, validate.WithCheck(check))
	}
	data, err := readInput(e, args[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt validate: %v\n", err)
		return exitUsage
	}
	v := validate.New(opts...)
	results := validateStream(v, data, model.Operation(o.op))
	code := exitOK
	for _, r := range results {
		if !r.Valid() {
			code = exitInvalid
		}
	}
	// A bufio.Writer keeps its first error, so that one check at the end
	// catches a stdout that could not take the listing (a full disk, a
	// closed pipe): a verdict nobody could read must not exit 0.
	w := bufio.NewWriter(e.stdout)
	if out == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for i, r := range results {
			// The number tells the documents of a stream apart, as in the
			// output of fix and submit.
			doc := struct {
				Document int `json:"document"`
				validate.Report
			}{i + 1, r.Report(lang)}
			if err := enc.Encode(doc); err != nil {
				break
			}
		}
	} else {
		printViolations(w, results, lang)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt validate: writing the output: %v\n", err)
		return exitUsage
	}
	return code
}

// packCheck returns the checks of the pack --rules names, with the
// parameters of --config and --set, as a validate.Check. A request carries
// no order document, so a pack with a check that reads one is refused (exit
// 2) with every such check located: leaving them out would pass requests the
// pack was written to stop, and the user would not know.
func packCheck(e *env, o *validateOptions) (validate.Check, int) {
	m, err := openMapper(o.pack, o.set, o.config)
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt validate: %v\n", err)
		return nil, exitUsage
	}
	check, err := m.RequestCheck()
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt validate: %v\n", err)
		fmt.Fprintf(e.stderr, "evoreceipt validate: pack %s: on requests, only checks "+
			"that read nothing but the receipt\n(items, total, payments, operation, params) "+
			"can run; the others run in evoreceipt map\n", m.Pack().Name)
		return nil, exitUsage
	}
	return check, exitOK
}

// printViolations writes the text listing of the results.
func printViolations(w io.Writer, results []validate.Result, lang validate.Lang) {
	for i, r := range results {
		prefix := ""
		if len(results) > 1 {
			prefix = fmt.Sprintf("document %d: ", i+1)
		}
		for _, vi := range r.Violations {
			fmt.Fprintln(w, prefix+vi.Format(lang))
		}
		if r.Valid() && len(results) > 1 {
			fmt.Fprintf(w, "%svalid\n", prefix)
		}
	}
	if len(results) == 1 && results[0].Valid() {
		fmt.Fprintln(w, "valid")
	}
}

// validateStream checks every JSON value in data (one document, or JSON
// Lines). Violations keep lines and columns of the whole input.
func validateStream(v *validate.Validator, data []byte, op model.Operation) []validate.Result {
	docs := splitStream(data)
	if len(docs) <= 1 {
		// One document (or none readable): check the whole input, so that a
		// syntax error gets its position from the full decoder.
		return []validate.Result{checkOne(v, data, op)}
	}
	results := make([]validate.Result, 0, len(docs))
	for _, d := range docs {
		r := checkOne(v, d.data, op)
		d.placeViolations(r.Violations)
		results = append(results, r)
	}
	return results
}

func checkOne(v *validate.Validator, data []byte, op model.Operation) validate.Result {
	_, r := v.JSON(data, op)
	return r
}
