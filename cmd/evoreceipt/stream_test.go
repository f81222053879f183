package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// lineCol is the 1-based line and character column of byte off in s,
// counted here independently of the code under test.
func lineCol(s string, off int) (int, int) {
	before := s[:off]
	line := strings.Count(before, "\n") + 1
	return line, utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
}

// multiReq is validReq (written over several lines) under the external_id
// id, with the replacements old → new made.
func multiReq(id string, oldNew ...string) string {
	s := strings.Replace(validReq, `"external_id":"ord-1"`, `"external_id":"`+id+`"`, 1)
	return strings.NewReplacer(oldNew...).Replace(s)
}

// TestStreamPositions checks that validate, fix and submit report a bad
// document of a stream by its ordinal and at the line and column of the
// whole input, all three alike, whether the documents are JSON Lines,
// several to a line or written over several lines.
func TestStreamPositions(t *testing.T) {
	t.Parallel()
	quoted := []string{`"total":1220.00}}`, `"total":"1220.00"}}`}
	comma := []string{`"total":1220.00}}`, `"total":1220.00,}}`}
	tests := []struct {
		name  string
		input string
		// n is the ordinal of the bad document; the problem is at the
		// last occurrence of marker in the input, plus skip bytes.
		n            int
		marker       string
		skip         int
		code, path   string
		line, column int // pinned: lineCol must agree
	}{
		{name: "JSON Lines, a wrong type in the third",
			input: compactReq("a") + "\n" + compactReq("b") + "\n" +
				compactReq("c", quoted...) + "\n" + compactReq("d") + "\n",
			n: 3, marker: `"1220.00"}}`, code: "wrong_type", path: "receipt.total",
			line: 3, column: 437},
		{name: "JSON Lines, malformed third line",
			input: compactReq("a") + "\n" + compactReq("b") + "\n" +
				compactReq("c", comma...) + "\n" + compactReq("d") + "\n",
			n: 3, marker: `,}}`, skip: 1, code: "json_syntax", line: 3, column: 445},
		{name: "the third on the line of the second",
			input: compactReq("a") + "\n" + compactReq("b") + "  " +
				compactReq("c", quoted...) + "\n",
			n: 3, marker: `"1220.00"}}`, code: "wrong_type", path: "receipt.total",
			line: 2, column: 884},
		{name: "documents over several lines",
			input: multiReq("a") + "\n\n" + multiReq("b") + "\n  " +
				multiReq("c", quoted...),
			n: 3, marker: `"1220.00"}}`, code: "wrong_type", path: "receipt.total",
			line: 22, column: 47},
		{name: "malformed document over several lines",
			input: multiReq("a") + multiReq("b") + "\n" + multiReq("c", comma...) + "\n" +
				compactReq("d"),
			n: 3, marker: `,}}`, skip: 1, code: "json_syntax", line: 20, column: 55},
		{name: "one document after blank lines",
			input: "\n\n   " +
				compactReq("a", quoted...),
			n: 1, marker: `"1220.00"}}`, code: "wrong_type", path: "receipt.total",
			line: 3, column: 440},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			line, col := lineCol(tt.input, strings.LastIndex(tt.input, tt.marker)+tt.skip)
			if line != tt.line || col != tt.column {
				t.Fatalf("the input puts the problem at %d:%d, the case says %d:%d", line, col,
					tt.line, tt.column)
			}
			at := fmt.Sprintf("(line %d, column %d)", line, col)
			prefix := ""
			if strings.Count(strings.TrimSpace(tt.input), `"timestamp"`) > 1 {
				prefix = fmt.Sprintf("document %d: ", tt.n)
			}
			where := tt.path
			if where == "" {
				where = "(root)"
			}
			// The violation must be the document's only one, at the place.
			located := func(cmd string, vs []map[string]any) {
				t.Helper()
				if len(vs) != 1 || vs[0]["code"] != tt.code || str(vs[0]["path"]) != tt.path ||
					vs[0]["line"] != float64(line) || vs[0]["column"] != float64(col) {
					t.Errorf("%s: violations %v, want %s at %s %d:%d", cmd, vs, tt.code,
						tt.path, line, col)
				}
			}

			stdout, _, code := runCmd(t, tt.input, "validate", "-o", "json", "--lang", "en",
				"-")
			reports := strings.Split(strings.TrimSpace(stdout), "\n")
			if code != exitInvalid || len(reports) < tt.n {
				t.Fatalf("validate: exit %d\n%s", code, stdout)
			}
			var vr struct{ Violations []map[string]any }
			if err := json.Unmarshal([]byte(reports[tt.n-1]), &vr); err != nil {
				t.Fatal(err)
			}
			located("validate", vr.Violations)
			stdout, _, _ = runCmd(t, tt.input, "validate", "--lang", "en", "-")
			if want := prefix + where + " " + at + ": error " + tt.code; !strings.Contains(
				stdout, want) {
				t.Errorf("validate: output lacks %q:\n%s", want, stdout)
			}

			_, stderr, code := runCmd(t, tt.input, "fix", "-o", "json", "--lang", "en", "-")
			if code != exitInvalid {
				t.Fatalf("fix: exit %d\n%s", code, stderr)
			}
			var found bool
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				var fr struct {
					Document   int
					Violations []map[string]any
				}
				if err := json.Unmarshal([]byte(l), &fr); err != nil {
					t.Fatalf("fix: %v: %s", err, l)
				}
				if fr.Document == tt.n {
					found = true
					located("fix", fr.Violations)
				} else if len(fr.Violations) > 0 {
					t.Errorf("fix: document %d: %v", fr.Document, fr.Violations)
				}
			}
			if !found {
				t.Errorf("fix: no report of document %d:\n%s", tt.n, stderr)
			}
			_, stderr, _ = runCmd(t, tt.input, "fix", "--lang", "en", "-")
			if want := prefix + "invalid: " + where + " " + at + ": error " + tt.code; !strings.
				Contains(stderr, want) {
				t.Errorf("fix: stderr lacks %q:\n%s", want, stderr)
			}

			stdout, stderr, code = runCmd(t, tt.input, "submit", "--sandbox", "-")
			if code != exitInvalid {
				t.Fatalf("submit: exit %d\n%s\n%s", code, stdout, stderr)
			}
			for i, l := range reportLines(t, stdout) {
				if l["document"] != float64(i+1) {
					t.Errorf("submit: line %d: document %v", i+1, l["document"])
				}
				if i+1 != tt.n {
					if l["status"] != "done" {
						t.Errorf("submit: line %d: %v", i+1, l)
					}
					continue
				}
				ce, _ := l["client_error"].(map[string]any)
				if l["status"] != "fail" || ce["kind"] != "invalid" ||
					!strings.Contains(str(ce["message"]), at) {
					t.Errorf("submit: line %d: %v; want a failure %s", i+1, l, at)
				}
				var vs []map[string]any
				for _, v := range ce["violations"].([]any) {
					vs = append(vs, v.(map[string]any))
				}
				located("submit", vs)
			}
		})
	}
}
