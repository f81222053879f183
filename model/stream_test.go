package model

import "testing"

func TestSplitValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string // the text of each span; "!" prefix marks a malformed one
	}{
		{"one document", `{"a":1}`, []string{`{"a":1}`}},
		{"json lines", "{\"a\":1}\n{\"b\":2}\n", []string{`{"a":1}`, `{"b":2}`}},
		{"concatenated", `{"a":1}{"b":2} [3]`, []string{`{"a":1}`, `{"b":2}`, `[3]`}},
		{"empty", " \n\t", nil},
		{"byte order mark", "\xef\xbb\xbf{}", []string{`{}`}},
		{"broken line in the middle", "{\"a\":1}\nnot json\n{\"b\":2}\n",
			[]string{`{"a":1}`, `!not json`, `{"b":2}`}},
		{"unterminated line in json lines", "{\"a\":1}\n{\"x\":\n{\"b\":2}\n",
			[]string{`{"a":1}`, `!{"x":`, `{"b":2}`}},
		{"broken tail", "{\"a\":1}\n{\"x\":", []string{`{"a":1}`, `!{"x":`}},
		{"pretty document broken inside", "{\n \"a\": 1,\n \"b\": ]\n}\n{}",
			[]string{"!{\n \"a\": 1,\n \"b\": ]", `!}`, `{}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spans := SplitValues([]byte(tc.in))
			var got []string
			for _, s := range spans {
				text := tc.in[s.Start:s.End]
				if s.Err != nil {
					if s.Err.Code != CodeSyntax || s.Err.Line < 1 {
						t.Errorf("span %q: error %+v", text, s.Err)
					}
					text = "!" + text
				}
				got = append(got, text)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("spans %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("span %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestDecodeEmpties(t *testing.T) {
	in := `{"timestamp":"04.12.2026 10:15:00","external_id":"e","receipt":{` +
		`"client":{"email":"a@b.ru","phone":""},"company":{"email":"s@b.ru","sno":"osn",` +
		`"inn":"7701493822","payment_address":"x"},"items":[{"name":"A","price":1,` +
		`"quantity":1,"measure":0,"sum":1,"payment_method":"full_payment",` +
		`"payment_object":1,"vat":{"type":"none"},"country_code":"",` +
		`"sectoral_item_props":[]}],"payments":[{"type":1,"sum":1}],"vats":[],"total":1}}`
	var empties []string
	if _, err := DecodeRequest([]byte(in), DecodeOptions{Empties: &empties}); err != nil {
		t.Fatal(err)
	}
	want := []string{"receipt.client.phone", "receipt.items[0].country_code",
		"receipt.items[0].sectoral_item_props", "receipt.vats"}
	if len(empties) != len(want) {
		t.Fatalf("empties %q, want %q", empties, want)
	}
	for i := range want {
		if empties[i] != want[i] {
			t.Errorf("empties[%d] = %q, want %q", i, empties[i], want[i])
		}
	}
}
