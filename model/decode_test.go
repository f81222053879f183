package model_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/model"
)

// baseRequest is a valid sell request with the item left as ITEM.
const baseRequest = `{
  "timestamp": "05.01.2026 10:15:00",
  "external_id": "order-1",
  "receipt": {
    "client": {"email": "buyer@example.com"},
    "company": {"email": "shop@example.com", "sno": "osn", "inn": "5544332219",
                "payment_address": "https://shop.example"},
    "items": [
      ITEM
    ],
    "payments": [{"type": 1, "sum": 122.00}],
    "total": 122.00
  }
}`

const baseItem = `{"name": "Товар", "price": 61.00, "quantity": 2, "measure": 0, "sum": 122.00,
       "payment_method": "full_payment", "payment_object": 1, "vat": {"type": "vat22"}}`

// request returns baseRequest with the item and then each pair of old, new
// replaced.
func request(item string, replace ...string) string {
	s := strings.Replace(baseRequest, "ITEM", item, 1)
	return strings.NewReplacer(replace...).Replace(s)
}

// item returns baseItem with each pair of old, new replaced.
func item(replace ...string) string { return strings.NewReplacer(replace...).Replace(baseItem) }

// wantErr is one expected decode error. It points at the nth (from 0)
// occurrence of mark in the input, or at the end of the input when mark is
// "".
type wantErr struct {
	code, path, mark string
	nth              int
}

// position returns the 1-based line and character column of the nth
// occurrence of mark in s, counted here independently of the model.
func position(t *testing.T, s, mark string, nth int) (int, int) {
	t.Helper()
	off := len(s)
	if mark != "" {
		off = -1
		for i, from := 0, 0; i <= nth; i++ {
			j := strings.Index(s[from:], mark)
			if j < 0 {
				t.Fatalf("mark %q #%d not in the input", mark, nth)
			}
			off = from + j
			from = off + 1
		}
	}
	before := s[:off]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
	return line, col
}

func checkErrors(t *testing.T, in string, err error, want []wantErr) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var de *model.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a *DecodeError", err)
	}
	if len(de.Errors) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(de.Errors), len(want), err)
	}
	for i, w := range want {
		got := de.Errors[i]
		line, col := position(t, in, w.mark, w.nth)
		if got.Code != w.code || got.Path != w.path || got.Line != line || got.Column != col {
			t.Errorf("error %d: got %s at %q %d:%d (%s)\n          want %s at %q %d:%d",
				i, got.Code, got.Path, got.Line, got.Column, got.Message,
				w.code, w.path, line, col)
		}
		if gotLine, gotCol := model.LineColumn([]byte(in), got.Offset); gotLine != got.Line ||
			gotCol != got.Column {
			t.Errorf("error %d: offset %d is %d:%d, but the error says %d:%d",
				i, got.Offset, gotLine, gotCol, got.Line, got.Column)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	lenient := model.DecodeOptions{AllowUnknownFields: true}
	allowNull := model.DecodeOptions{AllowNull: true}
	deep := "[" + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "]"
	tests := []struct {
		name string
		in   string
		opts model.DecodeOptions
		want []wantErr
	}{
		{name: "valid", in: request(baseItem)},
		{name: "byte order mark", in: "\xef\xbb\xbf" + request(baseItem)},

		{name: "unknown key", in: request(item(`"name"`, `"bogus": true, "name"`)),
			want: []wantErr{{code: model.CodeUnknownField, path: "receipt.items[0].bogus",
				mark: `"bogus"`}}},
		{name: "unknown key skipped", in: request(item(`"name"`, `"bogus": {"a": [1]}, "name"`)),
			opts: lenient},
		{name: "v4 field", in: request(item(`"name"`, `"nomenclature_code": "x", "name"`)),
			want: []wantErr{{code: model.CodeUnknownField,
				path: "receipt.items[0].nomenclature_code", mark: `"nomenclature_code"`}}},

		{name: "missing key", in: request(item(`"price": 61.00, `, "")),
			want: []wantErr{{code: model.CodeMissingField, path: "receipt.items[0].price",
				mark: `{"name"`}}},
		{name: "missing keys in order", in: request(`{"name": "Товар"}`),
			want: []wantErr{
				{code: model.CodeMissingField, path: "receipt.items[0].price", mark: `{"name"`},
				{code: model.CodeMissingField, path: "receipt.items[0].quantity", mark: `{"name"`},
				{code: model.CodeMissingField, path: "receipt.items[0].measure", mark: `{"name"`},
				{code: model.CodeMissingField, path: "receipt.items[0].sum", mark: `{"name"`},
				{code: model.CodeMissingField, path: "receipt.items[0].payment_method",
					mark: `{"name"`},
				{code: model.CodeMissingField, path: "receipt.items[0].payment_object",
					mark: `{"name"`},
				{code: model.CodeMissingField, path: "receipt.items[0].vat", mark: `{"name"`},
			}},
		{name: "missing root key", in: request(baseItem, `"external_id": "order-1",`, ""),
			want: []wantErr{{code: model.CodeMissingField, path: "external_id", mark: "{"}}},
		{name: "missing correction_info", in: request(baseItem, `"receipt"`, `"correction"`),
			want: []wantErr{{code: model.CodeMissingField, path: "correction.correction_info",
				mark: `{`, nth: 1}}},

		{name: "string for a number", in: request(item(`61.00`, `"61.00"`)),
			want: []wantErr{{code: model.CodeWrongType, path: "receipt.items[0].price",
				mark: `"61.00"`}}},
		{name: "number for a string", in: request(item(`"Товар"`, `5`)),
			want: []wantErr{{code: model.CodeWrongType, path: "receipt.items[0].name",
				mark: `5,`}}},
		{name: "object for an array", in: request(baseItem, `"payments": [`, `"payments": {"a": [`,
			`122.00}],`, `122.00}]},`),
			want: []wantErr{{code: model.CodeWrongType, path: "receipt.payments",
				mark: `{"a"`}}},
		{name: "string for an enum number", in: request(item(`"measure": 0`, `"measure": "0"`)),
			want: []wantErr{{code: model.CodeWrongType, path: "receipt.items[0].measure",
				mark: `"0"`}}},
		{name: "array for a bool", in: request(baseItem, `"receipt": {`,
			`"ism_optional": [true], "receipt": {`),
			want: []wantErr{{code: model.CodeWrongType, path: "ism_optional", mark: `[true]`}}},
		{name: "bad timestamp", in: request(baseItem, `05.01.2026 10:15:00`, `2026-13-01`),
			want: []wantErr{{code: model.CodeBadFormat, path: "timestamp", mark: `"2026-13-01"`}}},

		{name: "duplicate key",
			in: request(item(`"price": 61.00,`, `"price": 61.00, "price": 61.00,`)),
			want: []wantErr{{code: model.CodeDuplicateKey, path: "receipt.items[0].price",
				mark: `"price"`, nth: 1}}},

		{name: "several problems", in: request(item(`"name": "Товар"`, `"name": 1, "x": 2`,
			`"sum": 122.00,`, "")),
			want: []wantErr{
				{code: model.CodeWrongType, path: "receipt.items[0].name", mark: `1, "x"`},
				{code: model.CodeUnknownField, path: "receipt.items[0].x", mark: `"x"`},
				{code: model.CodeMissingField, path: "receipt.items[0].sum", mark: `{"name"`},
			}},

		{name: "syntax: missing comma", in: request(baseItem, `{"type": 1, "sum"`,
			`{"type": 1 "sum"`),
			want: []wantErr{{code: model.CodeSyntax, path: "",
				mark: `"sum": 122.00}]`}}},
		{name: "syntax: trailing comma", in: request(baseItem, `"total": 122.00`,
			`"total": 122.00,`),
			want: []wantErr{{code: model.CodeSyntax, path: "", mark: "}\n}"}}},
		{name: "syntax: truncated", in: request(baseItem)[:40],
			want: []wantErr{{code: model.CodeSyntax, path: "", mark: ""}}},
		{name: "syntax: empty", in: "", want: []wantErr{{code: model.CodeSyntax, mark: ""}}},
		{name: "syntax: data after the document", in: request(baseItem) + " {}",
			want: []wantErr{{code: model.CodeSyntax, path: "", mark: "{}"}}},
		{name: "syntax: single quotes", in: request(item(`"Товар"`, `'Товар'`)),
			want: []wantErr{{code: model.CodeSyntax, path: "",
				mark: `'Товар'`}}},
		{name: "syntax: control character", in: request(item(`"Товар"`, "\"То\tвар\"")),
			want: []wantErr{{code: model.CodeSyntax, path: "", mark: "\t"}}},
		{name: "syntax: bad escape", in: request(item(`"Товар"`, `"То\xвар"`)),
			want: []wantErr{{code: model.CodeSyntax, path: "", mark: `\x`}}},
		{name: "syntax: bad unicode escape", in: request(item(`"Товар"`, `"То\u12G4"`)),
			want: []wantErr{{code: model.CodeSyntax, path: "",
				mark: `\u12G4`}}},

		{name: "too deep", in: request(baseItem), opts: model.DecodeOptions{MaxDepth: 3},
			want: []wantErr{{code: model.CodeTooDeep, path: "receipt.items[0]", mark: `{"name"`}}},
		{name: "too deep in a skipped value", in: request(baseItem, `"total"`,
			`"deep": `+deep+`, "total"`), opts: lenient,
			want: []wantErr{{code: model.CodeTooDeep, path: "receipt.deep", mark: "[", nth: 64}}},

		{name: "invalid UTF-8", in: request(item(`"Товар"`, "\"Тов\xffар\""), `"total"`,
			`"x": 1, "total"`),
			want: []wantErr{
				{code: model.CodeBadUTF8, path: "receipt.items[0].name", mark: "\xff"},
				{code: model.CodeUnknownField, path: "receipt.x", mark: `"x"`},
			}},
		{name: "lone high surrogate", in: request(item(`"Товар"`, `"a\ud800b"`)),
			want: []wantErr{{code: model.CodeBadUTF8, path: "receipt.items[0].name",
				mark: `\ud800`}}},
		{name: "lone low surrogate", in: request(item(`"Товар"`, `"\udc00"`)),
			want: []wantErr{{code: model.CodeBadUTF8, path: "receipt.items[0].name",
				mark: `\udc00`}}},
		{name: "high surrogate before a letter", in: request(item(`"Товар"`, `"\ud800\u0041"`)),
			want: []wantErr{{code: model.CodeBadUTF8, path: "receipt.items[0].name",
				mark: `\ud800`}}},
		{name: "surrogate pair", in: request(item(`"Товар"`, `"\ud83d\ude00"`))},

		{name: "null strict", in: request(baseItem, `{"email": "buyer@example.com"}`, `null`),
			want: []wantErr{{code: model.CodeWrongType, path: "receipt.client", mark: "null"}}},
		{name: "null allowed for an optional key", opts: allowNull,
			in: request(baseItem, `{"email": "buyer@example.com"}`, `null`)},
		{name: "null for a required key", opts: allowNull,
			in:   request(baseItem, `"total": 122.00`, `"total": null`),
			want: []wantErr{{code: model.CodeMissingField, path: "receipt.total", mark: "null"}}},
		{name: "null in an array", opts: allowNull,
			in: request(baseItem, `[{"type": 1, "sum": 122.00}]`, `[null]`),
			want: []wantErr{{code: model.CodeWrongType, path: "receipt.payments[0]",
				mark: "null"}}},
		{name: "null at the root", in: "null",
			want: []wantErr{{code: model.CodeWrongType, path: "", mark: "null"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := model.DecodeRequest([]byte(tc.in), tc.opts)
			checkErrors(t, tc.in, err, tc.want)
		})
	}
}

// TestDecodeDocumentPaths checks that the {"operation","request"} wrapper
// does not show in the paths of errors inside the request.
func TestDecodeDocumentPaths(t *testing.T) {
	bogus := request(item(`"name"`, `"bogus": true, "name"`))
	tests := []struct {
		name string
		in   string
		opts model.DecodeOptions
		want []wantErr
		op   model.Operation
	}{
		{name: "valid", in: `{"operation":"sell","request":` + request(baseItem) + `}`,
			op: model.Sell},
		{name: "request first", in: `{"request":` + request(baseItem) + `,"operation":"buy"}`,
			op: model.Buy},
		{name: "bare request", in: request(baseItem)},
		{name: "error inside", in: `{"operation":"sell","request":` + bogus + `}`, op: model.Sell,
			want: []wantErr{{code: model.CodeUnknownField, path: "receipt.items[0].bogus",
				mark: `"bogus"`}}},
		{name: "missing inside", in: `{"operation":"sell","request":` +
			request(baseItem, `"external_id": "order-1",`, "") + `}`, op: model.Sell,
			want: []wantErr{{code: model.CodeMissingField, path: "external_id", mark: "{",
				nth: 1}}},
		{name: "quoted key inside", in: `{"operation":"sell","request":` +
			request(baseItem, `"timestamp"`, `"a.b": 1, "timestamp"`) + `}`, op: model.Sell,
			want: []wantErr{{code: model.CodeUnknownField, path: `["a.b"]`, mark: `"a.b"`}}},
		{name: "wrapper key", in: `{"operation":"sell","bogus":1,"request":` +
			request(baseItem) + `}`, op: model.Sell,
			want: []wantErr{{code: model.CodeUnknownField, path: "bogus", mark: `"bogus"`}}},
		{name: "no operation", in: `{"request":` + request(baseItem) + `}`,
			want: []wantErr{{code: model.CodeMissingField, path: "operation", mark: "{"}}},
		{name: "null request", in: `{"operation":"sell","request":null}`, op: model.Sell,
			want: []wantErr{{code: model.CodeWrongType, path: "", mark: "null"}}},
		{name: "depth limit of the caller", in: `{"operation":"sell","request":` +
			request(baseItem) + `}`, opts: model.DecodeOptions{MaxDepth: 4}, op: model.Sell,
			want: []wantErr{{code: model.CodeTooDeep, path: "receipt.items[0]",
				mark: `{"name"`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := model.DecodeDocument([]byte(tc.in), tc.opts)
			checkErrors(t, tc.in, err, tc.want)
			if doc == nil || doc.Request == nil {
				t.Fatal("DecodeDocument returned no request")
			}
			if doc.Operation != tc.op {
				t.Errorf("operation = %q, want %q", doc.Operation, tc.op)
			}
		})
	}
}

func TestDecodeSurrogatePairValue(t *testing.T) {
	in := request(item(`"Товар"`, `"\ud83d\ude00 \u0416\n"`))
	r, err := model.DecodeRequest([]byte(in), model.DecodeOptions{AllowControl: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Receipt.Items[0].Name, "😀 Ж\n"; got != want {
		t.Errorf("name = %q, want %q", got, want)
	}
}

func TestDecodeLenient(t *testing.T) {
	in := request(item(`61.00`, `"61.00"`, `"name"`, `"bogus": [1, {"x": null}], "name"`),
		`{"email": "buyer@example.com"}`, `null`)
	r, err := model.DecodeRequest([]byte(in), model.Lenient)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Receipt.Items[0].Price.String(); got != "61.00" {
		t.Errorf("price = %s, want 61.00", got)
	}
	if r.Receipt.Client != nil {
		t.Errorf("client = %+v, want nil for null", r.Receipt.Client)
	}
}

// TestDecodeErrorCap checks that a document full of errors lists a bounded
// number of them, and still reports the syntax error that ends it.
func TestDecodeErrorCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 1499 {
		fmt.Fprintf(&b, `"k%d":1,`, i)
	}
	b.WriteString(`"k":}`)
	err := model.Decode([]byte(b.String()), &model.Request{}, model.DecodeOptions{})
	var de *model.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("got %v", err)
	}
	if len(de.Errors) != 1001 || de.Omitted != 500 {
		t.Fatalf("listed %d, omitted %d; want 1001 and 500", len(de.Errors), de.Omitted)
	}
	if last := de.Errors[len(de.Errors)-1]; last.Code != model.CodeSyntax {
		t.Errorf("last error is %s, want the syntax error", last.Code)
	}
	if !strings.HasSuffix(err.Error(), "; and 500 more") ||
		!strings.HasPrefix(err.Error(), "model: 1501 problems: ") {
		t.Errorf("message %q…%q", err.Error()[:40], err.Error()[len(err.Error())-30:])
	}
}

func TestDecodeErrorMessage(t *testing.T) {
	in := "{\"timestamp\": \"05.01.2026 10:15:00\",\n \"external_id\": 7}"
	err := model.Decode([]byte(in), &model.Request{}, model.DecodeOptions{})
	want := "model: want string, got number (line 2, column 17)"
	if err == nil || !strings.Contains(err.Error(), "external_id: want string, got number "+
		"(line 2, column 17)") {
		t.Errorf("got %v, want it to hold %q", err, want)
	}
	one := model.Decode([]byte(`{"m":1} x`), &numbers{}, model.DecodeOptions{})
	if got, want := one.Error(), "model: (root): unexpected data after the document "+
		"(line 1, column 9)"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestDecodeNeedsPointer(t *testing.T) {
	for _, v := range []any{model.Request{}, (*model.Request)(nil), nil} {
		if err := model.Decode([]byte("{}"), v, model.DecodeOptions{}); err == nil {
			t.Errorf("Decode into %T: no error", v)
		}
	}
}

// TestDecodeReuses checks that decoding into a value that already holds
// data leaves nothing of the old elements behind.
func TestDecodeReuses(t *testing.T) {
	r := fullRequest()
	if err := model.Decode([]byte(request(baseItem)), r, model.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if it := r.Receipt.Items[0]; it.AgentInfo != nil || it.MarkCode != nil || it.UserData != "" {
		t.Errorf("item keeps old fields: %+v", it)
	}
}

func TestDecodeMap(t *testing.T) {
	in := `{"uuid":"u","status":"done","error":null,"payload":null,` +
		`"warnings":{"callback_url":"callback_url не соответствует маске"}}`
	var r model.Report
	if err := model.Decode([]byte(in), &r, model.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := r.Warnings["callback_url"]; got != "callback_url не соответствует маске" {
		t.Errorf("warning = %q", got)
	}
	dup := `{"warnings":{"a":"1","a":"2","b":3}}`
	err := model.Decode([]byte(dup), &r, model.DecodeOptions{})
	checkErrors(t, dup, err, []wantErr{
		{code: model.CodeDuplicateKey, path: "warnings.a", mark: `"a"`, nth: 1},
		{code: model.CodeWrongType, path: "warnings.b", mark: "3"},
	})
}

func TestLineColumn(t *testing.T) {
	data := []byte("ab\nвгд\n\xffe")
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {9, 2, 4}, {10, 3, 1}, {11, 3, 2},
		{12, 3, 3}, {99, 3, 3},
	}
	for _, tc := range tests {
		if line, col := model.LineColumn(data, tc.off); line != tc.line || col != tc.col {
			t.Errorf("LineColumn(%d) = %d:%d, want %d:%d", tc.off, line, col, tc.line, tc.col)
		}
	}
}

// TestDecodeLongLine checks positions far into a long single line, where
// the decoder's index of positions is used.
func TestDecodeLongLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"timestamp":"05.01.2026 10:15:00","external_id":"`)
	b.WriteString(strings.Repeat("ж", 5000))
	b.WriteString(`","bogus":1}`)
	in := b.String()
	err := model.Decode([]byte(in), &model.Request{}, model.DecodeOptions{})
	var de *model.DecodeError
	if !errors.As(err, &de) || de.Errors[0].Code != model.CodeUnknownField {
		t.Fatalf("got %v", err)
	}
	line, col := position(t, in, `"bogus"`, 0)
	if fe := de.Errors[0]; fe.Line != line || fe.Column != col {
		t.Errorf("at %d:%d, want %d:%d", fe.Line, fe.Column, line, col)
	}
}

func TestDecodeControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		opts        model.DecodeOptions
		wantErr     bool
	}{
		{"plain", `"Кофе"`, model.DecodeOptions{}, false},
		{"escaped newline", `"Кофе\n250 г"`, model.DecodeOptions{}, true},
		{"NUL", `"Ко\u0000фе"`, model.DecodeOptions{}, true},
		{"escape", `"\u001b[31mКофе"`, model.DecodeOptions{}, true},
		{"DEL", `"Кофе\u007f"`, model.DecodeOptions{}, true},
		{"right-to-left mark is not a control", `"\u202eКофе"`, model.DecodeOptions{}, false},
		{"allowed", `"Кофе\n"`, model.DecodeOptions{AllowControl: true}, false},
		{"lenient", `"Кофе\t"`, model.Lenient, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := request(item(`"Товар"`, tc.value))
			_, err := model.DecodeRequest([]byte(in), tc.opts)
			var de *model.DecodeError
			got := errors.As(err, &de) && len(de.Errors) == 1 &&
				de.Errors[0].Code == model.CodeControl &&
				de.Errors[0].Path == "receipt.items[0].name"
			if got != tc.wantErr || (!tc.wantErr && err != nil) {
				t.Errorf("err = %v, want a control_character error: %v", err, tc.wantErr)
			}
		})
	}
}

// TestDecodeRewrites checks that every value written back otherwise than
// it was read is listed, with its path and text, and nothing else.
func TestDecodeRewrites(t *testing.T) {
	type want struct {
		kind model.RewriteKind
		path string
		text string // the input at Offset:End
		nw   string
	}
	tests := []struct {
		name string
		in   string
		opts model.DecodeOptions
		want []want
	}{
		{name: "nothing to say", in: request(baseItem), opts: model.Lenient},
		{name: "lenient", opts: model.Lenient,
			in: request(item(`61.00`, `"61.00"`, `"quantity": 2`, `"quantity": "2.0"`,
				`"measure": 0`, `"measure": "0"`, `"name"`, `"bogus": [1, {"x": null}], "name"`),
				`{"email": "buyer@example.com"}`, `{"email": "buyer@example.com", "phone": null}`,
				`"total"`, `"x_custom": {"a": 1}, "total"`),
			want: []want{
				{model.RewriteNull, "receipt.client.phone", "null", ""},
				{model.RewriteUnknownKey, "receipt.items[0].bogus", `[1, {"x": null}]`, ""},
				{model.RewriteNumericString, "receipt.items[0].price", `"61.00"`, "61.00"},
				{model.RewriteNumericString, "receipt.items[0].quantity", `"2.0"`, "2.0"},
				{model.RewriteNumericString, "receipt.items[0].measure", `"0"`, "0"},
				{model.RewriteUnknownKey, "receipt.x_custom", `{"a": 1}`, ""},
			}},
		{name: "number forms", in: request(item(`61.00`, `6.1e1`, `"quantity": 2`,
			`"quantity": 2E0`, `"measure": 0`, `"measure": 0.0`, `"payment_object": 1`,
			`"payment_object": 1e0`), `"sum": 122.00}]`, `"sum": 1.2200e2}]`,
			`"total": 122.00`, `"total": 122.00, "vats": [{"type": "none", "sum": -0.00}]`),
			want: []want{
				{model.RewriteNumberForm, "receipt.items[0].price", "6.1e1", "61"},
				{model.RewriteNumberForm, "receipt.items[0].quantity", "2E0", "2"},
				{model.RewriteNumberForm, "receipt.items[0].measure", "0.0", "0"},
				{model.RewriteNumberForm, "receipt.items[0].payment_object", "1e0", "1"},
				{model.RewriteNumberForm, "receipt.payments[0].sum", "1.2200e2", "122.00"},
				{model.RewriteNumberForm, "receipt.vats[0].sum", "-0.00", "0.00"},
			}},
		{name: "small exponent keeps the scale", in: request(baseItem, `"total": 122.00`,
			`"total": 122.00, "vats": [{"type": "none", "sum": 1.0e-2}]`),
			want: []want{{model.RewriteNumberForm, "receipt.vats[0].sum", "1.0e-2", "0.010"}}},
		{name: "negative amounts keep their form", in: request(baseItem, `"total": 122.00`,
			`"total": -122.00`)},
		{name: "wrapped", opts: model.Lenient,
			in: `{"operation":"sell","x":1,"request":` + request(item(`61.00`, `"61.00"`)) + `}`,
			want: []want{
				{model.RewriteUnknownKey, "x", "1", ""},
				{model.RewriteNumericString, "receipt.items[0].price", `"61.00"`, "61.00"},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []model.Rewrite
			opts := tc.opts
			opts.Rewrites = &got
			if _, err := model.DecodeDocument([]byte(tc.in), opts); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d rewrites, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Kind != w.kind || g.Path != w.path || tc.in[g.Offset:g.End] != w.text ||
					g.New != w.nw {
					t.Errorf("rewrite %d = %s %s %q → %q, want %s %s %q → %q", i, g.Kind,
						g.Path, tc.in[g.Offset:g.End], g.New, w.kind, w.path, w.text, w.nw)
				}
			}
		})
	}
	// A null that the type allows (model:"nullable") is the format's own
	// absent value, not a rewrite; one in a map is.
	in := `{"uuid":"u","status":"done","error":null,"warnings":{"a":"1","b":null}}`
	var got []model.Rewrite
	opts := model.Lenient
	opts.Rewrites = &got
	if err := model.Decode([]byte(in), &model.Report{}, opts); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Kind != model.RewriteNull || got[0].Path != "warnings.b" {
		t.Errorf("rewrites %+v, want the null of warnings.b", got)
	}
}
