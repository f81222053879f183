package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
	"github.com/evoreceipt/evoreceipt/validate"
	"gopkg.in/yaml.v3"
)

// setFlags collects repeated --set name=value flags.
type setFlags map[string]string

func (s setFlags) String() string { return "" }

func (s setFlags) Set(v string) error {
	name, val, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return errors.New("want name=value")
	}
	s[strings.TrimSpace(name)] = val
	return nil
}

func init() {
	register(&command{
		name: "map",
		args: "FILE|-",
		summary: "Map order documents into v5 requests with a rule pack.\n" +
			"Prints one {\"operation\",\"request\"} JSON line per receipt. The input is\n" +
			"JSON (one document, a list, JSON Lines), CSV or XML, as the pack says, read\n" +
			"one document at a time.\n" +
			"Skipped orders are reported on stderr. Every produced request is validated with\n" +
			"the pack's checks; exit 1 if one is invalid or an order cannot be mapped.\n" +
			"A malformed line of JSON Lines or CSV row is reported with its input line, and\n" +
			"mapping goes on with the next. A second receipt with an external_id already\n" +
			"produced in the run is refused, naming both documents.\n" +
			"Built-in packs: " + strings.Join(rules.BuiltinNames(), ", ") + ".",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) int {
			pack := fs.String("rules", "", "rule pack: a built-in name or a YAML file (required)")
			set := setFlags{}
			fs.Var(set, "set", "override a pack parameter, name=value (repeatable)")
			config := fs.String("config", "", "YAML file of parameter values (name: value), "+
				"at most 1 MiB")
			pretty := fs.Bool("pretty", false, "indent the output")
			lang := fs.String("lang", "ru", "language of violation messages: ru or en")
			return func(ctx context.Context, e *env, args []string) int {
				return runMap(e, args, *pack, set, *config, *pretty, *lang)
			}
		},
	})
}

func runMap(e *env, args []string, packName string, set setFlags, config string,
	pretty bool, langFlag string) int {
	if len(args) != 1 {
		return usageError(e, "map", "want exactly one FILE or -")
	}
	if packName == "" {
		return usageError(e, "map", "--rules is required (one of %s, or a file)",
			strings.Join(rules.BuiltinNames(), ", "))
	}
	lang, ok := parseLang(langFlag)
	if !ok {
		return usageError(e, "map", "--lang must be ru or en")
	}
	m, err := openMapper(packName, set, config)
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt map: %v\n", err)
		return exitUsage
	}
	reader := e.stdin
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			fmt.Fprintf(e.stderr, "evoreceipt map: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		// A directory opens fine and fails only when read, which would
		// look like malformed input (exit 1); it is a usage error.
		if st, err := f.Stat(); err != nil || st.IsDir() {
			fmt.Fprintf(e.stderr, "evoreceipt map: %s is a directory, not an input file\n",
				args[0])
			return exitUsage
		}
		reader = f
	}
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	code := exitOK
	prog := newProgress(e)
	// The input is read, mapped, validated and written one document at a
	// time: nothing is kept from one document to the next, so a large JSON
	// Lines or CSV file takes the memory of its largest document.
	err = m.Each(reader, func(r transform.Result) error {
		prog.count(r)
		switch {
		case r.Err != nil:
			prog.clear()
			fmt.Fprintf(e.stderr, "%v\n", r.Err)
			code = exitInvalid
			return nil
		case r.Skipped:
			prog.clear()
			fmt.Fprintf(e.stderr, "skipped %s: %s\n", shown(r.ID), shown(r.Reason))
			return nil
		}
		var data []byte
		var merr error
		if pretty {
			data, merr = model.MarshalIndent(r.Document, "  ")
		} else {
			data, merr = model.Marshal(r.Document)
		}
		if merr != nil {
			return merr
		}
		out.Write(data)
		if werr := out.WriteByte('\n'); werr != nil {
			// stdout is gone (a full disk, a closed pipe): stop, rather
			// than map the rest into nowhere.
			return &outputError{werr}
		}
		// The pack's checks report through the validator, with its rules.
		res := validate.New(validate.WithCheck(r.Check())).Request(r.Document.Operation,
			r.Document.Request)
		if len(res.Violations) > 0 {
			prog.clear()
		}
		for _, line := range violationLines(res.Violations, r.Parts, lang) {
			fmt.Fprintf(e.stderr, "%s: %s\n", shown(r.ID), line)
		}
		if !res.Valid() {
			code = exitInvalid
		}
		return nil
	})
	prog.done()
	if ferr := out.Flush(); ferr != nil && err == nil {
		err = &outputError{ferr}
	}
	var oe *outputError
	if errors.As(err, &oe) {
		fmt.Fprintf(e.stderr, "evoreceipt map: writing the output: %v\n", oe.err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt map: %v\n", err)
		// Input that cannot be read past (malformed JSON, a missing CSV
		// column) is an invalid document; anything else is I/O.
		var ie *transform.InputError
		var de *transform.DocumentError
		var pe *rules.Error
		if errors.As(err, &ie) || errors.As(err, &de) || errors.As(err, &pe) {
			return exitInvalid
		}
		return exitUsage
	}
	if prog.produced == 0 && prog.skipped == 0 && prog.failed == 0 {
		fmt.Fprintln(e.stderr, "evoreceipt map: the input has no order documents")
	}
	return code
}

// violationLines writes the violations of one receipt, a line each. A
// line of the order that the mapping split in parts (r.Parts) makes
// receipt lines with the same name and other text, so a violation about
// that text comes once for each part: it is written once, naming the other
// parts' paths.
func violationLines(vs []validate.Violation, parts []int, lang validate.Lang) []string {
	out := make([]string, 0, len(vs))
	done := make([]bool, len(vs))
	for i, v := range vs {
		if done[i] {
			continue
		}
		line := v.Format(lang)
		var also []string
		if item, field, ok := itemPath(v.Path); ok && item < len(parts) {
			for j := i + 1; j < len(vs); j++ {
				w := vs[j]
				item2, field2, ok := itemPath(w.Path)
				w.Path = v.Path
				if !done[j] && ok && field2 == field && item2 < len(parts) &&
					parts[item2] == parts[item] && w == v {
					done[j] = true
					also = append(also, vs[j].Path)
				}
			}
		}
		if len(also) > 0 {
			if lang == validate.English {
				line += "; the same at " + strings.Join(also, ", ") + ": parts of one " +
					"order line, split so that price × quantity makes its sum"
			} else {
				line += "; то же в " + strings.Join(also, ", ") + ": части одной " +
					"строки заказа, разделённой, чтобы цена × количество " +
					"давали её сумму"
			}
		}
		out = append(out, line)
	}
	return out
}

// itemPath splits the path of a receipt item's field, "receipt.items[2].name",
// into the item's index and the rest ("receipt.items[].name").
func itemPath(path string) (item int, field string, ok bool) {
	for _, root := range []string{"receipt.items[", "correction.items["} {
		rest, found := strings.CutPrefix(path, root)
		if !found {
			continue
		}
		num, tail, found := strings.Cut(rest, "]")
		n, err := strconv.Atoi(num)
		if !found || err != nil || n < 0 {
			return 0, "", false
		}
		return n, root + "]" + tail, true
	}
	return 0, "", false
}

// shown escapes control characters and bytes that are not UTF-8 in text
// that map prints from the input (an order's id, a skip reason), so that
// they cannot garble the terminal or split a line of the listing.
func shown(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// openMapper opens the pack a user named (a file, or a built-in pack) with
// its parameters: the pack's defaults, then the --config file, then --set.
func openMapper(packName string, set setFlags, config string) (*transform.Mapper, error) {
	pack, err := rules.Open(packName)
	if err != nil {
		return nil, err
	}
	params := map[string]string{}
	if config != "" {
		if err := readConfig(config, params); err != nil {
			return nil, err
		}
	}
	for k, v := range set {
		params[k] = v // the command line wins over the config file
	}
	return transform.New(pack, params)
}

// progress counts documents and, when stderr is a terminal, keeps a line
// there saying how far the mapping got, rewritten at most every 200 ms.
type progress struct {
	e                         *env
	produced, skipped, failed int
	last                      time.Time
	shown                     bool
}

func newProgress(e *env) *progress { return &progress{e: e} }

func (p *progress) count(r transform.Result) {
	switch {
	case r.Err != nil:
		p.failed++
	case r.Skipped:
		p.skipped++
	default:
		p.produced++
	}
	if !p.e.stderrTTY {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= 200*time.Millisecond {
		p.last = now
		p.show()
	}
}

func (p *progress) show() {
	fmt.Fprintf(p.e.stderr, "\rmapped %d documents: %d receipts, %d skipped, %d failed ",
		p.produced+p.skipped+p.failed, p.produced, p.skipped, p.failed)
	p.shown = true
}

// clear removes the progress line before another message.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
		p.shown = false
	}
}

// done leaves the final count on its own line.
func (p *progress) done() {
	if p.e.stderrTTY {
		p.show()
		fmt.Fprintln(p.e.stderr)
	}
}

// readConfig reads a YAML mapping of parameter values. Nested mappings give
// dotted names: {company: {inn: "..."}} sets company.inn.
func readConfig(path string, into map[string]string) error {
	data, err := readFileAtMost(path, "--config file", maxConfig)
	if err != nil {
		return err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(root.Content) == 0 {
		return nil
	}
	var walk func(prefix string, n *yaml.Node) error
	walk = func(prefix string, n *yaml.Node) error {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if prefix != "" {
					k = prefix + "." + k
				}
				if err := walk(k, n.Content[i+1]); err != nil {
					return err
				}
			}
		case yaml.ScalarNode:
			into[prefix] = n.Value
		default:
			return fmt.Errorf("%s:%d: parameter %s must be a single value", path, n.Line, prefix)
		}
		return nil
	}
	if root.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("%s: want a mapping of parameter names to values", path)
	}
	return walk("", root.Content[0])
}

// outputError is a failure to write stdout.
type outputError struct{ err error }

func (e *outputError) Error() string { return "writing the output: " + e.err.Error() }
