package validate

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/go-playground/validator/v10"
	"github.com/shopspring/decimal"
)

// The struct rules are go-playground/validator tags. The model's types carry
// no validate tags (the model has no business rules), so the tags are
// attached here, per type, with RegisterStructValidationMapRules. Every
// slice is walked with dive, so each element of every array is checked, not
// only the first one as in the official schema.
//
// Tags (params after =):
//
//	req          non-empty string (spaces only count as empty), set date
//	maxchars=N   at most N characters (runes, not bytes)
//	enum=K       one of the values of enumeration K (see enums)
//	irange=A:B   integer in [A, B]; B may be left out
//	price        number_price: 0 … 42 949 672.95, two decimals
//	money2       number_two_format: 0 … 100 000 000, two decimals
//	qty          0.001 … 99 999.999, three decimals
//	iso          date or timestamp read from the documented form, years 1900–2099
//	email54      e-mail mask {С}@{С} or none
//	cphone       client phone: + and 1–18 digits, or none
//	aphone       agent/supplier phone: + and 1–18 digits, or 1–17 digits
//	inn, inn12   INN of 10 or 12 digits / 12 digits, with check digits
//	innsup       supplier INN: as inn, twelve zeros allowed
//	oksm         ОКСМ country code, 3 characters
//	fedid        federal body id 001–073
//	cburl        the service's callback_url mask
//	mcone        exactly one kind of code in mark_code
//	mclen=N      code of at most N characters; mcexact=N exactly N
//	ean=N        N digits with a valid GS1 check digit
//	fur, gs1m    the fur mask; Base64 of a GS1 DataMatrix code
var typeRules = []struct {
	typ   any
	rules map[string]string
}{
	{model.Request{}, map[string]string{
		"Timestamp": "req,iso", "ExternalID": "req,maxchars=128"}},
	{model.Service{}, map[string]string{"CallbackURL": "omitempty,maxchars=256,cburl"}},
	{model.Receipt{}, map[string]string{
		"Items": "dive", "Payments": "dive", "Vats": "omitnil,dive",
		"Total": "money2", "Cashier": "omitempty,maxchars=64",
		"CashierINN": "omitempty,inn12", "AdditionalCheckProps": "omitempty,maxchars=16",
		"SectoralCheckProps": "omitnil,dive", "DeviceNumber": "omitempty,maxchars=20",
		"Timezone": "omitnil,irange=1:11", "CashlessPayments": "omitnil,dive",
		"Internet": "-"}},
	{model.CorrectionInfo{}, map[string]string{
		"Type": "req,enum=corr", "BaseDate": "req,iso", "BaseNumber": "omitempty,maxchars=32"}},
	{model.Client{}, map[string]string{
		"Email": "omitempty,maxchars=64,email54", "Phone": "omitempty,cphone",
		"Name": "omitempty,maxchars=256", "INN": "omitempty,inn", "Birthdate": "omitnil,iso",
		"Citizenship": "omitempty,oksm", "DocumentCode": "omitempty,enum=doc",
		"DocumentData": "omitempty,maxchars=64", "Address": "omitempty,maxchars=256"}},
	{model.Company{}, map[string]string{
		"Email": "req,maxchars=64,email54", "SNO": "req,enum=sno", "INN": "req,inn",
		"PaymentAddress": "req,maxchars=256", "Location": "omitempty,maxchars=256"}},
	{model.Item{}, map[string]string{
		"Name": "req,maxchars=128", "Price": "price", "Quantity": "qty",
		"Measure": "enum=measure", "Sum": "price", "PaymentMethod": "req,enum=pm",
		"PaymentObject": "enum=po", "UserData": "omitempty,maxchars=64",
		"Excise": "omitnil,money2", "CountryCode": "omitempty,oksm",
		"DeclarationNumber": "omitempty,maxchars=32", "MarkProcessingMode": "omitempty,enum=mpm",
		"SectoralItemProps": "omitnil,dive", "MarkCode": "omitnil,mcone",
		"PlannedStatus": "omitnil,irange=1:6", "Wholesale": "-"}},
	{model.ItemVat{}, map[string]string{"Type": "req,enum=vat", "Sum": "omitnil,money2"}},
	{model.Vat{}, map[string]string{"Type": "req,enum=vat", "Sum": "money2"}},
	{model.Payment{}, map[string]string{"Type": "enum=paytype", "Sum": "money2"}},
	{model.MarkQuantity{}, map[string]string{"Numerator": "irange=1:", "Denominator": "irange=1:"}},
	{model.MarkCode{}, map[string]string{
		"Unknown": "omitempty,mclen=32", "EAN8": "omitempty,ean=8", "EAN13": "omitempty,ean=13",
		"ITF14": "omitempty,ean=14", "GS10": "omitempty,mclen=38", "GS1M": "omitempty,gs1m",
		"Short": "omitempty,mclen=38", "Fur": "omitempty,fur", "EGAIS20": "omitempty,mcexact=23",
		"EGAIS30": "omitempty,mcexact=14"}},
	{model.SectoralProps{}, map[string]string{
		"FederalID": "req,fedid", "Date": "req,iso", "Number": "req,maxchars=32",
		"Value": "req,maxchars=256"}},
	{model.AgentInfo{}, map[string]string{"Type": "req,enum=agent"}},
	{model.PayingAgent{}, map[string]string{
		"Operation": "omitempty,maxchars=24", "Phones": "omitnil,dive,aphone"}},
	{model.ReceivePaymentsOperator{}, map[string]string{"Phones": "omitnil,dive,aphone"}},
	{model.MoneyTransferOperator{}, map[string]string{
		"Phones": "omitnil,dive,aphone", "Name": "omitempty,maxchars=64",
		"Address": "omitempty,maxchars=256", "INN": "omitempty,inn"}},
	{model.SupplierInfo{}, map[string]string{
		"Phones": "omitnil,dive,aphone", "Name": "omitempty,maxchars=256", "INN": "req,innsup"}},
	{model.AdditionalUserProps{}, map[string]string{
		"Name": "req,maxchars=64", "Value": "req,maxchars=256"}},
	{model.OperatingCheckProps{}, map[string]string{
		"Name": "req,enum=ocp", "Value": "req,maxchars=64", "Timestamp": "req,iso"}},
	{model.CashlessPayment{}, map[string]string{
		"Sum": "money2", "ID": "req,maxchars=256", "AdditionalInfo": "omitempty,maxchars=256"}},
}

// structValidator is built once: validator.Validate is safe for concurrent
// use once its registrations are done, and building it costs far more than
// a validation. It is this package's own instance; nothing global of the
// validator package is changed.
var structValidator = newStructValidator()

func newStructValidator() *validator.Validate {
	v := validator.New(validator.WithTagNameFuncBlankOmit())
	// JSON names make paths read receipt.items[2].name; the embedded
	// Receipt of a Correction has no JSON name and so adds no segment,
	// exactly as encoding/json flattens it.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	for tag, fn := range tagFuncs {
		if err := v.RegisterValidation(tag, fn); err != nil {
			panic("validate: registering tag " + tag + ": " + err.Error())
		}
	}
	for _, r := range typeRules {
		v.RegisterStructValidationMapRules(r.rules, r.typ)
	}
	return v
}

var tagFuncs = map[string]validator.Func{
	"req":      func(fl validator.FieldLevel) bool { return present(fl.Field()) },
	"maxchars": strN(func(s string, n int) bool { return runeLen(s) <= n }),
	"enum":     func(fl validator.FieldLevel) bool { return enumOK(fl.Param(), fl.Field()) },
	"irange": func(fl validator.FieldLevel) bool {
		lo, hi, hasHi := intRange(fl.Param())
		n := fl.Field().Int()
		return n >= lo && (!hasHi || n <= hi)
	},
	"price":   money(&maxPrice),
	"money2":  money(&maxTwo),
	"qty":     func(fl validator.FieldLevel) bool { return qtyProblem(fl.Field()) == "" },
	"iso":     func(fl validator.FieldLevel) bool { return dateOK(addr(fl.Field())) },
	"email54": str(emailOK),
	"cphone":  str(clientPhoneOK),
	"aphone":  str(agentPhoneOK),
	"inn":     str(func(s string) bool { return innProblem(s, false, false) == "" }),
	"inn12":   str(func(s string) bool { return innProblem(s, true, false) == "" }),
	"innsup":  str(func(s string) bool { return innProblem(s, false, true) == "" }),
	"oksm":    str(oksmOK),
	"fedid":   str(federalIDOK),
	"cburl":   str(callbackRe.MatchString),
	"mcone":   func(fl validator.FieldLevel) bool { return markKinds(fl.Field()) == 1 },
	"mclen":   strN(func(s string, n int) bool { return runeLen(s) <= n }),
	"mcexact": strN(func(s string, n int) bool { return runeLen(s) == n }),
	"ean":     strN(func(s string, n int) bool { return len(s) == n && gtinOK(s) }),
	"fur":     str(furOK),
	"gs1m":    str(func(s string) bool { return gs1mProblems(s) == nil }),
}

// money checks an amount against the schema's number definition bounded by
// limit.
func money(limit *bound) validator.Func {
	return func(fl validator.FieldLevel) bool { return moneyProblem(fl.Field(), limit) == "" }
}

// str adapts a check of a string to a tag function.
func str(f func(string) bool) validator.Func {
	return func(fl validator.FieldLevel) bool { return f(fl.Field().String()) }
}

// strN adapts a check of a string against the tag's number (maxchars=128).
func strN(f func(string, int) bool) validator.Func {
	return func(fl validator.FieldLevel) bool { return f(fl.Field().String(), atoi(fl.Param())) }
}

// callbackRe is the schema's callback_url pattern, compiled once.
var callbackRe = regexp.MustCompile(`^http(s?)\:\/\/[0-9a-zA-Zа-яА-Я]([-.\w]*[0-9a-zA-Zа-яА-Я])*` +
	`(:(0-9)*)*(\/?)([a-zA-Z0-9а-яА-Я\-\.\?\,\'\/\\\+&=%\$#_]*)?$`)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func intRange(p string) (lo, hi int64, hasHi bool) {
	a, b, _ := strings.Cut(p, ":")
	lo, _ = strconv.ParseInt(a, 10, 64)
	if b != "" {
		hi, _ = strconv.ParseInt(b, 10, 64)
		hasHi = true
	}
	return lo, hi, hasHi
}

// The value accessors take the field's address where they can, so that no
// copy of the value is boxed on the way.

func moneyOf(f reflect.Value) (model.Money, bool) {
	if f.CanAddr() {
		if p, ok := f.Addr().Interface().(*model.Money); ok {
			return *p, true
		}
	}
	if f.CanInterface() {
		m, ok := f.Interface().(model.Money)
		return m, ok
	}
	return model.Money{}, false
}

func quantityOf(f reflect.Value) (model.Quantity, bool) {
	if f.CanAddr() {
		if p, ok := f.Addr().Interface().(*model.Quantity); ok {
			return *p, true
		}
	}
	if f.CanInterface() {
		q, ok := f.Interface().(model.Quantity)
		return q, ok
	}
	return model.Quantity{}, false
}

func present(f reflect.Value) bool {
	switch f.Kind() {
	case reflect.String:
		return strings.TrimSpace(f.String()) != ""
	case reflect.Struct:
		if f.CanAddr() {
			switch p := f.Addr().Interface().(type) {
			case *model.Timestamp:
				return !p.IsZero()
			case *model.Date:
				return !p.IsZero()
			}
		}
	}
	return !f.IsZero()
}

// Limits of the schema's number definitions.
var (
	maxPrice = newBound("42949672.95", false)
	maxTwo   = newBound("100000000", false)
	minQty   = newBound("0.001", true)
	maxQty   = newBound("99999.999", false)
)

// bound is a limit prepared for the exponents values usually come with
// (0 to 3 decimals), so that comparing a value with it needs no rescaling,
// and so no allocation, in decimal.Cmp.
type bound struct {
	exact decimal.Decimal
	low   bool // a lower bound: values must be ≥; else ≤
	// byScale[n] is the bound for a coefficient with n decimals: the
	// largest (or smallest) such coefficient still within the limit.
	byScale [4]decimal.Decimal
}

func newBound(s string, low bool) bound {
	b := bound{exact: decimal.RequireFromString(s), low: low}
	for n := range b.byScale {
		c := b.exact.Shift(int32(n)).Floor()
		if low {
			c = b.exact.Shift(int32(n)).Ceil()
		}
		b.byScale[n] = decimal.New(c.IntPart(), -int32(n))
	}
	return b
}

// outside reports whether d breaks the bound.
func (b *bound) outside(d decimal.Decimal) bool {
	lim := b.exact
	if n := -d.Exponent(); n >= 0 && int(n) < len(b.byScale) {
		lim = b.byScale[n]
	}
	if b.low {
		return d.Cmp(lim) < 0
	}
	return d.Cmp(lim) > 0
}

// moneyProblem returns money_range or money_scale, or "". Scale is judged on
// the value, as JSON Schema's multipleOf is: 12.300 has two decimals.
func moneyProblem(f reflect.Value, limit *bound) string {
	m, ok := moneyOf(f)
	if !ok {
		return ""
	}
	d := m.Decimal()
	if d.Sign() < 0 || limit.outside(d) {
		return "money_range"
	}
	if m.Scale() > 2 && !d.Equal(d.Round(2)) {
		return "money_scale"
	}
	return ""
}

func qtyProblem(f reflect.Value) string {
	q, ok := quantityOf(f)
	if !ok {
		return ""
	}
	d := q.Decimal()
	if minQty.outside(d) || maxQty.outside(d) {
		return "quantity_range"
	}
	if q.Scale() > 3 && !d.Equal(d.Round(3)) {
		return "quantity_scale"
	}
	return ""
}

// addr returns a pointer to the field when it is addressable, so that a
// type switch sees it without boxing a copy.
func addr(f reflect.Value) any {
	if f.CanAddr() {
		return f.Addr().Interface()
	}
	if f.CanInterface() {
		return f.Interface()
	}
	return nil
}

func dateOK(x any) bool { ok, _, _, _ := dateForm(x); return ok }

// dateForm reports whether a Timestamp or Date (or a pointer to one) came in
// the documented form with a year the schema's pattern allows (1900–2099).
// When not, it returns the value in the documented form, what was found,
// and whether the year was the problem.
func dateForm(x any) (ok bool, documented, found string, badYear bool) {
	var ts *model.Timestamp
	var dt *model.Date
	switch p := x.(type) {
	case *model.Timestamp:
		ts = p
	case model.Timestamp:
		ts = &p
	case *model.Date:
		dt = p
	case model.Date:
		dt = &p
	default:
		return true, "", "", false
	}
	var t time.Time
	var iso bool
	if ts != nil {
		t, iso = ts.Time(), ts.ISO()
		documented, found = ts.String(), t.Format(time.RFC3339)
	} else {
		t, iso = dt.Time(), dt.ISO()
		documented, found = dt.String(), t.Format(time.DateOnly)
	}
	if t.IsZero() {
		return true, "", "", false
	}
	if y := t.Year(); y < 1900 || y > 2099 {
		return false, documented, strconv.Itoa(y), true
	}
	if iso {
		return false, documented, found, false
	}
	return true, "", "", false
}

// markKinds counts the kinds set in a mark_code without building a slice.
func markKinds(f reflect.Value) int {
	if !f.CanAddr() {
		return 1
	}
	c, ok := f.Addr().Interface().(*model.MarkCode)
	if !ok {
		return 1
	}
	n := 0
	for _, s := range [...]string{c.Unknown, c.EAN8, c.EAN13, c.ITF14, c.GS10, c.GS1M,
		c.Short, c.Fur, c.EGAIS20, c.EGAIS30} {
		if s != "" {
			n++
		}
	}
	return n
}
