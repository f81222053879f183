package transform_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/transform"
)

// Input text is never changed on its way to a receipt: a document with
// bytes that are not characters in its encoding, a lone surrogate or a
// key twice is refused with its place, the documents around it are mapped,
// and input in an encoding that is not read (UTF-16), or read as the wrong
// one, stops with an error naming the encoding and the way out. A UTF-8
// byte order mark is skipped. No message carries raw input bytes or the
// buyer's contacts.
func TestInputTextRefused(t *testing.T) {
	line := func(id, name string) string {
		return `{"id": "` + id + `", "lines": [{"name": "` + name + `", "price": "1"}]}` + "\n"
	}
	xmlPack := strings.Replace(base, "format: json", "format: xml\n  element: Doc", 1)
	xmlPack = strings.Replace(xmlPack, "each: doc.lines", "each: list(doc.line)", 1)
	xmlDoc := func(id, name string) string {
		return "<Doc><id>" + id + "</id><line><name>" + name + "</name><price>1</price></line>" +
			"</Doc>\n"
	}
	const decl1251 = `<?xml version="1.0" encoding="windows-1251"?>` + "\n"
	csvPack := strings.Replace(base, "format: json", "format: csv\n  delimiter: \";\"", 1)
	csvPack = strings.Replace(csvPack, "each: doc.lines", "each: '[doc]'", 1)
	csv1251 := strings.Replace(csvPack, "delimiter", "encoding: windows-1251\n  delimiter", 1)
	xml1251 := strings.Replace(xmlPack, "element", "encoding: windows-1251\n  element", 1)
	type bad struct {
		line, col int
		code, msg string
	}
	for _, tc := range []struct {
		name, pack, in string
		// want is per result: an ID, or the error of a refused document
		// (stepped over, and named by its number: its index + 1).
		want  []any
		fatal *bad // an error that stops the input
	}{
		// 1. Text that is not UTF-8, and lone surrogates.
		{name: "JSON: bytes that are not UTF-8", in: line("A", "x") + line("B", "a\xff\xfeb") +
			line("C", "y"),
			want: []any{"A", bad{2, 34, model.CodeBadUTF8,
				"string is not valid UTF-8: byte 0xFF is not a character"}, "C"}},
		{name: "JSON: bytes that are not UTF-8 after escapes", in: line("A", "x") +
			line("B", `\"q\" \u0416 `+"\xc0") + line("C", "y"),
			want: []any{"A", bad{2, 46, model.CodeBadUTF8, "byte 0xC0 is not a character"}, "C"}},
		{name: "JSON: a lone surrogate", in: line("A", "x") + line("B", `a\ud800b`) +
			line("C", "y"),
			want: []any{"A", bad{2, 34, model.CodeBadUTF8,
				`string holds a lone UTF-16 surrogate, \ud800, which is not a character`}, "C"}},
		{name: "JSON: a high surrogate before another escape", in: line("A", `\ud83d\u0041`),
			want: []any{bad{1, 33, model.CodeBadUTF8, `lone UTF-16 surrogate, \ud83d`}}},
		{name: "JSON: a surrogate pair is a character", in: line("A", `\ud83d\ude00`),
			want: []any{"A"}},
		{name: "JSON: windows-1251 text", in: line("A", "\xd7\xe0\xe9"),
			want: []any{bad{1, 33, model.CodeBadUTF8, "byte 0xD7 is not a character; the " +
				"document looks like windows-1251, and JSON is read as UTF-8: convert the file"}}},
		{name: "JSON list: one element refused, the others mapped",
			in: "[" + strings.TrimSpace(line("A", "x")) + ",\n  " +
				strings.TrimSpace(line("B", "\xff")) + ",\n  " + strings.TrimSpace(line("C", "y")) +
				"]",
			want: []any{"A", bad{2, 35, model.CodeBadUTF8, "byte 0xFF"}, "C"}},

		// 2. A byte that windows-1251 leaves undefined.
		{name: "XML: 0x98 in windows-1251", pack: xmlPack,
			in: decl1251 + "<R>\n" + xmlDoc("A", "\xd7\xe0\xe9") + xmlDoc("B", "\xd7\x98") +
				xmlDoc("C", "x") + "</R>\n",
			want: []any{"A", bad{4, 29, transform.CodeBadEncoding,
				"byte 0x98 is not a character in windows-1251"}, "C"}},
		{name: "XML: 0x98, windows-1251 by the pack", pack: xml1251,
			in:   "<R>\n" + xmlDoc("A", "\x98") + xmlDoc("B", "x") + "</R>\n",
			want: []any{bad{2, 28, transform.CodeBadEncoding, "byte 0x98"}, "B"}},
		{name: "CSV: 0x98 in windows-1251", pack: csv1251,
			in: "id;name;price\nA;\xd7\xe0\xe9;1\nB;z\x98;2\nC;z;3\n",
			want: []any{"A", bad{3, 4, transform.CodeBadEncoding,
				"byte 0x98 is not a character in windows-1251"}, "C"}},
		{name: "XML: windows-1251 text read as UTF-8", pack: xmlPack,
			in: "<R>\n" + xmlDoc("A", "Чай") + xmlDoc("B", "\xd7\xe0\xe9") + xmlDoc("C", "x") +
				"</R>\n",
			want: []any{"A", bad{3, 28, model.CodeBadUTF8, "byte 0xD7 is not a character; " +
				`the file looks like windows-1251: declare it (<?xml version="1.0" ` +
				`encoding="windows-1251"?>)`}, "C"}},
		{name: "CSV: a row not in UTF-8", pack: csvPack,
			in: "id;name;price\nA;x;1\nB;\xd7\xe0\xe9;2\nC;z;3\n",
			want: []any{"A", bad{3, 3, model.CodeBadUTF8, "byte 0xD7 is not a character; the " +
				"file looks like windows-1251: read it with a pack whose input.encoding is " +
				"windows-1251"}, "C"}},

		// 3. A key twice.
		{name: "JSON: a key twice", in: line("A", "x") + `{"id": "B", "email": ` +
			`"b@example.com", "lines": [{"name": "x", "price": "100", "price": "1"}], ` +
			`"email": "c@example.com"}` + "\n" + line("C", "y"),
			want: []any{"A", bad{2, 79, model.CodeDuplicateKey,
				`key "price" appears twice (first at line 2, column 63)`}, "C"}},
		{name: "JSON: a key twice, once escaped", in: `{"id": "A", "lines": [], "\u0069d": ` +
			`"B"}`,
			want: []any{bad{1, 26, model.CodeDuplicateKey,
				`key "id" appears twice (first at line 1, column 2)`}}},
		{name: "JSON: a key twice in a document over lines", in: "{\n  \"id\": \"A\",\n" +
			"  \"lines\": [],\n  \"lines\": []\n}\n",
			want: []any{bad{4, 3, model.CodeDuplicateKey,
				`key "lines" appears twice (first at line 3, column 3)`}}},

		// 5. Encodings that are not read, and the byte order mark.
		{name: "JSON: UTF-16 with a byte order mark", in: "\xff\xfe{\x00}\x00",
			fatal: &bad{1, 1, transform.CodeBadEncoding, "the input is in UTF-16LE (it starts " +
				"with a UTF-16 byte order mark); JSON is read as UTF-8: convert the file, for " +
				"example with iconv -f UTF-16LE -t UTF-8"}},
		{name: "JSON: UTF-16 without one", in: "\x00{\x00}",
			fatal: &bad{1, 1, transform.CodeBadEncoding, "the input is in UTF-16BE (its first " +
				"bytes are ASCII padded with zero bytes)"}},
		{name: "JSON: UTF-32", in: "{\x00\x00\x00}\x00\x00\x00",
			fatal: &bad{1, 1, transform.CodeBadEncoding, "UTF-32LE"}},
		{name: "CSV: UTF-16", pack: csvPack, in: "\xfe\xff\x00i\x00d",
			fatal: &bad{1, 1, transform.CodeBadEncoding, "UTF-16BE (it starts with a UTF-16 " +
				"byte order mark); CSV is read as UTF-8, or as windows-1251 when the pack's " +
				"input.encoding says so"}},
		{name: "XML: UTF-16", pack: xmlPack, in: "<\x00R\x00/\x00>\x00",
			fatal: &bad{1, 1, transform.CodeBadEncoding, "UTF-16LE"}},
		{name: "CSV: a windows-1251 header read as UTF-8", pack: csvPack,
			in: "id;\xcd\xe0\xe7\xe2\xe0\xed\xe8\xe5;price\n",
			fatal: &bad{1, 4, model.CodeBadUTF8, "byte 0xCD is not a character; the file " +
				"looks like windows-1251"}},
		{name: "CSV: UTF-8 read as windows-1251", pack: csv1251,
			in: "id;name;price\nA;Чай;1\n",
			fatal: &bad{2, 3, transform.CodeBadEncoding, "the file looks like UTF-8, and the " +
				"pack reads it as windows-1251 (input.encoding)"}},
		{name: "XML: UTF-8 declared as windows-1251", pack: xmlPack,
			in: decl1251 + "<R>\n" + xmlDoc("A", "Чай") + "</R>\n",
			fatal: &bad{3, 28, transform.CodeBadEncoding, "the file looks like UTF-8, and its " +
				"XML declaration says windows-1251"}},
		{name: "XML: windows-1251 without a declaration", pack: xmlPack,
			in: "<\xc4\xee\xea>\n<\xc4\xee\xea\xf3\xec\xe5\xed\xf2/>\n</\xc4\xee\xea>\n",
			fatal: &bad{1, 2, model.CodeBadUTF8, "byte 0xC4 is not a character; the file looks " +
				"like windows-1251"}},
		{name: "JSON: a byte order mark", in: "\xef\xbb\xbf" + line("A", "Чай"), want: []any{"A"}},
		{name: "CSV: a byte order mark", pack: csvPack, in: "\xef\xbb\xbfid;name;price\nA;Чай;1\n",
			want: []any{"A"}},
		{name: "CSV: a byte order mark says UTF-8 over the pack", pack: csv1251,
			in: "\xef\xbb\xbfid;name;price\nA;Чай;1\n", want: []any{"A"}},
		{name: "XML: a byte order mark", pack: xmlPack,
			in:   "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<R>" + xmlDoc("A", "Чай") + "</R>",
			want: []any{"A"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pack := base
			if tc.pack != "" {
				pack = tc.pack
			}
			var got []transform.Result
			err := mapper(t, pack, nil).Each(strings.NewReader(tc.in),
				func(r transform.Result) error {
					got = append(got, r)
					return nil
				})
			check := func(what string, err error, want bad, doc int) {
				t.Helper()
				var ie *transform.InputError
				if !errors.As(err, &ie) {
					t.Fatalf("%s: want an InputError, got %v", what, err)
				}
				msg := err.Error()
				if ie.Line != want.line || ie.Column != want.col || ie.Code != want.code ||
					ie.Document != doc || !strings.Contains(msg, want.msg) {
					t.Errorf("%s: got %d:%d %s, document %d: %s\nwant %d:%d %s, document %d, "+
						"saying %q", what, ie.Line, ie.Column, ie.Code, ie.Document, msg,
						want.line, want.col, want.code, doc, want.msg)
				}
				if !utf8.ValidString(msg) || strings.ContainsFunc(msg, unicode.IsControl) ||
					strings.Contains(msg, "example.com") {
					t.Errorf("%s: the message shows raw input: %q", what, msg)
				}
			}
			if tc.fatal != nil {
				check("the input", err, *tc.fatal, 0)
				for _, r := range got {
					if r.Document != nil {
						t.Errorf("a receipt from input that stopped: %s", r.ID)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d results, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				r := got[i]
				if b, ok := w.(bad); ok {
					check("result "+r.ID, r.Err, b, i+1)
					if r.Document != nil || r.Line != b.line {
						t.Errorf("result %d: a receipt, or line %d for %d", i, r.Line, b.line)
					}
					continue
				}
				if r.Err != nil || r.ID != w {
					t.Errorf("result %d: %s, %v; want %s", i, r.ID, r.Err, w)
				}
			}
		})
	}
}
