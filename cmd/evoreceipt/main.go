// Command evoreceipt maps orders into Evotor (ATOL Online v5) fiscal
// receipts, validates and completes them, and submits them.
//
// Usage:
//
//	evoreceipt <command> [flags] [args]
//
// Run "evoreceipt help" for the list of commands and "evoreceipt help
// <command>" for one command's flags. Every command exits 0 when all is
// well, 1 when a document is invalid (malformed JSON included), and 2 on a
// usage or I/O error.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
)

// Exit codes shared by every command.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

// command is one subcommand. Each lives in its own file and registers
// itself from init.
type command struct {
	name    string
	args    string // synopsis of the arguments after the flags
	summary string
	// flags declares the command's flags on fs and returns the function that
	// runs it once they are parsed.
	flags func(fs *flag.FlagSet) func(ctx context.Context, e *env, args []string) int
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("evoreceipt: command " + c.name + " registered twice")
	}
	commands[c.name] = c
}

// env is what a command may touch of the outside world, so that tests can
// run commands in process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stderrTTY reports whether stderr is a terminal (for progress lines).
	stderrTTY bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		stderrTTY: isTerminal(os.Stderr)}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// run dispatches to a command and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		switch {
		case len(args) > 2:
			fmt.Fprintln(e.stderr, "evoreceipt help: want at most one command")
			return exitUsage
		case len(args) == 2 && commands[args[1]] == nil:
			// Help of a misspelt command must not look like a success.
			fmt.Fprintf(e.stderr, "evoreceipt help: unknown command %q\n\n", args[1])
			usage(e.stderr)
			return exitUsage
		case len(args) == 2:
			c := commands[args[1]]
			fs := newFlagSet(c, e)
			c.flags(fs)
			fs.SetOutput(e.stdout)
			fs.Usage()
			return exitOK
		}
		usage(e.stdout)
		return exitOK
	}
	c := commands[name]
	if c == nil {
		fmt.Fprintf(e.stderr, "evoreceipt: unknown command %q\n\n", name)
		usage(e.stderr)
		return exitUsage
	}
	fs := newFlagSet(c, e)
	runFn := c.flags(fs)
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	return runFn(ctx, e, pos)
}

// parseInterspersed parses flags wherever they stand among the arguments
// (evoreceipt map FILE --pretty), as users expect; "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func newFlagSet(c *command, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "usage: evoreceipt %s [flags] %s\n\n%s\n", c.name, c.args, c.summary)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(out, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: evoreceipt <command> [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-9s %s\n", n, firstLine(c.summary))
	}
	fmt.Fprintln(w, "\nRun \"evoreceipt help <command>\" for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 fine, 1 a document is invalid, 2 usage or I/O error.")
	fmt.Fprintf(w, "Size limits (larger files are refused, exit 2): requests read by fix,\n"+
		"validate and submit %d MiB; --config %d MiB; --rules pack files %d MiB;\n"+
		"submit --journal %d MiB. map reads its input one document at a time.\n",
		maxInput>>20, maxConfig>>20, maxPack>>20, maxJournal>>20)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Bounds of what a command reads whole into memory; larger files are
// refused rather than read without limit (/dev/zero has no end). The
// usage text lists them.
const (
	// maxInput bounds the requests fix, validate and submit read from one
	// file or stdin.
	maxInput = 256 << 20
	// maxConfig bounds a --config file: a few parameters of a pack.
	maxConfig = 1 << 20
	// maxJournal bounds a submit journal: some 200 bytes a record, two
	// records a document, so about half a million documents.
	maxJournal = 256 << 20
	// maxPack is the bound the rules package sets on a pack file, quoted
	// here for the usage text.
	maxPack = 4 << 20
)

// readInput reads the file name, or stdin for "-".
func readInput(e *env, name string) ([]byte, error) {
	if name == "-" {
		return readAtMost(e.stdin, name, "input", maxInput)
	}
	return readFileAtMost(name, "input", maxInput)
}

// readFileAtMost reads the file at path, refusing one longer than limit
// bytes; what names the file's role in the error.
func readFileAtMost(path, what string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAtMost(f, path, what, limit)
}

// readAtMost reads r to its end, or refuses it once it holds more than
// limit bytes: it reads limit+1 bytes at most, which is how a file just at
// the limit is told from a larger one without reading the rest.
func readAtMost(r io.Reader, name, what string, limit int) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%s: %s larger than %s, refused", name, what, sizeText(limit))
	}
	return data, nil
}

// sizeText writes a size limit in MiB when it is a whole number of them.
func sizeText(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.Itoa(n>>20) + " MiB"
	}
	return strconv.Itoa(n) + " bytes"
}

// usageError prints a usage problem and returns the usage exit code.
func usageError(e *env, cmd, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "evoreceipt %s: %s\n", cmd, fmt.Sprintf(format, args...))
	fmt.Fprintf(e.stderr, "run \"evoreceipt help %s\" for usage\n", cmd)
	return exitUsage
}

// checkedWriter remembers the first write error, so that a command whose
// output goes nowhere (a full disk, a closed pipe) can say so and exit 2
// instead of reporting success.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}
