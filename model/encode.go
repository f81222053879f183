package model

import (
	"bytes"
	"encoding/json"
)

// Marshal writes v as compact JSON without HTML escaping, so names with
// quotes, ampersands and angle brackets stay readable.
func Marshal(v any) ([]byte, error) { return marshal(v, "") }

// MarshalIndent is Marshal with indentation.
func MarshalIndent(v any, indent string) ([]byte, error) { return marshal(v, indent) }

func marshal(v any, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
