package evotortest

import (
	"errors"
	"regexp"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
)

// check decodes a registration body strictly and validates it with the
// sandbox's validator. It returns the request, the failing fields in the
// service's form ("PropertyRequired: #/receipt.total, ...") and whether
// the body is not JSON at all.
func (h *Handler) check(op model.Operation, data []byte) (*model.Request, string, bool) {
	req, err := model.DecodeRequest(data, model.DecodeOptions{})
	var fields []string
	if err != nil {
		var de *model.DecodeError
		if !errors.As(err, &de) {
			return nil, "", true
		}
		for _, fe := range de.Errors {
			if fe.Code == model.CodeSyntax || fe.Code == model.CodeTooDeep {
				return req, "", true
			}
			fields = append(fields, schemaKind(fe.Code, fe.Expected)+": #/"+fe.Path)
		}
		return req, strings.Join(fields, ", "), false
	}
	// The schema of each operation allows only its own root key.
	want, other := "receipt", "correction"
	has, hasOther := req.Receipt != nil, req.Correction != nil
	if op.IsCorrection() {
		want, other = other, want
		has, hasOther = hasOther, has
	}
	if hasOther {
		fields = append(fields, "NoAdditionalPropertiesAllowed: #/"+other)
	}
	if !has {
		fields = append(fields, "PropertyRequired: #/"+want)
	}
	if len(req.ExternalID) > 128 {
		fields = append(fields, "StringTooLong: #/external_id")
	}
	if len(fields) == 0 {
		for _, v := range h.cfg.validator.Request(op, req).Errors() {
			fields = append(fields, schemaKind(v.Code, v.Expected)+": #/"+v.Path)
		}
	}
	return req, strings.Join(fields, ", "), false
}

// schemaKind names a violation the way the service's JSON Schema validator
// does (NJsonSchema's error kinds). Rules that are not schema rules keep
// their own code, in the same CamelCase.
func schemaKind(code, expected string) string {
	switch code {
	case model.CodeUnknownField:
		return "NoAdditionalPropertiesAllowed"
	case model.CodeMissingField:
		return "PropertyRequired"
	case model.CodeBadNumber:
		return "NumberExpected"
	case model.CodeBadFormat:
		return "PatternMismatch"
	case model.CodeWrongType:
		switch expected {
		case "number", "string", "integer", "boolean", "array", "object":
			return camel(expected) + "Expected"
		}
		return "PatternMismatch"
	}
	return camel(code)
}

// camel turns snake_case into CamelCase.
func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.Split(s, "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// callbackMask is the service's mask for service.callback_url.
var callbackMask = regexp.MustCompile(
	`^http(s?)\:\/\/[0-9a-zA-Zа-яА-Я]([-.\w]*[0-9a-zA-Zа-яА-Я])*` +
		`(:(0-9)*)*(\/?)([a-zA-Z0-9а-яА-Я\-\.\?\,\'\/\\\+&=%\$#_]*)?$`)
