package model_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
)

// roundTripCases holds one fully set value of every type of the model.
func roundTripCases() []struct {
	name string
	v    any
} {
	req, corr := fullRequest(), fullCorrection()
	item := req.Receipt.Items[0]
	return []struct {
		name string
		v    any
	}{
		{"Request/receipt", req},
		{"Request/correction", corr},
		{"Document", &model.Document{Operation: model.SellCorrection, Request: corr}},
		{"Service", req.Service},
		{"Receipt", req.Receipt},
		{"Correction", corr.Correction},
		{"CorrectionInfo", &corr.Correction.CorrectionInfo},
		{"Client", req.Receipt.Client},
		{"Company", &req.Receipt.Company},
		{"Item", &item},
		{"ItemVat", &item.Vat},
		{"Vat", &req.Receipt.Vats[0]},
		{"Payment", &req.Receipt.Payments[0]},
		{"MarkQuantity", item.MarkQuantity},
		{"MarkCode", item.MarkCode},
		{"SectoralProps", &item.SectoralItemProps[0]},
		{"AgentInfo", item.AgentInfo},
		{"PayingAgent", item.AgentInfo.PayingAgent},
		{"ReceivePaymentsOperator", item.AgentInfo.ReceivePaymentsOperator},
		{"MoneyTransferOperator", item.AgentInfo.MoneyTransferOperator},
		{"SupplierInfo", item.SupplierInfo},
		{"AdditionalUserProps", req.Receipt.AdditionalUserProps},
		{"OperatingCheckProps", req.Receipt.OperatingCheckProps},
		{"CashlessPayment", &req.Receipt.CashlessPayments[0]},
		{"TokenRequest", &model.TokenRequest{Login: "user", Pass: "secret", Source: "evoreceipt"}},
		{"TokenResponse", &model.TokenResponse{Error: fullServiceError(), Token: "tok",
			Timestamp: "05.01.2026 10:15:00"}},
		{"ServiceError", fullServiceError()},
		{"RegisterResponse", &model.RegisterResponse{UUID: "9f0a3c5e", Status: model.StatusWait,
			Error: fullServiceError(), Timestamp: "05.01.2026 10:15:00"}},
		{"Report", fullReport()},
		{"ReportPayload", fullPayload()},
		{"MarkResult", &fullPayload().MarksResult[0]},
	}
}

// TestRoundTrip writes every type, reads it back both with Decode (strict)
// and with encoding/json, and checks that nothing was lost: the value read
// has every field set and writes the same bytes again.
func TestRoundTrip(t *testing.T) {
	for _, tc := range roundTripCases() {
		t.Run(tc.name, func(t *testing.T) {
			allSet(t, tc.v)
			first, err := model.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			typ := reflect.TypeOf(tc.v).Elem()

			strict := reflect.New(typ)
			if err := model.Decode(first, strict.Interface(), model.DecodeOptions{}); err != nil {
				t.Fatalf("strict decode of %s: %v", first, err)
			}
			std := reflect.New(typ)
			if err := json.Unmarshal(first, std.Interface()); err != nil {
				t.Fatalf("encoding/json decode of %s: %v", first, err)
			}
			for name, v := range map[string]reflect.Value{"Decode": strict, "encoding/json": std} {
				allSet(t, v.Interface())
				again, err := model.Marshal(v.Interface())
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again, first) {
					t.Errorf("after %s:\n got %s\nwant %s", name, again, first)
				}
			}
		})
	}
}

// TestRoundTripCoversEveryType fails when a struct type reachable from the
// request, the document or an answer of the service has no round-trip case.
func TestRoundTripCoversEveryType(t *testing.T) {
	tested := map[reflect.Type]bool{}
	for _, tc := range roundTripCases() {
		tested[reflect.TypeOf(tc.v).Elem()] = true
	}
	scalars := map[reflect.Type]bool{
		reflect.TypeFor[model.Money](): true, reflect.TypeFor[model.Quantity](): true,
		reflect.TypeFor[model.Timestamp](): true, reflect.TypeFor[model.Date](): true,
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for {
			switch typ.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map:
				typ = typ.Elem()
				continue
			}
			break
		}
		if typ.Kind() != reflect.Struct || seen[typ] || scalars[typ] {
			return
		}
		seen[typ] = true
		if !tested[typ] {
			t.Errorf("no round-trip case for %s", typ)
		}
		for i := 0; i < typ.NumField(); i++ {
			walk(typ.Field(i).Type)
		}
	}
	for _, root := range []any{model.Document{}, model.TokenRequest{}, model.TokenResponse{},
		model.RegisterResponse{}, model.Report{}} {
		walk(reflect.TypeOf(root))
	}
}

// TestAnswersWithNull reads the service's success answers, whose error and
// payload are null, strictly.
func TestAnswersWithNull(t *testing.T) {
	tests := []struct {
		name string
		in   string
		v    any
	}{
		{"token", `{"error":null,"token":"abc","timestamp":"05.01.2026 10:15:00"}`,
			&model.TokenResponse{}},
		{"register", `{"uuid":"u-1","status":"wait","error":null,` +
			`"timestamp":"05.01.2026 10:15:00"}`,
			&model.RegisterResponse{}},
		{"report wait", `{"uuid":"u-1","status":"wait","error":{"code":34,"type":"system",` +
			`"text":"Состояние чека не найдено. Попробуйте позднее"},` +
			`"payload":null,` +
			`"timestamp":"05.01.2026 10:15:00"}`, &model.Report{}},
		{"report without payload", `{"uuid":"u-1","status":"fail","error":{"code":1,` +
			`"type":"timeout"},"timestamp":"05.01.2026 10:15:00"}`, &model.Report{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := model.Decode([]byte(tc.in), tc.v, model.DecodeOptions{}); err != nil {
				t.Fatal(err)
			}
			out, err := model.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			diffs, err := jsonDiff([]byte(tc.in), out)
			if err != nil {
				t.Fatal(err)
			}
			// A payload left out is written as null; nothing else may change.
			for _, d := range diffs {
				if d != "payload: only in the second" {
					t.Errorf("%s (wrote %s)", d, out)
				}
			}
		})
	}
}
