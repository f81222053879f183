package model_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
)

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want string // the documented form; "" for an error
		iso  bool
	}{
		{"05.01.2026 10:15:00", "05.01.2026 10:15:00", false},
		{"31.12.2025 23:59:59", "31.12.2025 23:59:59", false},
		{"29.02.2024 00:00:00", "29.02.2024 00:00:00", false},
		// The ISO form of Evotor's API page, converted to Moscow time; the
		// fraction of a second is dropped, not rounded.
		{"2025-05-31T12:56:26.042Z", "31.05.2025 15:56:26", true},
		{"2025-05-31T12:56:26.999Z", "31.05.2025 15:56:26", true},
		{"2025-05-31T12:56:26Z", "31.05.2025 15:56:26", true},
		{"2025-05-31T12:56:26+03:00", "31.05.2025 12:56:26", true},
		{"2025-05-31T12:56:26+05:00", "31.05.2025 10:56:26", true},
		{"2025-12-31T22:30:00Z", "01.01.2026 01:30:00", true},
		// Without a zone an ISO time is Moscow time.
		{"2025-05-31T12:56:26", "31.05.2025 12:56:26", true},
		{"2025-05-31T12:56:26.5", "31.05.2025 12:56:26", true},
		{"2025-05-31 12:56:26", "31.05.2025 12:56:26", true},

		{"", "", false},
		{"5.01.2026 10:15:00", "", false},
		{"05.01.2026 1:15:00", "", false},
		{"05.01.2026 10:15", "", false},
		{"05.01.2026 24:00:00", "", false},
		{"31.02.2026 10:00:00", "", false},
		{"05.13.2026 10:00:00", "", false},
		{"05.01.2026 10:15:00 ", "", false},
		{" 05.01.2026 10:15:00", "", false},
		{"05.01.2026T10:15:00", "", false},
		{"05.01.2026 10:15:00.123", "", false},
		{"05/01/2026 10:15:00", "", false},
		{"05.01.26 10:15:00", "", false},
		{"2025-05-31", "", false},
		{"2025-05-31t12:56:26z", "", false},
		{"text", "", false},
		// Years the documented form cannot carry, and the zero time.
		{"01.01.0000 12:00:00", "", false},
		{"0000-01-01T00:00:00+05:00", "", false},
		{"01.01.0001 03:00:00", "", false},
		{"0001-01-01T00:00:00Z", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			ts, err := model.ParseTimestamp(tc.in)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("read %s, want an error", ts)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ts.String() != tc.want || ts.ISO() != tc.iso ||
				ts.Time().Location() != model.Moscow {
				t.Errorf("got %s (ISO %v, %s), want %s (ISO %v)", ts, ts.ISO(),
					ts.Time().Location(), tc.want, tc.iso)
			}
			again, err := model.ParseTimestamp(ts.String())
			if err != nil || !again.Equal(ts) || again.ISO() {
				t.Errorf("the documented form %s does not read back: %v", ts, err)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string
		iso      bool
	}{
		{"31.12.2025", "31.12.2025", false},
		{"15.04.1985", "15.04.1985", false},
		{"2025-12-31", "31.12.2025", true},
		{"2025-05-31T12:56:26.042Z", "31.05.2025", true},
		// A date sent as midnight in Moscow, written in UTC, is still that
		// date.
		{"2025-05-30T21:00:00.000Z", "31.05.2025", true},
		{"", "", false},
		{"1.1.2025", "", false},
		{"31.02.2025", "", false},
		{"31.12.25", "", false},
		{"31.12.2025 ", "", false},
		{"31.12.2025 10:00:00", "", false},
		{"2025-12-31 10:00", "", false},
		{"00.01.2025", "", false},
		{"01.01.0000", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, err := model.ParseDate(tc.in)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("read %s, want an error", d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.String() != tc.want || d.ISO() != tc.iso {
				t.Errorf("got %s (ISO %v), want %s (ISO %v)", d, d.ISO(), tc.want, tc.iso)
			}
			if h, m, s := d.Time().Clock(); h+m+s != 0 || d.Time().Location() != model.Moscow {
				t.Errorf("time %s is not midnight in Moscow", d.Time())
			}
		})
	}
}

func TestTimestampValues(t *testing.T) {
	utc := time.Date(2026, 1, 5, 7, 15, 0, 999_000_000, time.UTC)
	ts := model.NewTimestamp(utc)
	if ts.String() != "05.01.2026 10:15:00" || ts.ISO() || ts.IsZero() {
		t.Errorf("NewTimestamp = %s", ts)
	}
	late := time.Date(2025, 12, 31, 22, 0, 0, 0, time.UTC)
	if d := model.NewDate(late); d.String() != "01.01.2026" {
		t.Errorf("NewDate = %s, want the date in Moscow", d)
	}
	if d := model.NewDate(time.Date(2025, 12, 31, 23, 0, 0, 0, moscow)); !d.Equal(
		date("31.12.2025")) {
		t.Errorf("NewDate = %s", d)
	}
	var zero model.Timestamp
	var zeroDate model.Date
	if !zero.IsZero() || zero.String() != "" || !zeroDate.IsZero() || zeroDate.String() != "" {
		t.Error("zero values are not unset")
	}

	type doc struct {
		T model.Timestamp `json:"t"`
		D model.Date      `json:"d"`
	}
	var v doc
	if err := json.Unmarshal([]byte(`{"t":"2025-05-31T12:56:26.042Z","d":"2025-12-31"}`),
		&v); err != nil {
		t.Fatal(err)
	}
	out, err := model.Marshal(v)
	if want := `{"t":"31.05.2025 15:56:26","d":"31.12.2025"}`; err != nil || string(out) != want {
		t.Errorf("wrote %s, %v; want %s", out, err, want)
	}
	for _, bad := range []string{`{"t":"x"}`, `{"d":"x"}`, `{"t":5}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("encoding/json read %s", bad)
		}
	}
}

func TestDecodeTimes(t *testing.T) {
	in := `{"name":"0","value":"v","timestamp":5}`
	err := model.Decode([]byte(in), &model.OperatingCheckProps{}, model.DecodeOptions{})
	checkErrors(t, in, err, []wantErr{{code: model.CodeWrongType, path: "timestamp", mark: "5"}})

	in = `{"type":"self","base_date":20251231}`
	err = model.Decode([]byte(in), &model.CorrectionInfo{}, model.DecodeOptions{})
	checkErrors(t, in, err, []wantErr{{code: model.CodeWrongType, path: "base_date",
		mark: "2025"}})

	in = `{"type":"self","base_date":"31.13.2025"}`
	err = model.Decode([]byte(in), &model.CorrectionInfo{}, model.DecodeOptions{})
	checkErrors(t, in, err, []wantErr{{code: model.CodeBadFormat, path: "base_date",
		mark: `"31.13.2025"`}})
}
