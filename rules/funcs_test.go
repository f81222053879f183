package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestFunctions(t *testing.T) {
	env := map[string]any{
		"doc": map[string]any{
			"price":   "1 259,50",
			"kop":     json.Number("28322"),
			"html":    "Ship Your Idea &ndash; M",
			"date":    "2021-11-20T09:14:16Z",
			"local":   "25.08.2021 13:48",
			"payment": `{"amount": 11.10, "products": ["a=1"]}`,
			"items": []any{
				map[string]any{"id": json.Number("1"), "prices": []any{"p1", "p2"}},
				map[string]any{"id": json.Number("2"), "prices": "p3"},
			},
			"one":  map[string]any{"x": "1"},
			"flag": "Y",
		},
	}
	for _, tc := range []struct {
		src, want, err string
	}{
		{src: `dec(doc.price)`, want: "1259.50"},
		{src: `dec("279.0000")`, want: "279.0000"},
		{src: `dec("abc")`, err: `dec: "xxx" (masked: letters as x, digits as #) is not a number`},
		{src: `dec(true)`, err: "cannot read a number from a boolean"},
		{src: `kopecks(doc.kop)`, want: "283.22"},
		{src: `round(dec("2.675"), 2)`, want: "2.68"},
		{src: `round(dec("-2.675"), 2)`, want: "-2.68"},
		{src: `abs(dec("-3.10"))`, want: "3.10"},
		{src: `abs(-3)`, want: "3"},
		{src: `dmin(dec(2), dec("1.5"))`, want: "1.5"},
		{src: `dmax(dec(2), dec("1.5"))`, want: "2"},
		{src: `str(dec("279.00"))`, want: "279.00"},
		{src: `str(doc.kop) + "!"`, want: "28322!"},
		{src: `str(doc.nothing)`, err: "str: the value is missing"},
		{src: `trim("  a b ")`, want: "a b"},
		{src: `unescape(doc.html)`, want: "Ship Your Idea – M"},
		{src: `truncate("Привет, мир", 6)`, want: "Привет"},
		{src: `ts(doc.date)`, want: "20.11.2021 12:14:16"},
		{src: `ts(doc.local, "02.01.2006 15:04")`, want: "25.08.2021 13:48:00"},
		{src: `ts("yesterday")`, err: "neither ISO 8601 nor"},
		{src: `int("42")`, want: "42"},
		{src: `int("4.5")`, err: "int: 4.5 is not a whole number"},
		{src: `bool(doc.flag)`, want: "true"},
		{src: `bool("maybe")`, err: "cannot read true or false"},
		{src: `kind(doc.kop) + kind(doc.items) + kind(doc.one) + kind(nil)`,
			want: "numberlistobjectnull"},
		{src: `len(list(doc.one)) + len(list(nil)) + len(list(doc.items))`, want: "3"},
		{src: `map(unnest(doc.items, "prices"), str(.id) + str(.prices))`,
			want: `["1p1","1p2","2p3"]`},
		{src: `dec(parsejson(doc.payment).amount)`, want: "11.10"},
		{src: `parsejson("{")`, err: "parsejson"},
		{src: `phone("8 (900) 123-45-67")`, want: "+79001234567"},
		{src: `phone("+44 20 7946 0958")`, want: "+442079460958"},
		{src: `phone("9001234567")`, want: "+79001234567"},
		{src: `phone("call me")`, err: "not a phone number"},
		{src: `gs1m("0104601234567893215aBcDe&#x1D;93XyZw")`,
			want: "MDEwNDYwMTIzNDU2Nzg5MzIxNWFCY0RlHTkzWHladw=="},
		{src: `gs1m("MDEwNDYwMTIzNDU2Nzg5MzIxNWFCY0RlHTkzWHladw==")`,
			want: "MDEwNDYwMTIzNDU2Nzg5MzIxNWFCY0RlHTkzWHladw=="},
		{src: `gs1m("TURFd05EWXdNVEl6TkRVMk56ZzVNekl4TldGQ1kwUmxIVGt6V0hsYWR3PT0=")`,
			err: "Base64-encoded twice"},
		{src: `gs1m("hello")`, err: "neither a GS1 code nor its Base64"},
		{src: `vattype("VAT_20") + vattype("20.00") + vattype("НДС 10%") + vattype("NO_VAT")`,
			want: "vat20vat20vat10none"},
		{src: `vattype("VAT_20_120") + vattype("22/122") + vattype("VAT_05") + vattype(0)`,
			want: "vat120vat122vat5vat0"},
		{src: `vattype("13%")`, err: "cannot read a VAT rate"},
		{src: `measure("кг") + measure("час") + measure(0) + measure("41")`, want: "123"},
		{src: `measure("796")`, err: "not a unit of measure"},
		{src: `okei(796) + okei("006") + okei(166)`, want: "33"},
		{src: `vat(dec("122.00"), "vat22")`, want: "22.00"},
		{src: `vat(dec("100.00"), "vat10")`, want: "9.09"},
		{src: `vat(dec("100.00"), "vat99")`, err: "not a VAT type"},
		{src: `spread(dec("290.02"), [dec("998.00"), dec("1299.00"), dec("299.70")])`,
			want: `["111.47","145.08","33.47"]`},
		{src: `spread(dec("10"), [dec("1")])`, err: "exceeds"},
		{src: `map(splitline(dec("266.23"), 3), str(.quantity) + "x" + str(.price))`,
			want: `["2x88.74","1x88.75"]`},
		{src: `keys({"b": 1, "a": 2, "c": 3})`, want: `["a","b","c"]`},
		{src: `values({"b": 1, "a": 2, "c": 3})`, want: `[2,1,3]`},
		{src: `keys("x")`, err: "keys: want an object"},
		// The builtins replaced to charge the document's budget work as
		// expr's do.
		{src: `repeat("ab", 3)`, want: "ababab"},
		{src: `repeat("ab", -1)`, err: "repeat: the count -1 is negative"},
		{src: `::repeat("ab", 2)`, want: "abab"},
		{src: `replace("a-b-c", "-", "+")`, want: "a+b+c"},
		{src: `replace("a-b-c", "-", "+", 1)`, want: "a+b-c"},
		{src: `replace("ab", "", "-")`, want: "-a-b-"},
		{src: `upper("ɐb") + lower("ÄB")`, want: "ⱯBäb"},
		{src: `upper(doc.kop)`, err: "upper: want text, got the number 28322"},
		{src: `upper(1)`, err: "cannot use int as argument (type string) to call upper"},
		{src: `split("a,b,c", ",")`, want: `["a","b","c"]`},
		{src: `split("a,b,c", ",", 2)`, want: `["a","b,c"]`},
		{src: `split("аб", "")`, want: `["а","б"]`},
		{src: `splitAfter("a,b", ",")`, want: `["a,","b"]`},
		{src: `join(["a", "b"], "-") + join(split("c d", " "))`, want: "a-bcd"},
		{src: `join([1])`, err: "join: element 0 is a int, not text"},
		{src: `toBase64("hi") + fromBase64("aGk=")`, want: "aGk=hi"},
		{src: `fromBase64("*")`, err: "fromBase64: illegal base64"},
		{src: `string([1, "a"])`, want: "[1 a]"},
		{src: `toJSON({"a": [1]})`, want: "{\n  \"a\": [\n    1\n  ]\n}"},
		{src: `"a" + "b" + str(1) + doc.flag`, want: "ab1Y"},
		{src: `"a" + doc.kop`, err: "invalid operation: string + json.Number"},
		{src: `concat([1], [2]) == [1, 2] && flatten([[1], [2, [3]]]) == [1, 2, 3]`,
			want: "true"},
		{src: `uniq([1, 1, 2]) == [1, 2] && sort([3, 1, 2]) == [1, 2, 3]`, want: "true"},
		{src: `reverse([1, 2]) == [2, 1] && take([1, 2, 3], 2) == [1, 2]`, want: "true"},
		{src: `let xs = ["a"]; "b" in ["a", "b"] && "a" in xs && !("y" in doc.one)`,
			want: "true"},
		{src: `"abc" contains "b" && "abc" matches "^a" && indexOf("abc", "c") == 2`,
			want: "true"},
		{src: `sum(map([dec("1.10"), dec("2.20")], # * 2))`, want: "6.60"},
		{src: `let xs = map([1, 2], dec(#)); str(dsum(filter(xs, # > 1)))`, want: "2"},
		{src: `::keys({"b": 1, "a": 2})`, want: `["a","b"]`},
		{src: `dec("1e-60") * dec("1e-60") * dec("1e-60")`,
			want: "0." + strings.Repeat("0", 179) + "1"},
		{src: `let a = dec("` + strings.Repeat("9", 40) + `"); a * a * a * a * a * a`,
			err: "*: the result has 240 digits; at most 200"},
		{src: `dec(` + "`" + strings.Repeat(" ", 300) + "1`" + `)`, err: "too long for a number"},
		// findIndex and findLastIndex give -1 when nothing matches, so
		// that comparing what they give never fails when the pack runs
		{src: `findIndex([1, 2], # < 0)`, want: "-1"},
		{src: `findIndex([1, 2], # < 0) > 0`, want: "false"},
		{src: `findLastIndex([1, 2], # < 0) + 1`, want: "0"},
		{src: `findIndex([1, 2, 2], # == 2)`, want: "1"},
		{src: `findLastIndex([1, 2, 2], # == 2)`, want: "2"},
		{src: `findIndex([], true) ?? 5`, want: "-1"},
		// lists and maps compare as in expr, charged (see deep.go)
		{src: `[1, [2, "x"]] == [1, [2, "x"]] && [1] != [2] && !([1] == [1, 1])`, want: "true"},
		{src: `{"a": [1]} == {"a": [1]} && {"a": 1} != {"b": 1}`, want: "true"},
		{src: `[1] in [[2], [1]] && !([3] in [[1]]) && "a" in ["a"]`, want: "true"},
		{src: `uniq([[1], [1], [2], "a", "a"])`, want: `[[1],[2],"a"]`},
		{src: `uniq(split("a,b,a", ","))`, want: `["a","b"]`},
		{src: `now()`, err: "unknown name now"},
		{src: `date("2021-01-01")`, err: "date"},
	} {
		t.Run(tc.src, func(t *testing.T) {
			got, err := evalExpr(t, tc.src, env)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, %v; want an error containing %q", got, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := show(got); s != tc.want {
				t.Errorf("got %s, want %s", s, tc.want)
			}
		})
	}
}

// now() exists only with an injected clock, and returns the clock's time
// in the documented form.
func TestClock(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 1, 5, 7, 15, 0, 0, time.UTC) }
	e, err := compileExpr("now()", nil, clock)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Eval(&Machine{budget: 1000}, Env{})
	if err != nil || got != "05.01.2026 10:15:00" {
		t.Errorf("now() = %v, %v", got, err)
	}
}

// A phone number is a buyer's contact, which messages never show: phone()
// says what is wrong with the text (its length, how many characters are
// not allowed and of what kind the first is) without the text.
func TestPhoneMessages(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"+7 916 123 45 67 ext 5", "of its 22 characters, 3 are not a digit, space, bracket, " +
			"dash, dot or +; the first, character 18, is a letter"},
		{"ivan.petrov@mail.example", "the first, character 1, is a letter"},
		{"8 (916) 123-45-67 / 8 (916) 765-43-21", "the first, character 19, is a " +
			"punctuation mark or symbol"},
		{"+7 916 123 45 67 89 01 23 45 67", "it has 21 digits, and a phone number at most 18"},
		{strings.Repeat("9", 65), "the text is 65 bytes long"},
		{"+7\t916", "character 3, is a control character"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := evalExpr(t, `phone(p)`, map[string]any{"p": tc.in})
			if err == nil || !strings.Contains(err.Error(), "phone: not a phone number") ||
				!strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			msg := err.(*Error).Msg
			for _, part := range strings.FieldsFunc(tc.in, func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r)
			}) {
				if len(part) >= 3 && strings.Contains(msg, part) {
					t.Errorf("the message shows %q of the phone: %s", part, msg)
				}
			}
		})
	}
}

// Text a function cannot read may be a buyer's contact passed by mistake:
// its error shows letters and the digits beside them masked, and a phone
// number masked, while a bad number or date is shown as it is.
func TestUnreadTextMasked(t *testing.T) {
	env := map[string]any{"email": "buyer@secret.ru", "phone": "+7 (900) 123-45-67"}
	for _, tc := range []struct{ src, want, hidden string }{
		{`dec("SECRET" + email)`, `dec: "xxxxxxxxxxx@xxxxxx.xx" (masked`, "SECRET"},
		{`dec(phone)`, `dec: "+# (###) ###-##-##" (masked`, "900"},
		{`dec("12,5,0")`, `dec: "12,5,0" is not a number`, ""},
		{`ts(email)`, `ts: "xxxxx@xxxxxx.xx" (masked`, "buyer"},
		{`ts("31.02.2024 10:00:00")`, `ts: "31.02.2024 10:00:00" is neither`, ""},
		{`ts("Иван 1", "2006")`, `ts: "xxxx #" (masked`, "Иван"},
		{`vattype(email)`, `vattype: cannot read a VAT rate from "xxxxx@`, "buyer"},
		{`measure(email)`, `measure: "xxxxx@xxxxxx.xx" (masked`, "buyer"},
		{`okei(email)`, `okei: "xxxxx@xxxxxx.xx" (masked`, "buyer"},
		{`gs1m(email)`, `gs1m: "xxxxx@xxxxxx.xx" (masked`, "buyer"},
		{`bool(email)`, `bool: cannot read true or false from the text "xxxxx@`, "buyer"},
		{`int("89161234567")`, `int: "###########" (masked`, "9161234567"},
		// expr's own builtins quote their input as it is; the message is
		// masked after them.
		{`fromPairs([email])`, `invalid pair xxxxx@xxxxxx.xx`, "buyer"},
		{`fromPairs([[email, phone, 1]])`, `+# (###) ###-##-##`, "900"},
		{`float(email)`, `xxxxx@xxxxxx.xx`, "secret"},
	} {
		t.Run(tc.src, func(t *testing.T) {
			_, err := evalExpr(t, tc.src, env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error containing %q, got %v", tc.want, err)
			}
			// the snippet under the message is the pack's text, not data
			msg, _, _ := strings.Cut(err.Error(), "\n")
			if tc.hidden != "" && strings.Contains(msg, tc.hidden) {
				t.Errorf("the error shows %q: %v", tc.hidden, err)
			}
		})
	}
}
