package main

import (
	"bufio"
	"bytes"
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
			"rest. Exit 1 if any document is invalid, 2 on a usage error or when the output\n" +
			"cannot be written.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) int {
			out := fs.String("o", "text", "output: text or json")
			lang := fs.String("lang", "ru", "language of messages: ru or en")
			op := fs.String("op", "", "operation for bare bodies (default sell, or\n"+
				"sell_correction for a correction)")
			lenient := fs.Bool("lenient", false,
				"skip unknown keys, accept numeric strings and nulls")
			return func(ctx context.Context, e *env, args []string) int {
				return runValidate(e, args, *out, *lang, *op, *lenient)
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

func runValidate(e *env, args []string, out, langFlag, op string, lenient bool) int {
	if len(args) != 1 {
		return usageError(e, "validate", "want exactly one FILE or -")
	}
	if out != "text" && out != "json" {
		return usageError(e, "validate", "-o must be text or json")
	}
	lang, ok := parseLang(langFlag)
	if !ok {
		return usageError(e, "validate", "--lang must be ru or en")
	}
	if op != "" && !model.Operation(op).Valid() {
		return usageError(e, "validate", "unknown operation %q", op)
	}
	data, err := readInput(e, args[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt validate: %v\n", err)
		return exitUsage
	}
	var opts []validate.Option
	if lenient {
		opts = append(opts, validate.WithDecodeOptions(model.Lenient))
	}
	v := validate.New(opts...)
	results := validateStream(v, data, model.Operation(op))
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
		for _, r := range results {
			if err := enc.Encode(r.Report(lang)); err != nil {
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
// Lines). Violations keep line numbers of the whole input.
func validateStream(v *validate.Validator, data []byte, op model.Operation) []validate.Result {
	spans := model.SplitValues(data)
	if len(spans) <= 1 {
		// One document (or none readable): check the whole input, so that a
		// syntax error gets its position from the full decoder.
		return []validate.Result{checkOne(v, data, op)}
	}
	var results []validate.Result
	// Lines are counted from one document to the next, not from the start
	// of the input each time, which would make a long stream quadratic.
	line, counted := 1, 0
	for _, s := range spans {
		r := checkOne(v, data[s.Start:s.End], op)
		line += bytes.Count(data[counted:s.Start], []byte{'\n'})
		counted = s.Start
		for i := range r.Violations {
			if r.Violations[i].Line > 0 {
				r.Violations[i].Line += line - 1
			}
		}
		results = append(results, r)
	}
	return results
}

func checkOne(v *validate.Validator, data []byte, op model.Operation) validate.Result {
	_, r := v.JSON(data, op)
	return r
}
