package model_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

// jsonDiff compares two JSON documents by meaning: numbers as decimals (so
// 122.00 equals 122 but 0.1 never equals a float's neighbour), objects
// without regard to key order, and the strings of timestamp and date keys
// as the times they name, since the model writes the documented form of an
// ISO time. It returns one line per difference.
func jsonDiff(a, b []byte) ([]string, error) {
	va, err := decodeGeneric(a)
	if err != nil {
		return nil, fmt.Errorf("first document: %w", err)
	}
	vb, err := decodeGeneric(b)
	if err != nil {
		return nil, fmt.Errorf("second document: %w", err)
	}
	var diffs []string
	diffValues("", "", va, vb, &diffs)
	return diffs, nil
}

func decodeGeneric(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func diffValues(path, key string, a, b any, diffs *[]string) {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: object vs %T", path, b))
			return
		}
		keys := map[string]bool{}
		for k := range a {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			p := k
			if path != "" {
				p = path + "." + k
			}
			va, inA := a[k]
			vb, inB := bm[k]
			switch {
			case !inA:
				*diffs = append(*diffs, p+": only in the second")
			case !inB:
				*diffs = append(*diffs, p+": only in the first")
			default:
				diffValues(p, k, va, vb, diffs)
			}
		}
	case []any:
		bs, ok := b.([]any)
		if !ok || len(bs) != len(a) {
			*diffs = append(*diffs, fmt.Sprintf("%s: array of %d vs %v", path, len(a), b))
			return
		}
		for i := range a {
			diffValues(fmt.Sprintf("%s[%d]", path, i), "", a[i], bs[i], diffs)
		}
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: number %s vs %v", path, a, b))
			return
		}
		da, errA := decimal.NewFromString(string(a))
		db, errB := decimal.NewFromString(string(bn))
		if errA != nil || errB != nil || !da.Equal(db) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %s vs %s", path, a, bn))
		}
	case string:
		bs, ok := b.(string)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: string %q vs %v", path, a, b))
			return
		}
		if a != bs && !sameTime(key, a, bs) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %q vs %q", path, a, bs))
		}
	default:
		if !reflect.DeepEqual(a, b) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %v vs %v", path, a, b))
		}
	}
}

// sameTime reports whether a and b name the same time, for the keys that
// hold timestamps and dates.
func sameTime(key, a, b string) bool {
	switch key {
	case "timestamp":
		ta, errA := model.ParseTimestamp(a)
		tb, errB := model.ParseTimestamp(b)
		return errA == nil && errB == nil && ta.Equal(tb)
	case "base_date", "birthdate", "date":
		da, errA := model.ParseDate(a)
		db, errB := model.ParseDate(b)
		return errA == nil && errB == nil && da.Equal(db)
	}
	return false
}

// allSet fails t for every field of v, at any depth, that holds its zero
// value, so that a round trip of v covers every field of its type. A
// request has a receipt or a correction, never both: the one it lacks is
// not counted.
func allSet(t *testing.T, v any) {
	t.Helper()
	var unset []string
	walkUnset(reflect.ValueOf(v), "", &unset)
	unset = slices.DeleteFunc(unset, func(p string) bool {
		return strings.HasSuffix("."+p, ".Receipt") || strings.HasSuffix("."+p, ".Correction")
	})
	if len(unset) > 0 {
		t.Errorf("the fixture leaves fields unset: %s", strings.Join(unset, ", "))
	}
}

type zeroer interface{ IsZero() bool }

func walkUnset(v reflect.Value, path string, unset *[]string) {
	if z, ok := v.Interface().(zeroer); ok && v.Kind() == reflect.Struct {
		if z.IsZero() {
			*unset = append(*unset, path)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			*unset = append(*unset, path)
			return
		}
		if v.Elem().Kind() == reflect.Bool {
			return // a *bool set to false is a value
		}
		walkUnset(v.Elem(), path, unset)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			p := f.Name
			if path != "" {
				p = path + "." + f.Name
			}
			walkUnset(v.Field(i), p, unset)
		}
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			*unset = append(*unset, path)
			return
		}
		if v.Kind() == reflect.Slice {
			for i := 0; i < v.Len(); i++ {
				walkUnset(v.Index(i), fmt.Sprintf("%s[%d]", path, i), unset)
			}
		}
	default:
		if v.IsZero() {
			*unset = append(*unset, path)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func ts(s string) model.Timestamp {
	t, err := model.ParseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return t
}

func date(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var money, qty = model.MustMoney, model.MustQuantity

// fullReceipt returns a receipt with every field of every nested object
// set. The values are each well formed, but the whole is not a receipt the
// service would take (a mark code has one kind, not ten): it exercises the
// model, not the rules.
func fullReceipt() model.Receipt {
	props := []model.SectoralProps{{FederalID: "030", Date: date("21.11.2023"),
		Number: "1944", Value: "UUID=0f5c8a0e&Time=1748696186042"}}
	return model.Receipt{
		Client: &model.Client{Email: "buyer@example.com", Phone: "+79161234567",
			Name: "Иванов Иван Иванович", INN: "516974792202", Birthdate: ptr(date("15.04.1985")),
			Citizenship: "643", DocumentCode: "21", DocumentData: "4510 123456",
			Address: "г. Москва, ул. Тверская, д. 1"},
		Company: model.Company{Email: "shop@example.com", SNO: model.SNOUsnIncome,
			INN: "5544332219", PaymentAddress: "https://shop.example", Location: "Москва"},
		Items: []model.Item{{
			Name: "Сыр «Российский», весовой", Price: money("549.90"), Quantity: qty("0.350"),
			Measure: model.MeasureKilogram, Sum: money("192.47"),
			PaymentMethod: model.FullPayment, PaymentObject: model.ObjectMarked,
			Vat:      model.ItemVat{Type: model.Vat10, Sum: ptr(money("17.50"))},
			UserData: "арт. 77", Excise: ptr(money("1.15")), CountryCode: "643",
			DeclarationNumber:  "10702070/150525/0012345",
			MarkQuantity:       &model.MarkQuantity{Numerator: 1, Denominator: 10},
			MarkProcessingMode: "0", SectoralItemProps: props,
			MarkCode: &model.MarkCode{Unknown: "x1", EAN8: "46120441", EAN13: "4601234567893",
				ITF14: "14601234567890", GS10: "0104601234567890", GS1M: "MDEwNDYwNzQyODY3",
				Short: "0104601234567890215", Fur: "RU-430302-AAA7582720",
				EGAIS20: "22N00001CWZ7TTC12345678", EGAIS30: "11111111111111"},
			AgentInfo: &model.AgentInfo{Type: model.AgentPaying,
				PayingAgent: &model.PayingAgent{Operation: "Платёж",
					Phones: []string{"+74951234567"}},
				ReceivePaymentsOperator: &model.ReceivePaymentsOperator{
					Phones: []string{"+74957654321"}},
				MoneyTransferOperator: &model.MoneyTransferOperator{
					Phones: []string{"+74959876543"},
					Name:   "АО \"Переводы\"", Address: "г. Москва", INN: "7709364346"}},
			SupplierInfo: &model.SupplierInfo{Phones: []string{"+74951112233"},
				Name: "ООО <Поставщик> & Ко", INN: "9715260691"},
			Wholesale:     ptr(false),
			PlannedStatus: ptr(int(model.PlannedMeasuredSelling)),
		}},
		Payments: []model.Payment{{Type: model.PaymentElectronic,
			Sum: money("192.47")}},
		Vats:                 []model.Vat{{Type: model.Vat10, Sum: money("17.50")}},
		Total:                money("192.47"),
		Cashier:              "Петрова А. С.",
		CashierINN:           "887405485310",
		AdditionalCheckProps: "ЗАКАЗ-1024",
		AdditionalUserProps:  &model.AdditionalUserProps{Name: "Заказ", Value: "A-1024"},
		OperatingCheckProps: &model.OperatingCheckProps{Name: "0", Value: "ref-42",
			Timestamp: ts("31.05.2025 15:56:26")},
		SectoralCheckProps: props,
		DeviceNumber:       "KKT-7",
		Internet:           ptr(true),
		Timezone:           ptr(2),
		CashlessPayments: []model.CashlessPayment{{Sum: money("192.47"), Method: 1,
			ID: "pay-77", AdditionalInfo: "СБП"}},
	}
}

func fullRequest() *model.Request {
	r := fullReceipt()
	return &model.Request{Timestamp: ts("05.01.2026 10:15:00"), ExternalID: "order-1",
		Service:     &model.Service{CallbackURL: "https://shop.example/cb"},
		ISMOptional: ptr(false), Receipt: &r}
}

func fullCorrection() *model.Request {
	return &model.Request{Timestamp: ts("05.01.2026 10:20:00"), ExternalID: "order-1-c",
		Service: &model.Service{CallbackURL: "https://shop.example/cb"}, ISMOptional: ptr(true),
		Correction: &model.Correction{Receipt: fullReceipt(),
			CorrectionInfo: model.CorrectionInfo{Type: model.CorrectionInstruction,
				BaseDate: date("31.12.2025"), BaseNumber: "ЕД-7-20/1050@"}}}
}

func fullServiceError() *model.ServiceError {
	return &model.ServiceError{ErrorID: "4f1c6a3e-0d7b-4b8e-9a55-2f1f3c8b9d10", Code: 32,
		Text: "Ошибка валидации входного чека. Ошибочные поля " +
			": NumberTooSmall: #/receipt.total",
		Type: model.ErrorSystem}
}

func fullPayload() *model.ReportPayload {
	return &model.ReportPayload{FiscalReceiptNumber: 12, ShiftNumber: 34,
		ReceiptDatetime: "05.01.2026 10:15:03", Total: money("122.00"),
		FNNumber: "9999078900001234", ECRRegistrationNumber: "0000000001012345",
		FiscalDocumentNumber: 5678, FiscalDocumentAttribute: 3449555941,
		FNSSite: "www.nalog.ru", OFDINN: "9715260691",
		OFDReceiptURL: "https://ofd.example/rec/1",
		MarksResult: []model.MarkResult{{Position: 1, MarkCode: "MDEwNDYwNzQyODY3",
			Result: int(15)}}}
}

func fullReport() *model.Report {
	return &model.Report{UUID: "9f0a3c5e-7a1b-4c2d-8e9f-0a1b2c3d4e5f",
		Timestamp: "05.01.2026 10:15:04", Status: model.StatusDone, Error: fullServiceError(),
		GroupCode: "group-1", DaemonCode: "prod-1", DeviceCode: "KKT-7",
		ExternalID: "order-1", CallbackURL: "https://shop.example/cb",
		Warnings: map[string]string{"callback_url": "callback_url не соответствует маске"},
		Payload:  fullPayload()}
}

// moscow is used by tests that build times directly.
var moscow = time.FixedZone("MSK", 3*60*60)
