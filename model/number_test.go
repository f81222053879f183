package model_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
)

// numbers has one field of each numeric kind of the model.
type numbers struct {
	M model.Money    `json:"m,omitempty"`
	Q model.Quantity `json:"q,omitempty"`
	N int            `json:"n,omitempty"`
}

func (n *numbers) field(name string) string {
	switch name {
	case "m":
		return n.M.String()
	case "q":
		return n.Q.String()
	}
	return fmt.Sprint(n.N)
}

// TestNumbers pins what every kind of JSON number does in each numeric
// field. The model only parses: a well-formed number is read exactly, even
// beyond the format's limits (42 949 672.95 for a price, 99 999.999 for a
// quantity), which the validate package reports. What it refuses:
//   - text outside the JSON grammar: a syntax error, which ends decoding
//     and, the document being malformed, is placed at the root path with
//     its line and column;
//   - a value the field cannot hold: an integer field's 1.5 (bad_number);
//   - numbers whose size is an attack rather than an amount: more than 64
//     characters as written or as expanded from the exponent (the form the
//     model writes), or an exponent beyond ±999, refused before it is
//     expanded (bad_number, at the number's path).
func TestNumbers(t *testing.T) {
	numeric := model.DecodeOptions{NumericStrings: true}
	long := "1" + strings.Repeat("0", 64) // 65 characters
	tests := []struct {
		name  string
		field string
		in    string // the raw JSON value
		opts  model.DecodeOptions
		want  string // the value written back, when it is read
		code  string // the error code, when it is not
		col   int    // the error's column in {"x":<in>}
		path  string // the error's path
	}{
		// Read exactly, written with the scale given.
		{name: "one tenth", field: "m", in: "0.1", want: "0.1"},
		{name: "trailing zero kept", field: "m", in: "100.10", want: "100.10"},
		{name: "price limit", field: "m", in: "42949672.95", want: "42949672.95"},
		{name: "over the price limit", field: "m", in: "42949672.96", want: "42949672.96"},
		{name: "negative", field: "m", in: "-1.00", want: "-1.00"},
		{name: "quantity limit", field: "q", in: "99999.999", want: "99999.999"},
		{name: "quantity scale 3", field: "q", in: "0.350", want: "0.350"},
		{name: "twenty digits", field: "m", in: "12345678901234567890",
			want: "12345678901234567890"},
		{name: "twenty digits with cents", field: "m", in: "12345678901234567890.12",
			want: "12345678901234567890.12"},
		{name: "twenty fraction digits", field: "q", in: "0.12345678901234567890",
			want: "0.12345678901234567890"},
		{name: "64 characters", field: "m", in: long[:64], want: long[:64]},

		// Exponents are applied; the result is written without one.
		{name: "1e2", field: "m", in: "1e2", want: "100"},
		{name: "1E+2", field: "m", in: "1E+2", want: "100"},
		{name: "1.5e-2", field: "m", in: "1.5e-2", want: "0.015"},
		{name: "1.50e1 keeps one decimal", field: "m", in: "1.50e1", want: "15.0"},
		{name: "zeros before the exponent digits", field: "m", in: "1e0002", want: "100"},
		{name: "64 digits from an exponent", field: "m", in: "1e63",
			want: "1" + strings.Repeat("0", 63)},
		{name: "64 characters from a negative exponent", field: "q", in: "1e-62",
			want: "0." + strings.Repeat("0", 61) + "1"},
		{name: "zero with a large exponent", field: "m", in: "0e999", want: "0"},

		// Zero has no sign.
		{name: "-0", field: "m", in: "-0", want: "0"},
		{name: "-0.00", field: "m", in: "-0.00", want: "0.00"},
		{name: "0", field: "m", in: "0", want: "0"},

		// Integer fields take integral numbers in any spelling.
		{name: "int 1.0", field: "n", in: "1.0", want: "1"},
		{name: "int 1e2", field: "n", in: "1e2", want: "100"},
		{name: "int -0", field: "n", in: "-0", want: "0"},
		{name: "int max", field: "n", in: "9223372036854775807", want: "9223372036854775807"},
		{name: "int 9.2e18", field: "n", in: "9.2e18", want: "9200000000000000000"},
		{name: "int 1.5", field: "n", in: "1.5", code: model.CodeBadNumber, col: 6, path: "n"},
		{name: "int twenty digits", field: "n", in: "12345678901234567890",
			code: model.CodeBadNumber, col: 6, path: "n"},
		{name: "int 1e19", field: "n", in: "1e19", code: model.CodeBadNumber, col: 6, path: "n"},
		{name: "int huge exponent", field: "n", in: "1e999999", code: model.CodeBadNumber,
			col: 6, path: "n"},

		// Sizes that are attacks.
		{name: "65 digits from an exponent", field: "m", in: "1e64", code: model.CodeBadNumber,
			col: 6, path: "m"},
		{name: "65 characters from a negative exponent", field: "q", in: "1e-63",
			code: model.CodeBadNumber, col: 6, path: "q"},
		{name: "exponent 999", field: "m", in: "1e999", code: model.CodeBadNumber, col: 6,
			path: "m"},
		{name: "exponent 1000", field: "m", in: "1e1000", code: model.CodeBadNumber, col: 6,
			path: "m"},
		{name: "huge exponent", field: "m", in: "1e999999", code: model.CodeBadNumber, col: 6,
			path: "m"},
		{name: "huge negative exponent", field: "q", in: "1e-999999", code: model.CodeBadNumber,
			col: 6, path: "q"},
		{name: "65 characters", field: "m", in: long, code: model.CodeBadNumber, col: 6, path: "m"},
		{name: "a thousand digits", field: "m", in: strings.Repeat("9", 1000),
			code: model.CodeBadNumber, col: 6, path: "m"},

		// Outside the JSON grammar: syntax errors.
		{name: "leading zero", field: "m", in: "01", code: model.CodeSyntax, col: 6, path: ""},
		{name: "leading zeros", field: "m", in: "00.5", code: model.CodeSyntax, col: 6, path: ""},
		{name: "plus sign", field: "m", in: "+1", code: model.CodeSyntax, col: 6, path: ""},
		{name: "no integer part", field: "m", in: ".5", code: model.CodeSyntax, col: 6, path: ""},
		{name: "no fraction digits", field: "m", in: "1.", code: model.CodeSyntax, col: 6,
			path: ""},
		{name: "no exponent digits", field: "m", in: "1e", code: model.CodeSyntax, col: 6,
			path: ""},
		{name: "lone minus", field: "m", in: "-", code: model.CodeSyntax, col: 6, path: ""},
		{name: "double minus", field: "n", in: "--1", code: model.CodeSyntax, col: 6, path: ""},
		{name: "hex", field: "m", in: "0x10", code: model.CodeSyntax, col: 7, path: ""},
		{name: "NaN", field: "m", in: "NaN", code: model.CodeSyntax, col: 6, path: ""},
		{name: "Infinity", field: "q", in: "Infinity", code: model.CodeSyntax, col: 6, path: ""},
		{name: "int leading zero", field: "n", in: "07", code: model.CodeSyntax, col: 6, path: ""},

		// Quoted numbers: a wrong type unless NumericStrings, and then only
		// the JSON grammar inside the quotes.
		{name: "quoted strict", field: "m", in: `"12.30"`, code: model.CodeWrongType, col: 6,
			path: "m"},
		{name: "quoted numeric", field: "m", in: `"12.30"`, opts: numeric, want: "12.30"},
		{name: "quoted 1e2 numeric", field: "q", in: `"1e2"`, opts: numeric, want: "100"},
		{name: "quoted plus", field: "m", in: `"+1"`, opts: numeric, code: model.CodeBadNumber,
			col: 6, path: "m"},
		{name: "quoted .5", field: "m", in: `".5"`, opts: numeric, code: model.CodeBadNumber,
			col: 6, path: "m"},
		{name: "quoted space", field: "m", in: `" 1"`, opts: numeric, code: model.CodeBadNumber,
			col: 6, path: "m"},
		{name: "quoted empty", field: "m", in: `""`, opts: numeric, code: model.CodeBadNumber,
			col: 6, path: "m"},
		{name: "quoted huge exponent", field: "m", in: `"1e999999"`, opts: numeric,
			code: model.CodeBadNumber, col: 6, path: "m"},
		{name: "quoted int strict", field: "n", in: `"7"`, code: model.CodeWrongType, col: 6,
			path: "n"},
		{name: "quoted int numeric", field: "n", in: `"7"`, opts: numeric, want: "7"},
		{name: "quoted int plus", field: "n", in: `"+7"`, opts: numeric,
			code: model.CodeBadNumber, col: 6, path: "n"},

		// Not numbers at all.
		{name: "boolean", field: "m", in: "true", code: model.CodeWrongType, col: 6, path: "m"},
		{name: "object", field: "q", in: "{}", code: model.CodeWrongType, col: 6, path: "q"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"` + tc.field + `":` + tc.in + `}`
			var got numbers
			err := model.Decode([]byte(doc), &got, tc.opts)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Decode(%s): %v", clipTest(doc), err)
				}
				if v := got.field(tc.field); v != tc.want {
					t.Errorf("read %s, want %s", clipTest(v), clipTest(tc.want))
				}
				if tc.field != "n" {
					out, err := model.Marshal(got.M)
					if tc.field == "q" {
						out, err = model.Marshal(got.Q)
					}
					if err != nil || string(out) != tc.want {
						t.Errorf("Marshal = %s, %v; want the JSON number %s", clipTest(string(out)),
							err, clipTest(tc.want))
					}
				}
				return
			}
			var de *model.DecodeError
			if !errors.As(err, &de) || len(de.Errors) != 1 {
				t.Fatalf("Decode(%s) = %v, want one %s error", clipTest(doc), err, tc.code)
			}
			fe := de.Errors[0]
			if fe.Code != tc.code || fe.Path != tc.path || fe.Line != 1 || fe.Column != tc.col {
				t.Errorf("got %s at %q line %d column %d (%s), want %s at %q line 1 column %d",
					fe.Code, fe.Path, fe.Line, fe.Column, fe.Message, tc.code, tc.path, tc.col)
			}
			if len(fe.Message) > 200 {
				t.Errorf("message of %d bytes; input must be clipped: %s", len(fe.Message),
					clipTest(fe.Message))
			}
		})
	}
}

func clipTest(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// TestNumberErrorMessages pins the text of the number errors.
func TestNumberErrorMessages(t *testing.T) {
	tests := []struct {
		in   string
		opts model.DecodeOptions
		want string
	}{
		{`{"m":1e999999}`, model.DecodeOptions{},
			"m: number 1e999999 cannot be read: exponent beyond ±999 (line 1, column 6)"},
		{`{"m":"12.30"}`, model.DecodeOptions{},
			"m: want a number, got a string; write the amount without quotes (line 1, column 6)"},
		{`{"q":"1,5"}`, model.DecodeOptions{NumericStrings: true},
			`q: string "1,5" does not hold a number in the JSON syntax (line 1, column 6)`},
		{`{"m":1e70}`, model.DecodeOptions{}, "m: number 1e70 cannot be read: " +
			"longer than 64 characters without its exponent (line 1, column 6)"},
		{`{"n":1.5}`, model.DecodeOptions{}, "n: want an integer, got 1.5 (line 1, column 6)"},
		{`{"m":01}`, model.DecodeOptions{}, `(root): invalid number "01" (line 1, column 6)`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			err := model.Decode([]byte(tc.in), &numbers{}, tc.opts)
			var de *model.DecodeError
			if !errors.As(err, &de) || len(de.Errors) != 1 {
				t.Fatalf("got %v, want one error", err)
			}
			if got := de.Errors[0].Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
