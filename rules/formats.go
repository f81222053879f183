package rules

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/evoreceipt/evoreceipt/model"
)

// The functions of this file read the values shops and marketplaces write
// in their own ways (phones, marking codes, VAT rates, units) into the
// format's.

// maxPhoneText bounds the text phone reads: a number written with every
// separator the format allows is far shorter.
const maxPhoneText = 64

// normalizePhone writes a phone number as the format wants it: + and
// digits. Russian numbers written as 8XXXXXXXXXX or with ten digits get +7.
// A phone number is a buyer's contact, which messages never show: what is
// wrong with the text is described instead.
func normalizePhone(v any) (string, error) {
	s, err := toString("phone", v)
	if err != nil {
		return "", err
	}
	if len(s) > maxPhoneText {
		return "", fmt.Errorf("phone: not a phone number: the text is %d bytes long, and "+
			"a phone number is at most %d", len(s), maxPhoneText)
	}
	var digits strings.Builder
	bad, first, firstAt, n := 0, rune(0), 0, 0
	for _, r := range s {
		n++
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' || r == ' ' || r == '(' || r == ')' || r == '-' || r == '.' ||
			r == '\u00a0':
		default:
			if bad == 0 {
				first, firstAt = r, n
			}
			bad++
		}
	}
	if bad > 0 {
		return "", fmt.Errorf("phone: not a phone number: of its %d characters, %d %s not "+
			"a digit, space, bracket, dash, dot or +; the first, character %d, is %s", n, bad,
			plural(bad, "is", "are"), firstAt, charClass(first))
	}
	d := digits.String()
	plus := strings.HasPrefix(strings.TrimSpace(s), "+")
	switch {
	case d == "":
		return "", nil
	case !plus && len(d) == 11 && d[0] == '8':
		d = "7" + d[1:]
	case !plus && len(d) == 10:
		d = "7" + d
	}
	if len(d) > 18 {
		return "", fmt.Errorf("phone: not a phone number: it has %d digits, and a phone "+
			"number at most 18", len(d))
	}
	return "+" + d, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// charClass names the kind of a character, for messages that must not show
// it.
func charClass(r rune) string {
	switch {
	case r == '@':
		return "@"
	case unicode.IsLetter(r):
		return "a letter"
	case unicode.IsControl(r):
		return "a control character"
	case unicode.IsSpace(r):
		return "a space other than the ordinary one"
	case unicode.IsPunct(r) || unicode.IsSymbol(r):
		return "a punctuation mark or symbol"
	}
	return "another character"
}

// gs1m returns a GS1 DataMatrix marking code Base64-encoded, as the format
// wants it, from the raw code (with its GS separators, also written as
// &#x1D; or \u001d text) or from Base64 already. Base64 of Base64 is
// refused: it is a common double-encoding mistake.
func gs1m(bud *budget, v any) (string, error) {
	s, err := toString("gs1m", v)
	if err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	// The raw code, its Base64 and the decoded forms are each at most a
	// third longer than the text.
	if err := bud.spendText("gs1m", 4*int64(len(s))); err != nil {
		return "", err
	}
	raw := strings.NewReplacer("&#x1D;", "\x1d", "&#x1d;", "\x1d", "&#29;", "\x1d",
		`\u001d`, "\x1d", `\x1d`, "\x1d").Replace(s)
	if looksGS1(raw) {
		return base64.StdEncoding.EncodeToString([]byte(raw)), nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err == nil && looksGS1(string(b)) {
		return s, nil
	}
	if err == nil {
		if b2, err := base64.StdEncoding.DecodeString(string(b)); err == nil &&
			looksGS1(string(b2)) {
			return "", errors.New("gs1m: the code is Base64-encoded twice")
		}
	}
	return "", fmt.Errorf("gs1m: %s is neither a GS1 code nor its Base64", shown(s))
}

// looksGS1 reports whether s starts as a GS1 marking code does: AI 01 and a
// 14-digit GTIN, in printable ASCII and GS.
func looksGS1(s string) bool {
	if len(s) < 18 || !strings.HasPrefix(s, "01") {
		return false
	}
	for i := 2; i < 16; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != 0x1d && (c < 0x20 || c > 0x7e) {
			return false
		}
	}
	return true
}

// vatType reads a VAT rate as shops and marketplaces write it ("20",
// "20.00", "20%", "VAT_20", "vat20", "НДС 20%", "NO_VAT", "без НДС",
// "20/120") and returns the format's VAT type.
func vatType(v any) (string, error) {
	s, err := toString("vattype", v)
	if err != nil {
		return "", err
	}
	if len(s) > maxNameText {
		return "", fmt.Errorf("vattype: the text is %d bytes long, too long for a VAT rate",
			len(s))
	}
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.NewReplacer("ндс", "", "vat", "", "%", "", " ", "", "_", "", "-", "").Replace(t)
	switch t {
	case "none", "no", "novat", "без", "null", "":
		return "none", nil
	}
	if a, b, ok := strings.Cut(t, "/"); ok {
		if d, err := parseDec(b); err == nil && d.IsInteger() {
			t = a + strconv.FormatInt(d.IntPart(), 10)
		}
	}
	// Yandex writes calculated rates as VAT_20_120; after the
	// replacements above that is 20120.
	switch t {
	case "10110":
		t = "110"
	case "20120":
		t = "120"
	case "22122":
		t = "122"
	case "5105":
		t = "105"
	case "7107":
		t = "107"
	case "05":
		t = "5"
	case "07":
		t = "7"
	}
	if d, err := parseDec(t); err == nil && d.IsInteger() {
		vt := model.VatType("vat" + strconv.FormatInt(d.IntPart(), 10))
		if vt.Known() {
			return string(vt), nil
		}
	}
	return "", fmt.Errorf("vattype: cannot read a VAT rate from %s", shown(s))
}

// maxNameText bounds the text of a VAT rate or a unit, which these
// functions copy to read: far longer text is none, and copying it in a loop
// would be the slow part.
const maxNameText = 64

// measures maps unit names to the format's measure codes.
var measures = map[string]int{
	"шт": 0, "шт.": 0, "штука": 0, "pcs": 0, "pc": 0, "piece": 0, "unit": 0,
	"г": 10, "гр": 10, "g": 10,
	"кг": 11, "kg": 11,
	"т": 12, "t": 12,
	"см": 20, "cm": 20,
	"дм": 21, "dm": 21,
	"м": 22, "m": 22,
	"см2": 30, "cm2": 30,
	"дм2": 31, "dm2": 31,
	"м2": 32, "m2": 32,
	"мл": 40, "ml": 40,
	"л": 41, "l": 41,
	"м3": 42, "m3": 42,
	"квт·ч": 50, "квтч": 50, "kwh": 50,
	"гкал": 51, "gcal": 51,
	"сут": 70, "день": 70, "day": 70,
	"ч": 71, "час": 71, "hour": 71, "h": 71,
	"мин": 72, "min": 72,
	"с": 73, "сек": 73, "s": 73,
}

// okeiMeasures maps OKEI unit codes (ОКЕИ, as 1C and Bitrix24 send them)
// to the format's measure codes.
var okeiMeasures = map[int]int{
	796: 0, 163: 10, 166: 11, 168: 12, 4: 20, 5: 21, 6: 22, 51: 30, 53: 31, 55: 32,
	111: 40, 112: 41, 113: 42, 245: 50, 233: 51, 359: 70, 356: 71, 355: 72, 354: 73,
}

// measureCode reads a unit of measure: a name (шт, kg, л) or the format's
// own code (0, 11, 41).
func measureCode(v any) (int, error) {
	s, err := toString("measure", v)
	if err != nil {
		return 0, err
	}
	if len(s) > maxNameText {
		return 0, fmt.Errorf("measure: the text is %d bytes long, too long for a unit of "+
			"measure", len(s))
	}
	key := strings.ToLower(strings.TrimSpace(s))
	if m, ok := measures[key]; ok {
		return m, nil
	}
	if n, err := strconv.Atoi(key); err == nil && model.Measure(n).Valid() {
		return n, nil
	}
	return 0, fmt.Errorf("measure: %s is not a unit of measure", shown(s))
}

// okeiCode reads an OKEI unit code (796, "006") as the format's measure.
func okeiCode(v any) (int, error) {
	s, err := toString("okei", v)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if m, ok := okeiMeasures[n]; ok && err == nil {
		return m, nil
	}
	return 0, fmt.Errorf("okei: %s is not an OKEI unit the format has", shown(s))
}
