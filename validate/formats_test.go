package validate

import (
	"encoding/base64"
	"testing"
)

func TestINN(t *testing.T) {
	// Test vectors of the reference (§8.8) and case bug13.
	for _, s := range []string{"5544332219", "5010051677", "8634330204", "7709364346",
		"9715260691", "516974792202", "887405485310", "287381373424", "7701493822",
		"771234567859"} {
		if p := innProblem(s, false, false); p != "" {
			t.Errorf("%s: %s, want valid", s, p)
		}
	}
	for s, want := range map[string]string{
		"1234567891":   "inn_checksum",
		"7701493823":   "inn_checksum",
		"770149382":    "inn_format",
		"77014938220":  "inn_format",
		"77O1493822":   "inn_format",
		"0000000000":   "inn_zero",
		"000000000000": "inn_zero",
		"007701493822": "inn_format", // passes the 12-digit check digits
		"":             "inn_format",
	} {
		if p := innProblem(s, false, false); p != want {
			t.Errorf("%q: %q, want %q", s, p, want)
		}
	}
	if p := innProblem("000000000000", false, true); p != "" {
		t.Errorf("supplier twelve zeros: %q", p)
	}
	if p := innProblem("0000000000", false, true); p != "inn_zero" {
		t.Errorf("supplier ten zeros: %q", p)
	}
	if p := innProblem("7709364346", true, false); p != "inn_format" {
		t.Errorf("cashier_inn of 10 digits: %q", p)
	}
}

func TestGTIN(t *testing.T) {
	for _, s := range []string{"4006381333931", "04601234567893", "96385074", "4601234567893"} {
		if !gtinOK(s) {
			t.Errorf("%s: want valid", s)
		}
	}
	for _, s := range []string{"4006381333932", "04601234567894", "96385075", "12345", "abc45678"} {
		if gtinOK(s) {
			t.Errorf("%s: want invalid", s)
		}
	}
}

func TestPhones(t *testing.T) {
	for s, ok := range map[string]bool{"+79001234567": true, "none": true, "+1": true,
		"79001234567": false, "+7 900": false, "+": false, "+1234567890123456789": false,
		"+123456789012345678": true} {
		if clientPhoneOK(s) != ok {
			t.Errorf("client %q: want %v", s, ok)
		}
	}
	for s, ok := range map[string]bool{"+79001234567": true, "84951234567": true,
		"12345678901234567": true, "123456789012345678": false, "": false, "8 495": false} {
		if agentPhoneOK(s) != ok {
			t.Errorf("agent %q: want %v", s, ok)
		}
	}
	for in, want := range map[string]string{"+7 (900) 123-45-67": "+79001234567",
		"8 900 123 45 67": "+79001234567", "9001234567": "+79001234567",
		"+7 900 12": "", "+44 20 7946 0958": "+442079460958", "tel:123": ""} {
		if got := phoneSuggestion(in); got != want {
			t.Errorf("suggestion for %q: %q, want %q", in, got, want)
		}
	}
}

func TestSmallFormats(t *testing.T) {
	for s, ok := range map[string]bool{"a@b": true, "none": true, "a@b@c": false, "@b": false,
		"a@": false, "a b@c": false, "a@b.ru, c@d.ru": false, "Имя@пример.рф": true} {
		if emailOK(s) != ok {
			t.Errorf("email %q: want %v", s, ok)
		}
	}
	for s, ok := range map[string]bool{"643": true, "56 ": true, "5  ": true, " 56": false,
		"RUS": false, "6430": false} {
		if oksmOK(s) != ok {
			t.Errorf("oksm %q: want %v", s, ok)
		}
	}
	for s, ok := range map[string]bool{"001": true, "030": true, "073": true, "000": false,
		"074": false, "30": false, "130": false} {
		if federalIDOK(s) != ok {
			t.Errorf("federal_id %q: want %v", s, ok)
		}
	}
	for s, ok := range map[string]bool{"AB-123456-ABCDEFGHIJ": true, "AB-12345X-ABCDEFGHIJ": false,
		"AB123456-ABCDEFGHIJK": false, "ЖЖ-123456-ЖЖЖЖЖЖЖЖЖЖ": true} {
		if furOK(s) != ok {
			t.Errorf("fur %q: want %v", s, ok)
		}
	}
	if !callbackRe.MatchString("https://shop.example.test/fiscal/cb?x=1") ||
		callbackRe.MatchString("ftp://shop") {
		t.Error("callback_url mask")
	}
}

func TestGS1Diagnosis(t *testing.T) {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	codes := func(v string) []string {
		var out []string
		for _, p := range gs1mProblems(v) {
			out = append(out, p.code)
		}
		return out
	}
	const tail = "91EE11" + "\x1d" + "92" + "dGVzdGNyeXB0b3RhaWxmb3JzaG9lc2FuZGNsb3RoZXM0NA=="
	for name, c := range map[string]struct {
		v    string
		want []string
	}{
		"water":            {enc("0104601234567893215Kq(Lx\x1d93ab12"), nil},
		"shoes":            {enc("010460123456789321ABCDEFGHIJKLM\x1d" + tail), nil},
		"no tail":          {enc("010460123456789321ABCDEFGHIJKLM"), nil},
		"expiry before 21": {enc("0104601234567893172612312112345\x1d93ab12"), nil},
		"tobacco":          {enc("0104601234567893211234567800512345\x1d93ab12"), nil},
		"tobacco without GS": {enc("011234567890123121123456780051234593ab12"),
			[]string{"gs1m_gs_missing"}},
		"shoes without GS": {enc("010460123456789321ABCDEFGHIJKLM91EE1192abc"),
			[]string{"gs1m_gs_missing"}},
		"91 glued to 92": {enc("010460123456789321ABCDEFGHIJKLM\x1d91EE1192abcdef"),
			[]string{"gs1m_gs_missing"}},
		"bracketed":  {enc("(01)04601234567893(21)5Kq(Lx"), []string{"gs1m_structure"}},
		"no serial":  {enc("0104601234567893\x1d93ab12"), []string{"gs1m_structure"}},
		"x1d text":   {enc(`0104601234567893215Kq(Lx\x1d93ab12`), []string{"gs1m_gs_escaped"}},
		"u001d text": {enc(`0104601234567893215Kq(Lx\u001D93ab12`), []string{"gs1m_gs_escaped"}},
		"&#29;":      {enc("0104601234567893215Kq(Lx&#29;93ab12"), []string{"gs1m_gs_escaped"}},
		"space for GS": {enc("0104601234567893215Kq(Lx 93ab12"),
			[]string{"gs1m_charset", "gs1m_gs_missing"}},
		"bad gtin":   {enc("0104601234567894215Kq(Lx\x1d93ab12"), []string{"gtin_checksum"}},
		"not base64": {"%%%", []string{"gs1m_not_base64"}},
		"text":       {enc("hello world"), []string{"gs1m_charset", "gs1m_structure"}},
		"too long": {enc("0104601234567893215Kq(Lx\x1d" + tail + tail + tail),
			[]string{"mark_code_length"}},
	} {
		got := codes(c.v)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
	}
}
