package rules

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites golden files: go test ./rules -update
var update = flag.Bool("update", false, "rewrite golden files under testdata")

// golden compares got with the file path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
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

// Every pack under testdata/broken fails to load, and the errors (file,
// line, column, field, message and caret snippet) are pinned in its
// .golden file.
func TestBrokenPacks(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "broken", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no broken packs: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			p, err := LoadFile(filepath.ToSlash(f))
			if err == nil {
				t.Fatalf("the pack loaded: %+v", p)
			}
			list := AsList(err)
			if len(list) == 0 {
				t.Fatalf("not an ErrorList: %v", err)
			}
			for _, e := range list {
				if e.Line < 1 || e.Column < 1 || e.Snippet == "" {
					t.Errorf("error without a position or snippet: %#v", e)
				}
			}
			golden(t, strings.TrimSuffix(f, ".yaml")+".golden", []byte(err.Error()+"\n"))
		})
	}
}

// The broken packs of the issue, each pointing at the right line and
// column.
func TestBrokenPositions(t *testing.T) {
	for _, tc := range []struct {
		file      string
		line, col int
		msg       string
	}{
		{"wrong-field", 5, 3, `no field "recipt" here; did you mean "receipt"?`},
		{"wrong-field", 12, 9, `no field "prise" here; did you mean "price"?`},
		{"decimal-plus-string", 9, 35, "mismatched types decimal and string"},
		{"unknown-function", 8, 17, "unknown name trimm"},
		{"many", 27, 15, "mismatched types decimal and unknown"},
		{"alias", 7, 12, "aliases are not allowed"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := LoadFile(filepath.Join("testdata", "broken", tc.file+".yaml"))
			for _, e := range AsList(err) {
				if e.Line == tc.line && e.Column == tc.col && strings.Contains(e.Msg, tc.msg) {
					return
				}
			}
			t.Errorf("no error %q at %d:%d in\n%v", tc.msg, tc.line, tc.col, err)
		})
	}
}
