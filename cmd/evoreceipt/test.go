package main

import (
	"context"
	"flag"
	"fmt"
	"io"

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
			"run them from the repository. Exit 1 if a test fails or a pack does not load.",
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
	passed, failed := 0, 0
	for _, name := range args {
		pack, err := rules.Open(name)
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
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	return code
}
