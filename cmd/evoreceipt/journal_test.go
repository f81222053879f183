package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
)

// TestJournalTornLastRecord replays journals that a run left as it stopped
// at every point of writing a record: a torn last line is cut off with a
// warning and never costs a second registration; other damage stops the
// run before anything is sent.
func TestJournalTornLastRecord(t *testing.T) {
	t.Parallel()
	s := evotortest.NewServer()
	t.Cleanup(s.Close)
	vars := sandboxVars(s)

	// A journal as a finished run leaves it: begin, then accept.
	dir := t.TempDir()
	full := filepath.Join(dir, "full.jsonl")
	line := sellLine(t, "torn-1", "Товар")
	if out, errs, code := runCtx(context.Background(), vars, line, "submit",
		"--endpoint", s.URL, "--journal", full, "-"); code != exitOK {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errs)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	recs := strings.SplitAfter(string(data), "\n")
	if len(recs) != 3 || !strings.Contains(recs[1], `"accept"`) || recs[2] != "" {
		t.Fatalf("journal:\n%s", data)
	}
	begin, accept := recs[0], recs[1]
	neverSent := strings.Replace(begin, "torn-1", "torn-2", 1)

	tests := []struct {
		name    string
		journal string
		stdin   string
		code    int
		status  string // of the one document
		dup     bool
		warn    string // on stderr
		keep    string // the journal before the run's own records
	}{
		{name: "torn accept", journal: begin + accept[:len(accept)/2], stdin: line,
			code: exitOK, status: "done", dup: true, warn: "line 2 is a torn record",
			keep: begin},
		{name: "torn accept, one byte", journal: begin + accept[:1], stdin: line,
			code: exitOK, status: "done", dup: true, warn: "line 2 is a torn record",
			keep: begin},
		{name: "torn accept after the whole journal", journal: begin + accept +
			accept[:len(accept)-2], stdin: line, code: exitOK, status: "done", dup: true,
			warn: "line 3 is a torn record", keep: begin + accept},
		{name: "torn begin was never sent", journal: neverSent[:len(neverSent)-5],
			stdin: sellLine(t, "torn-2", "Товар"), code: exitOK, status: "done",
			warn: "line 1 is a torn record"},
		{name: "zeros a crash left", journal: begin + "\x00\x00\x00\x00", stdin: line,
			code: exitOK, status: "done", dup: true, warn: `cut off: "\x00\x00`, keep: begin},
		{name: "a whole last record without its newline", journal: begin +
			strings.TrimSuffix(accept, "\n"), stdin: line, code: exitOK, status: "done",
			dup: true, keep: begin + accept},
		{name: "damage before the last line", journal: begin[:20] + "\n" + accept,
			stdin: line, code: exitUsage, warn: "line 1: unexpected end of JSON input"},
		{name: "a damaged last line with its newline", journal: begin + accept[:20] + "\n",
			stdin: line, code: exitUsage, warn: "line 2: unexpected end of JSON input"},
		{name: "a last line that is JSON but no record", journal: begin + `{"action":"x"}`,
			stdin: line, code: exitUsage, warn: "line 2: bad sha256"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "j"+string(rune('a'+i))+".jsonl")
			if err := os.WriteFile(path, []byte(tc.journal), 0o600); err != nil {
				t.Fatal(err)
			}
			before := s.Stats()
			out, errs, code := runCtx(context.Background(), vars, tc.stdin, "submit",
				"--endpoint", s.URL, "--journal", path, "-")
			if code != tc.code || !strings.Contains(errs, tc.warn) {
				t.Fatalf("exit %d, want %d; stderr lacks %q:\n%s%s", code, tc.code, tc.warn,
					out, errs)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code != exitOK {
				if string(after) != tc.journal || out != "" {
					t.Errorf("a refused journal was changed or documents sent:\n%q\n%s",
						after, out)
				}
				return
			}
			l := reportLines(t, out)[0]
			if l["status"] != tc.status || (l["duplicate"] == true) != tc.dup {
				t.Errorf("line %v, want status %s, duplicate %v", l, tc.status, tc.dup)
			}
			if st := s.Stats(); st.Registrations-before.Registrations > 1 {
				t.Errorf("registered twice: %+v → %+v", before, st)
			}
			// The journal goes on from its whole records, one a line.
			if !strings.HasPrefix(string(after), tc.keep) {
				t.Errorf("journal after the run:\n%q\nwant it to start with\n%q", after, tc.keep)
			}
			for n, rec := range strings.Split(strings.TrimSuffix(string(after), "\n"), "\n") {
				if !json.Valid([]byte(rec)) {
					t.Errorf("journal line %d is not JSON: %q", n+1, rec)
				}
			}
		})
	}
	for _, id := range []string{"torn-1", "torn-2"} {
		if n := s.Registered(id); n != 1 {
			t.Errorf("%s registered %d times", id, n)
		}
	}
}

func TestJournalLimits(t *testing.T) {
	t.Parallel()
	sell := evotorTestdata + "sell.json"
	_, errs, code := runCmd(t, "", "submit", "--sandbox", "--journal", os.DevNull, sell)
	if code != exitUsage || !strings.Contains(errs, "not a regular file") {
		t.Errorf("--journal %s: exit %d\n%s", os.DevNull, code, errs)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, errs, code = runCmd(t, "", "submit", "--sandbox", "--journal", "/dev/zero", sell)
		if code != exitUsage || !strings.Contains(errs, "not a regular file") {
			t.Errorf("--journal /dev/zero: exit %d\n%s", code, errs)
		}
	}
	path := filepath.Join(t.TempDir(), "big.jsonl")
	if err := os.WriteFile(path, []byte(strings.Repeat("\n", 101)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openFileJournal(path, 100, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "journal larger than 100 bytes") {
		t.Errorf("a journal over the limit: %v", err)
	}
	j, err := openFileJournal(path[:len(path)-len("big.jsonl")]+"ok.jsonl", 100, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// A journal whose records cannot be written, nor cut back, records
	// nothing more: what it would record is not sent.
	j.f.Close()
	key := evotor.JournalKey{Group: "g", ExternalID: "e"}
	for n := range 2 {
		if _, _, err := j.Begin(context.Background(), key, sha256.Sum256(nil)); err == nil {
			t.Fatalf("begin %d on a closed file succeeded", n)
		}
	}
	if j.broken == nil {
		t.Error("the journal is not marked broken")
	}
}
