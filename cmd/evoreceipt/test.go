package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
)

func init() {
	register(&command{
		name: "test",
		args: "[PACK...]",
		summary: "Run the tests written in rule packs (their tests: section) and report each.\n" +
			"PACK is a built-in pack's name or a pack file; with none, every built-in pack\n" +
			"is tested. The tests of built-in packs read the samples under testdata/, so\n" +
			"run them from the repository. Exit 1 if a test fails or a pack does not\n" +
			"compile; 2 if a pack file cannot be read (missing, a directory, unreadable),\n" +
			"after the other packs are tested.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) int {
			verbose := fs.Bool("v", false, "list every test, not only the failing ones")
			dir := fs.String("dir", "", "resolve the tests' file paths against this directory")
			return func(ctx context.Context, e *env, args []string) int {
				return runTest(e, args, *verbose, *dir)
			}
		},
	})
}

func runTest(e *env, args []string, verbose bool, dir string) int {
	out := &checkedWriter{w: e.stdout}
	code := runTests(e, out, args, verbose, dir)
	if out.err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt test: writing the output: %v\n", out.err)
		return exitUsage
	}
	return code
}

func runTests(e *env, stdout io.Writer, args []string, verbose bool, dir string) int {
	if len(args) == 0 {
		args = rules.BuiltinNames()
	}
	code := exitOK
	passed, failed, unread := 0, 0, 0
	for _, name := range args {
		if err := packReadable(name); err != nil {
			// An I/O error, not a failing pack: exit 2 says so to a script.
			fmt.Fprintf(e.stderr, "evoreceipt test: %v\n", err)
			unread++
			continue
		}
		pack, err := rules.Open(name)
		var pe *fs.PathError
		if errors.As(err, &pe) {
			fmt.Fprintf(e.stderr, "evoreceipt test: %v\n", err)
			unread++
			continue
		}
		if err != nil {
			fmt.Fprintf(stdout, "FAIL %s: the pack does not load\n%v\n", name, err)
			code = exitInvalid
			failed++
			continue
		}
		if len(pack.Tests) == 0 {
			fmt.Fprintf(stdout, "FAIL %s: the pack has no tests\n", pack.Name)
			code = exitInvalid
			failed++
			continue
		}
		results := transform.RunTests(pack, transform.TestOptions{Dir: dir})
		bad := 0
		for _, r := range results {
			if r.Passed() {
				passed++
				if verbose {
					fmt.Fprintf(stdout, "ok   %s: %s\n", pack.Name, r.Test.Name)
				}
				continue
			}
			bad++
			failed++
			fmt.Fprintf(stdout, "FAIL %s: %s (%s)\n", pack.Name, r.Test.Name, r.Test.Pos)
			for _, f := range r.Failures {
				fmt.Fprintf(stdout, "     %s\n", f)
			}
		}
		if bad > 0 {
			code = exitInvalid
		} else if !verbose {
			fmt.Fprintf(stdout, "ok   %s (%d tests)\n", pack.Name, len(results))
		}
	}
	if unread > 0 {
		fmt.Fprintf(stdout, "%d passed, %d failed, %d unreadable\n", passed, failed, unread)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	return code
}

// packReadable reports why name, when it is not a built-in pack, is no pack
// file that can be read: rules.Open would say only that it cannot read it.
func packReadable(name string) error {
	if _, ok := rules.BuiltinSource(name); ok {
		return nil
	}
	st, err := os.Stat(name)
	switch {
	case err != nil && errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(name, "/\\") &&
		!strings.HasSuffix(name, ".yaml"):
		return fmt.Errorf("%q is neither a pack file nor a built-in pack (have %s)", name,
			strings.Join(rules.BuiltinNames(), ", "))
	case err != nil:
		return err
	case st.IsDir():
		return fmt.Errorf("%s is a directory, not a pack file", name)
	}
	return nil
}
