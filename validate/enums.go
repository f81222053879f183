package validate

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
)

// enumOK checks a value against the enumeration named by an enum= tag.
func enumOK(kind string, f reflect.Value) bool {
	switch kind {
	case "sno":
		return model.SNO(f.String()).Valid()
	case "pm":
		return model.PaymentMethod(f.String()).Valid()
	case "vat":
		// Legacy vat18/vat118 are known values; vat_legacy reports them
		// with the date they ended, which says more than "not in the list".
		return model.VatType(f.String()).Known()
	case "agent":
		return model.AgentType(f.String()).Valid()
	case "corr":
		return model.CorrectionType(f.String()).Valid()
	case "mpm", "ocp":
		return f.String() == "0"
	case "doc":
		return model.DocumentCode(f.String()).Valid()
	case "measure":
		return model.Measure(f.Int()).Valid()
	case "po":
		return model.PaymentObject(f.Int()).Valid()
	case "paytype":
		return model.PaymentType(f.Int()).Valid()
	}
	return false
}

// enumValues lists the allowed values of an enumeration, for "expected".
// envd is left out of sno: it is readable but abolished.
func enumValues(kind string) string {
	switch kind {
	case "sno":
		return "osn, usn_income, usn_income_outcome, esn, patent"
	case "pm":
		return joinStrings(model.PaymentMethods)
	case "vat":
		return joinStrings(model.VatTypes)
	case "agent":
		return "bank_paying_agent, bank_paying_subagent, paying_agent, paying_subagent, " +
			"attorney, commission_agent, another"
	case "corr":
		return "self, instruction"
	case "mpm", "ocp":
		return `"0"`
	case "doc":
		return "21, 22, 26, 27, 28, 31, 32, 33, 34, 35, 36, 37, 38, 40"
	case "measure":
		return "0, 10–12, 20–22, 30–32, 40–42, 50, 51, 70–73, 80–83, 255"
	case "po":
		return "1–27, 30–33"
	case "paytype":
		return "0–9"
	}
	return ""
}

func joinStrings[T ~string](vs []T) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(v))
	}
	return b.String()
}

// valueText renders a field's value for "actual".
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strconv.Quote(x)
	case model.Money:
		return x.String()
	case model.Quantity:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return strconv.Quote(rv.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	}
	return ""
}
