package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites golden files: go test ./cmd/evoreceipt -update
var update = flag.Bool("update", false, "rewrite golden files under testdata")

// runCmd runs the command line in process and returns what it printed and
// its exit code.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }}
	code = run(context.Background(), e, args)
	return out.String(), errb.String(), code
}

// golden compares got with the file testdata/golden/name, or rewrites it
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking)\ngot:\n%s\nwant:\n%s",
			path, got, want)
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no command", nil, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"help", []string{"help"}, exitOK},
		{"help of a command", []string{"help", "map"}, exitOK},
		{"help of an unknown command", []string{"help", "nosuch"}, exitUsage},
		{"help of two commands", []string{"help", "map", "fix"}, exitUsage},
		{"bad flag", []string{"validate", "--nope", "x"}, exitUsage},
		{"missing file", []string{"validate", "testdata/does-not-exist.json"}, exitUsage},
		{"two files", []string{"validate", "a", "b"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, code := runCmd(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
		})
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	out, _, code := runCmd(t, "", "map", "../../testdata/orders/ozon/fbs_get_v3.json",
		"--rules", "ozon-fbs", "--pretty")
	if code != exitOK {
		t.Fatalf("exit code %d", code)
	}
	if !strings.HasPrefix(out, "{\n  \"operation\": \"sell\"") {
		t.Errorf("flags after the file were not applied:\n%s", out)
	}
}

// TestSizeLimits checks that files read whole are refused past their limit
// without being read to the end: /dev/zero has none.
func TestSizeLimits(t *testing.T) {
	big := filepath.Join(t.TempDir(), "params.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), maxConfig/10+1),
		0o644); err != nil {
		t.Fatal(err)
	}
	configs := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		configs = append(configs, "/dev/zero")
	}
	for _, config := range configs {
		for _, args := range [][]string{
			{"map", "--rules", "flat", "--config", config, "-"},
			{"validate", "--rules", "flat", "--config", config, "-"},
		} {
			_, stderr, code := runCmd(t, "{}", args...)
			if code != exitUsage || !strings.Contains(stderr,
				config+": --config file larger than 1 MiB, refused") {
				t.Errorf("%q: exit %d\n%s", args, code, stderr)
			}
		}
	}
	// The usage text lists the limits.
	out, _, _ := runCmd(t, "", "help")
	if !strings.Contains(out, "--config 1 MiB") || !strings.Contains(out, "--journal 256 MiB") {
		t.Errorf("help does not list the limits:\n%s", out)
	}
	if _, err := readAtMost(strings.NewReader("12345"), "x", "input", 5); err != nil {
		t.Errorf("input at the limit: %v", err)
	}
	if _, err := readAtMost(strings.NewReader("123456"), "x", "input", 5); err == nil ||
		err.Error() != "x: input larger than 5 bytes, refused" {
		t.Errorf("input past the limit: %v", err)
	}
}
