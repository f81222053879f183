package model_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

func TestMoneyScale(t *testing.T) {
	tests := []struct {
		in, str string
		scale   int32
		fixed2  string
	}{
		{"100.10", "100.10", 2, "100.10"},
		{"100.1", "100.1", 1, "100.10"},
		{"100", "100", 0, "100.00"},
		{"1e2", "100", 0, "100.00"},
		{"0.015", "0.015", 3, "0.02"},
		{"-0.005", "-0.005", 3, "-0.01"},
		{"0.00", "0.00", 2, "0.00"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			m := model.MustMoney(tc.in)
			if m.String() != tc.str || m.Scale() != tc.scale || m.StringFixed(2) != tc.fixed2 {
				t.Errorf("String %s Scale %d StringFixed(2) %s; want %s %d %s", m.String(),
					m.Scale(), m.StringFixed(2), tc.str, tc.scale, tc.fixed2)
			}
			for _, enc := range []func() ([]byte, error){m.MarshalJSON, m.MarshalText} {
				if b, err := enc(); err != nil || string(b) != tc.str {
					t.Errorf("encoded %s, %v; want %s", b, err, tc.str)
				}
			}
		})
	}
}

func TestMoneyEqualAndZero(t *testing.T) {
	a, b := model.MustMoney("1.0"), model.MustMoney("1.00")
	if !a.Equal(b) || a.String() == b.String() {
		t.Errorf("1.0 and 1.00: Equal %v, strings %s %s", a.Equal(b), a, b)
	}
	var zero model.Money
	if !zero.IsZero() || zero.String() != "0" || !model.MustMoney("0.00").IsZero() {
		t.Errorf("zero value: IsZero %v String %s", zero.IsZero(), zero)
	}
	d := decimal.RequireFromString("42949672.95")
	if got := model.NewMoney(d).Decimal(); !got.Equal(d) {
		t.Errorf("NewMoney(%s).Decimal() = %s", d, got)
	}
	q := model.NewQuantity(decimal.New(350, -3))
	if q.String() != "0.350" || q.Scale() != 3 || q.IsZero() ||
		!q.Equal(model.MustQuantity("0.35")) {
		t.Errorf("quantity 0.350: %s scale %d", q, q.Scale())
	}
	if b, err := q.MarshalText(); err != nil || string(b) != "0.350" ||
		!q.Decimal().Equal(decimal.New(35, -2)) {
		t.Errorf("quantity text %s, %v; decimal %s", b, err, q.Decimal())
	}
}

// TestMoneyEncodingJSON covers Money and Quantity under encoding/json, the
// path the service's answers take.
func TestMoneyEncodingJSON(t *testing.T) {
	type amounts struct {
		M model.Money     `json:"m"`
		Q *model.Quantity `json:"q,omitempty"`
	}
	tests := []struct {
		in, want string // want "" for an error
	}{
		{`{"m":100.10,"q":0.350}`, `{"m":100.10,"q":0.350}`},
		{`{"m":1e2}`, `{"m":100}`},
		{`{"m":12345678901234567890.12}`, `{"m":12345678901234567890.12}`},
		{`{"m":null}`, `{"m":0}`},
		{`{"m":"1.00"}`, ""},
		{`{"m":1e999999}`, ""},
		{`{"q":true}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var a amounts
			err := json.Unmarshal([]byte(tc.in), &a)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("no error, read %+v", a)
				}
				if !strings.Contains(err.Error(), "model: ") &&
					!strings.Contains(err.Error(), "json: ") {
					t.Errorf("error %q says nothing of where it comes from", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(a)
			if err != nil || string(out) != tc.want {
				t.Errorf("wrote %s, %v; want %s", out, err, tc.want)
			}
		})
	}
	// null leaves the value alone, as encoding/json expects.
	m := model.MustMoney("5.00")
	if err := m.UnmarshalJSON([]byte("null")); err != nil || m.String() != "5.00" {
		t.Errorf("null: %s, %v", m, err)
	}
	for _, bad := range []string{"01", "+1", ".5", `"5"`, "", "1e999"} {
		if err := m.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("UnmarshalJSON(%q): no error", bad)
		}
	}
	if m.String() != "5.00" {
		t.Errorf("a failed UnmarshalJSON changed the value to %s", m)
	}
}

func TestParseMoney(t *testing.T) {
	// ParseMoney takes the looser syntax of decimal.NewFromString, for
	// text that is not JSON (flags, CSV); Decode does not.
	ok := map[string]string{"12.30": "12.30", "+1": "1", ".5": "0.5", "01": "1",
		"1E2": "100", "-0": "0"}
	for in, want := range ok {
		m, err := model.ParseMoney(in)
		if err != nil || m.String() != want {
			t.Errorf("ParseMoney(%q) = %s, %v; want %s", in, m, err, want)
		}
		var u model.Money
		if err := u.UnmarshalText([]byte(in)); err != nil || u.String() != want {
			t.Errorf("UnmarshalText(%q) = %s, %v; want %s", in, u, err, want)
		}
	}
	for _, in := range []string{"", " 1", "1 ", "1,5", "NaN", "Inf", "-", ".", "1e", "1..2",
		"0x10", "1_000", strings.Repeat("1", 65), "1e64", "1e-999999",
		"." + strings.Repeat("5", 63)} { // written 0.555…, 65 characters
		if m, err := model.ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) = %s, want an error", in, m)
		} else if !strings.HasPrefix(err.Error(), "model: amount ") {
			t.Errorf("ParseMoney(%q): error %q", in, err)
		}
		if _, err := model.ParseQuantity(in); err == nil {
			t.Errorf("ParseQuantity(%q): no error", in)
		}
		var q model.Quantity
		if err := q.UnmarshalText([]byte(in)); err == nil {
			t.Errorf("Quantity.UnmarshalText(%q): no error", in)
		}
	}
}

func TestMustMoneyPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"MustMoney":    func() { model.MustMoney("x") },
		"MustQuantity": func() { model.MustQuantity("") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func TestMoneyGiven(t *testing.T) {
	read := func(doc string, opts model.DecodeOptions) model.Payment {
		t.Helper()
		var p model.Payment
		if err := model.Decode([]byte(doc), &p, opts); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		return p
	}
	var fromStd, null model.Money
	if err := json.Unmarshal([]byte("0"), &fromStd); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte("null"), &null); err != nil {
		t.Fatal(err)
	}
	var text model.Quantity
	if err := text.UnmarshalText([]byte("0")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		given bool
		zero  bool
	}{
		{"zero value", model.Money{}.Given(), model.Money{}.IsZero()},
		{"MustMoney 0", model.MustMoney("0").Given(), model.MustMoney("0").IsZero()},
		{"NewMoney", model.NewMoney(decimal.Zero).Given(), true},
		{"NewQuantity", model.NewQuantity(decimal.Zero).Given(), true},
		{"Decode 0", read(`{"type":1,"sum":0}`, model.DecodeOptions{}).Sum.Given(), true},
		{"Decode 0.00", read(`{"type":1,"sum":0.00}`, model.DecodeOptions{}).Sum.Given(), true},
		{"encoding/json null", null.Given(), null.IsZero()},
		{"numeric string", read(`{"type":1,"sum":"0"}`, model.Lenient).Sum.Given(), true},
		{"encoding/json", fromStd.Given(), fromStd.IsZero()},
		{"UnmarshalText", text.Given(), text.IsZero()},
	}
	want := map[string]bool{"zero value": false, "encoding/json null": false}
	for _, tc := range tests {
		w, ok := want[tc.name]
		if !ok {
			w = true
		}
		if tc.given != w || !tc.zero {
			t.Errorf("%s: Given %v IsZero %v; want Given %v, zero", tc.name, tc.given, tc.zero, w)
		}
	}
	// Given is not part of the value: equal amounts are equal, and both write 0.
	if !model.MustMoney("0").Equal(model.Money{}) {
		t.Error("an explicit 0 does not equal the zero value")
	}
	for _, m := range []model.Money{{}, model.MustMoney("0")} {
		if b, _ := json.Marshal(m); string(b) != "0" {
			t.Errorf("Marshal = %s, want 0", b)
		}
	}
}
