package transform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
)

func readAllJSON(t *testing.T, in string, elements bool, l Limits) ([]any, error) {
	t.Helper()
	return readJSONFrom(t, strings.NewReader(in), elements, l)
}

func readJSONFrom(t *testing.T, in io.Reader, elements bool, l Limits) ([]any, error) {
	t.Helper()
	r := newJSONReader(in, elements, l.withDefaults())
	defer r.release()
	var out []any
	for {
		v, err := r.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}

func TestJSONReader(t *testing.T) {
	n := func(s string) json.Number { return json.Number(s) }
	for _, tc := range []struct {
		name, in string
		elements bool
		want     []any
		err      string
	}{
		{name: "one object", in: `{"a": 1.10, "b": [true, null, "x"]}`,
			want: []any{map[string]any{"a": n("1.10"), "b": []any{true, nil, "x"}}}},
		{name: "JSON Lines", in: "{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n",
			want: []any{map[string]any{"a": n("1")}, map[string]any{"a": n("2")},
				map[string]any{"a": n("3")}}},
		{name: "a list, element by element", in: ` [ {"a":1} , {"a":[2]} ] `, elements: true,
			want: []any{map[string]any{"a": n("1")}, map[string]any{"a": []any{n("2")}}}},
		{name: "a list as one value", in: `[1,2]`, want: []any{[]any{n("1"), n("2")}}},
		{name: "lists one after another", in: "[1]\n[]\n[2,3]", elements: true,
			want: []any{n("1"), n("2"), n("3")}},
		{name: "scalars in a list", in: `["a", -0.5e3, false]`, elements: true,
			want: []any{"a", n("-0.5e3"), false}},
		{name: "a BOM", in: "\ufeff{\"a\":\"б\"}", want: []any{map[string]any{"a": "б"}}},
		{name: "escapes", in: `"\u0416\n\t\"\\\/ \ud83d\ude00 \ufffd"`,
			want: []any{"Ж\n\t\"\\/ 😀 \ufffd"}},
		{name: "a lone surrogate", in: `"\ud83d\ude00 \ud800x"`,
			err: `line 1, column 15: bad_utf8: string holds a lone UTF-16 surrogate, \ud800`},
		{name: "not UTF-8", in: "\"a\xffb\"",
			err: "column 3: bad_utf8: string is not valid UTF-8: byte 0xFF is not a character"},
		{name: "a repeated key", in: `{"a":1,"a":2}`,
			err: `column 8: duplicate_key: key "a" appears twice (first at line 1, column 2)`},
		{name: "big integers keep their digits", in: `12345678901234567890`,
			want: []any{n("12345678901234567890")}},
		{name: "empty", in: "  \n", want: nil},
		{name: "bad number", in: `{"a": 01}`,
			err: "line 1, column 8: want , or } in an object, got '1'"},
		{name: "no digits after the point", in: `{"a": 1.}`, err: "no digits after the point"},
		{name: "a missing comma on line 2", in: "{\"a\": 1,\n \"b\": 2 \"c\": 3}",
			err: "line 2, column 9: want , or } in an object"},
		{name: "unclosed", in: `{"a": [1, 2}`, err: "the input ends inside this value"},
		{name: "an unclosed list of documents", in: `[{"a":1}`, elements: true,
			err: "the input ends inside a list"},
		{name: "a missing comma between documents", in: `[{"a":1} {"a":2}]`, elements: true,
			err: "want , or ] after a list element"},
		{name: "a control character", in: "\"a\x01\"", err: "a control character"},
		{name: "a bad escape", in: `"\q"`, err: `a bad escape \q`},
		{name: "a bare word", in: `nope`, err: "column 1: unexpected 'n'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAllJSON(t, tc.in, tc.elements, Limits{})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("want an error containing %q, got %v (%v)", tc.err, err, got)
				}
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Errorf("not an InputError: %T", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestJSONLimits(t *testing.T) {
	deep := strings.Repeat("[", 600) + strings.Repeat("]", 600)
	if _, err := readAllJSON(t, deep, false, Limits{}); err == nil ||
		!strings.Contains(err.Error(), "nested deeper than 512") {
		t.Errorf("depth: %v", err)
	}
	big := `{"a":"` + strings.Repeat("x", 5000) + `"}`
	if _, err := readAllJSON(t, big, false, Limits{MaxDocument: 1000}); err == nil ||
		!strings.Contains(err.Error(), "longer than 1000 bytes") {
		t.Errorf("size: %v", err)
	}
	// The limit is per document: many small ones are fine.
	many := strings.Repeat(`{"a":"xxxxxxxxxx"}`+"\n", 1000)
	if got, err := readAllJSON(t, many, true, Limits{MaxDocument: 100}); err != nil ||
		len(got) != 1000 {
		t.Errorf("many small documents: %d, %v", len(got), err)
	}
}

// The reader agrees with encoding/json (UseNumber) on what it accepts and
// what the values are, except that it refuses, as bad_utf8 and
// duplicate_key, text that is not UTF-8, lone surrogates and repeated keys,
// which encoding/json turns into U+FFFD or the last value: then the input
// has one. What it accepts is UTF-8 with no key twice in an object. Its
// messages are UTF-8 without control characters, whatever the input.
func FuzzJSONReader(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"x\u00e9",null,true]}`, "1 2 3", `[{"a":{}}]`,
		`"\ud83d\ude00"`, `{"a":1}{"b":2}`, "[", `"\x"`, "0.0", "-", `{"":""}`,
		`{"a":1,"\u0061":2}`, `["\udc00"]`, "\"\xd0\"", "\xff\xfe{\x00}\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want []any
		var stdErr error
		for {
			var v any
			if err := dec.Decode(&v); err != nil {
				if err != io.EOF {
					stdErr = err
				}
				break
			}
			want = append(want, v)
		}
		got, err := readAllJSON(t, string(data), false, Limits{})
		text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		var ie *InputError
		errors.As(err, &ie)
		switch {
		case err != nil && (!utf8.ValidString(err.Error()) ||
			strings.ContainsFunc(err.Error(), unicode.IsControl)):
			t.Fatalf("the message carries raw input: %q", err.Error())
		case err == nil && (!utf8.Valid(text) || repeatedKey(text)):
			t.Fatalf("accepted text that is not UTF-8 or has a key twice: %q", got)
		case ie != nil && ie.Code == model.CodeBadUTF8 && utf8.Valid(text) && !loneSurrogate(text):
			t.Fatalf("bad_utf8 for UTF-8 without a lone surrogate: %v", err)
		case ie != nil && ie.Code == model.CodeDuplicateKey && !repeatedKey(text):
			t.Fatalf("duplicate_key without a key twice: %v", err)
		case len(text) < len(data):
			// encoding/json refuses a BOM; the reader skips it
		case stdErr == nil && ie != nil && ie.Code != "":
			// refused where encoding/json replaces or keeps the last value
		case stdErr == nil && err != nil && strings.Contains(err.Error(), "after the value"):
			// A number or word run into the next value (00, 1true) is two
			// values to encoding/json and a mistake to the reader.
		case (stdErr == nil) != (err == nil):
			t.Fatalf("encoding/json: %v; reader: %v", stdErr, err)
		case err == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("got %#v, want %#v", got, want)
		}
		// How the input arrives (here a byte at a time, so that every
		// character and escape is split between reads) changes nothing,
		// positions in messages included.
		for _, elements := range []bool{false, true} {
			whole, werr := readAllJSON(t, string(data), elements, Limits{})
			bytewise, berr := readJSONFrom(t, iotest.OneByteReader(bytes.NewReader(data)),
				elements, Limits{})
			if fmt.Sprint(werr) != fmt.Sprint(berr) || !reflect.DeepEqual(whole, bytewise) {
				t.Fatalf("elements %v: read whole: %v (%v); a byte at a time: %v (%v)",
					elements, werr, whole, berr, bytewise)
			}
		}
	})
}

// repeatedKey reports whether an object in the JSON values of data (read
// by encoding/json as far as they are well-formed) has a key twice.
func repeatedKey(data []byte) bool {
	type frame struct {
		object, wantKey bool
		keys            map[string]bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && top.object {
			if top.wantKey {
				key := tok.(string)
				if top.keys[key] {
					return true
				}
				top.keys[key] = true
				top.wantKey = false
				continue
			}
			top.wantKey = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true, keys: map[string]bool{}})
		case json.Delim('['):
			stack = append(stack, &frame{})
		}
	}
}

// loneSurrogate reports whether a string in data has a \u escape of a
// UTF-16 surrogate that is not half of a pair.
func loneSurrogate(data []byte) bool {
	inString := false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			inString = !inString
		case c == '\\' && inString && i+1 < len(data):
			if data[i+1] != 'u' {
				i++
				continue
			}
			hi, ok := hex4(data[i+2:])
			if !ok || !utf16.IsSurrogate(hi) {
				i++
				continue
			}
			lo, ok := rune(0), false
			if i+7 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' {
				lo, ok = hex4(data[i+8:])
			}
			if !ok || utf16.DecodeRune(hi, lo) == utf8.RuneError {
				return true
			}
			i += 11
		}
	}
	return false
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(n), err == nil
}

// A column counts characters, however the reads split them.
func TestJSONColumns(t *testing.T) {
	in := "\"б\\u0416ж\" x" // the second value is bad
	for name, r := range map[string]io.Reader{
		"whole":            strings.NewReader(in),
		"a byte at a time": iotest.OneByteReader(strings.NewReader(in)),
	} {
		_, err := readJSONFrom(t, r, false, Limits{})
		if want := "line 1, column 12: unexpected 'x'"; err == nil ||
			!strings.Contains(err.Error(), want) {
			t.Errorf("%s: want %q, got %v", name, want, err)
		}
	}
}

func TestCP1251(t *testing.T) {
	in := []byte{0xC0, 0xE1, 0xFF, ' ', 0xA8, 0xB8, 0xB9, 0x96, 0x98, 'z'}
	got, err := io.ReadAll(newCP1251Reader(bytes.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Абя Ёё№–\ufffdz"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Every byte decodes to one character, and a long input crosses buffer
	// boundaries intact.
	long := bytes.Repeat([]byte{0xC0, 'a'}, 50_000)
	got, _ = io.ReadAll(newCP1251Reader(bytes.NewReader(long)))
	if want := strings.Repeat("Аa", 50_000); string(got) != want {
		t.Errorf("long input decoded wrong (%d bytes)", len(got))
	}
}

func TestCSVReader(t *testing.T) {
	in := rules.Input{Format: "csv", Delimiter: ';', Encoding: "utf-8"}
	r, err := newCSVReader(strings.NewReader("\ufeffА ;Б\n1,5;\"x;\"\"y\"\"\"\n"), in,
		Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	row, err := r.next()
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"А": "1,5", "Б": `x;"y"`}; !reflect.DeepEqual(row, want) {
		t.Errorf("row %v, want %v", row, want)
	}
	if _, err := r.next(); err != io.EOF {
		t.Errorf("want EOF, got %v", err)
	}
	cp := rules.Input{Format: "csv", Delimiter: ',', Encoding: "windows-1251"}
	r, err = newCSVReader(bytes.NewReader([]byte{0xC8, 0xEC, 0xFF, '\n', 0xC0, '\n'}), cp,
		Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if row, err := r.next(); err != nil || row["Имя"] != "А" {
		t.Errorf("windows-1251: %v, %v", row, err)
	}
	for _, bad := range []struct{ in, err string }{
		{"", "no header row"},
		{"a;a\n", `the column "a" twice`},
		{"a;b\n1;2;3\n", "wrong number of fields"},
		{"a;b\n\"1;2\n", "line 2"},
	} {
		r, err := newCSVReader(strings.NewReader(bad.in), in, Limits{}.withDefaults())
		if err == nil {
			_, err = r.next()
		}
		if err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("%q: want %q, got %v", bad.in, bad.err, err)
		}
	}
}

func TestXMLReader(t *testing.T) {
	doc := []byte("<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<Root><Doc><Id>1</Id>" +
		"<Item Code=\"796\">\xd8\xf2</Item></Doc><Other/><Doc><Id>2</Id><Item>a</Item>" +
		"<Item>b</Item></Doc></Root>")
	x := newXMLReader(bytes.NewReader(doc), rules.Input{Format: "xml", Element: "Doc"},
		Limits{}.withDefaults())
	var got []any
	for {
		v, err := x.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	want := []any{
		map[string]any{"Id": "1", "Item": map[string]any{"@Code": "796", "#text": "Шт"}},
		map[string]any{"Id": "2", "Item": []any{"a", "b"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	whole := newXMLReader(strings.NewReader("<R><A>x</A></R>"), rules.Input{Format: "xml"},
		Limits{}.withDefaults())
	if v, err := whole.next(); err != nil ||
		!reflect.DeepEqual(v, map[string]any{"R": map[string]any{"A": "x"}}) {
		t.Errorf("whole document: %v, %v", v, err)
	}
	for _, bad := range []struct{ in, err string }{
		{"<R><A></R>", "line 1"},
		{`<?xml version="1.0" encoding="koi8-r"?><R/>`, "koi8-r"},
		{strings.Repeat("<a>", 600), "nested deeper"},
		{"", "no root element"},
	} {
		x := newXMLReader(strings.NewReader(bad.in), rules.Input{Format: "xml"},
			Limits{}.withDefaults())
		if _, err := x.next(); err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("%q: want %q, got %v", bad.in, bad.err, err)
		}
	}
}

// BenchmarkJSONReader reads JSON Lines of orders with Cyrillic text, an
// escape and a number or two per line: the reader alone, without a pack.
func BenchmarkJSONReader(b *testing.B) {
	var in bytes.Buffer
	for i := range 200 {
		fmt.Fprintf(&in, `{"id": "A-%d", "date": "2026-02-03T12:30:00+03:00", "customer": `+
			`{"email": "buyer%d@example.com"}, "lines": [{"name": "Футболка «Лето» №%d", `+
			`"qty": 2, "unit_price": "1500.%02d", "vat": "vat22"}, {"name": "Кепка\t\u00e9", `+
			`"qty": "1", "unit_price": 799.99, "vat": "vat22", "mark_code": `+
			`"0104601234567893215aBcDe\u001d93XyZw"}], "paid": "3799.99"}`+"\n", i, i, i, i%100)
	}
	data := in.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := newJSONReader(bytes.NewReader(data), true, Limits{}.withDefaults())
		for {
			if _, err := r.next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
		r.release()
	}
}
