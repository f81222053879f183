package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
	"gopkg.in/yaml.v3"
)

// Test is one test of a pack: an input (a file or an inline document), the
// parameters to map it with, and what must come out.
type Test struct {
	Name string
	Pos  Pos
	// Input is the path of the input file, relative to the pack file (or,
	// for a built-in pack, to the repository root).
	Input string
	// Document is an inline input: JSON written as YAML, or the text of a
	// block scalar for CSV and XML.
	Document []byte
	// Params override the pack's parameters, as --set does.
	Params map[string]string
	Expect Expectation
}

// Expectation is what a test wants. Receipts and Skipped are JSON in the
// form of the samples' .expected.json files; File names such a file. Only
// the fields given are compared.
type Expectation struct {
	File     string
	Receipts json.RawMessage
	Skipped  json.RawMessage
	// Operations, when given, are the operations of the receipts in order.
	Operations []string
	// Violations are the pack checks and validator rules that must report,
	// by code. When nil, any violation of severity error fails the test.
	Violations []ExpectedViolation
	// Error, when set, is text the mapping error must contain: the test
	// expects the input to be refused.
	Error string
}

// ExpectedViolation is a violation a test expects; empty fields match any.
type ExpectedViolation struct {
	Code, Severity, Path string
}

var testKeys = []string{"name", "input", "document", "params", "expect"}
var expectKeys = []string{"file", "receipts", "skipped", "operations", "violations", "error"}

func (c *compiler) tests(n *yaml.Node) []Test {
	if n.Kind != yaml.SequenceNode {
		c.nodeError(n, "tests", "want a list of tests")
		return nil
	}
	var out []Test
	names := map[string]bool{}
	for i, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			c.nodeError(e, "tests", "want a mapping with name, input and expect")
			continue
		}
		t := Test{Name: "test " + strconv.Itoa(i+1), Pos: c.posOf(e)}
		hasExpect := false
		for j := 0; j+1 < len(e.Content); j += 2 {
			k, v := e.Content[j], e.Content[j+1]
			field := "tests." + k.Value
			switch k.Value {
			case "name":
				t.Name = c.str(v, field)
			case "input":
				t.Input = c.str(v, field)
			case "document":
				if v.Kind == yaml.ScalarNode && v.Tag == "!!str" {
					t.Document = []byte(v.Value)
				} else if data, err := yamlToJSON(v); err != nil {
					c.nodeError(v, field, err.Error())
				} else {
					t.Document = data
				}
			case "params":
				t.Params = c.testParams(v)
			case "expect":
				hasExpect = true
				t.Expect = c.expect(v)
			default:
				c.nodeError(k, "tests", "unknown key; a test has "+strings.Join(testKeys, ", ")+
					suggest(k.Value, testKeys))
			}
		}
		if names[t.Name] {
			c.nodeError(e, "tests", "two tests are named "+strconv.Quote(t.Name))
		}
		names[t.Name] = true
		if (t.Input == "") == (t.Document == nil) {
			c.nodeError(e, "tests", "a test has either input (a file) or document (inline)")
		}
		if !hasExpect {
			c.nodeError(e, "tests", "a test needs expect")
		}
		out = append(out, t)
	}
	return out
}

func (c *compiler) testParams(n *yaml.Node) map[string]string {
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "tests.params", "want a mapping of parameter values")
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			c.nodeError(v, "tests.params."+k.Value, "a parameter value is a single value")
			continue
		}
		out[k.Value] = v.Value
	}
	return out
}

func (c *compiler) expect(n *yaml.Node) Expectation {
	var x Expectation
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "tests.expect", "want a mapping with file, receipts, skipped, ...")
		return x
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := "tests.expect." + k.Value
		switch k.Value {
		case "file":
			x.File = c.str(v, field)
		case "error":
			x.Error = c.str(v, field)
		case "receipts", "skipped":
			data, err := yamlToJSON(v)
			if err != nil || v.Kind != yaml.SequenceNode {
				c.nodeError(v, field, "want a list")
				continue
			}
			c.expectKeys(v, k.Value+"[]", field)
			if k.Value == "receipts" {
				x.Receipts = data
			} else {
				x.Skipped = data
			}
		case "operations":
			if v.Kind != yaml.SequenceNode {
				c.nodeError(v, field, "want a list of operations")
				continue
			}
			x.Operations = []string{}
			for _, op := range v.Content {
				x.Operations = append(x.Operations, c.str(op, field))
			}
		case "violations":
			if v.Kind != yaml.SequenceNode {
				c.nodeError(v, field, "want a list of {code, severity, path}")
				continue
			}
			x.Violations = []ExpectedViolation{}
			for _, e := range v.Content {
				var ev ExpectedViolation
				for j := 0; j+1 < len(e.Content); j += 2 {
					switch e.Content[j].Value {
					case "code":
						ev.Code = e.Content[j+1].Value
					case "severity":
						ev.Severity = e.Content[j+1].Value
					case "path":
						ev.Path = e.Content[j+1].Value
					default:
						c.nodeError(e.Content[j], field, "a violation has code, severity "+
							"and path")
					}
				}
				x.Violations = append(x.Violations, ev)
			}
		default:
			c.nodeError(k, "tests.expect", "unknown key; expect has "+
				strings.Join(expectKeys, ", ")+suggest(k.Value, expectKeys))
		}
	}
	return x
}

// yamlToJSON writes a YAML value as JSON. Numbers keep their text, so that
// 279.00 in a test stays 279.00 and not a float.
func yamlToJSON(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, n, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node, depth int) error {
	if depth > 100 {
		return fmt.Errorf("line %d: nested too deep", n.Line)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return writeJSON(b, n.Content[0], depth+1)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			b.Write(k)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1], depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, e := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			v, err := strconv.ParseBool(n.Value)
			if err != nil {
				return fmt.Errorf("line %d: %q is not true or false", n.Line, n.Value)
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int", "!!float":
			if !json.Valid([]byte(n.Value)) {
				return fmt.Errorf("line %d: %q is not a JSON number; quote it", n.Line,
					n.Value)
			}
			b.WriteString(n.Value)
		default:
			s, _ := json.Marshal(n.Value)
			b.Write(s)
		}
	default:
		return fmt.Errorf("line %d: aliases are not allowed", n.Line)
	}
	return nil
}

// expectedKeys are the keys an expectation's receipts and skips may have,
// by their path: a key a test gives but the comparison does not know would
// make the test pass without checking anything (receipt: {totl: 999}).
// Under mark_code, the keys are the format's kinds of code.
var expectedKeys = map[string][]string{
	"receipts[]":         {"external_id", "operation", "receipt", "notes"},
	"receipts[].receipt": {"items", "payments", "total", "client"},
	"receipts[].receipt.items[]": {"name", "price", "quantity", "sum", "measure",
		"payment_method", "payment_object", "vat", "mark_code"},
	"receipts[].receipt.items[].vat": {"type"},
	"receipts[].receipt.payments[]":  {"type", "sum"},
	"receipts[].receipt.client":      {"email", "phone", "name", "inn"},
	"skipped[]":                      {"id", "reason"},
}

// expectedKey reports whether key may appear in an object at path of an
// expectation, and if not, the message. Keys starting with _ are comments
// in the samples' .expected.json files.
func expectedKey(path, key string) (string, bool) {
	if strings.HasPrefix(key, "_") {
		return "", true
	}
	if path == "receipts[].receipt.items[].mark_code" {
		if model.MarkCodeKind(key).Valid() {
			return "", true
		}
		return "unknown kind of marking code " + strconv.Quote(key), false
	}
	known, checked := expectedKeys[path]
	if !checked || slices.Contains(known, key) {
		return "", true
	}
	return "unknown key " + strconv.Quote(key) + "; here a test compares " +
		strings.Join(known, ", ") + suggest(key, known), false
}

// expectKeys reports each unknown key under n, at its place in the YAML.
func (c *compiler) expectKeys(n *yaml.Node, path, field string) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, e := range n.Content {
			c.expectKeys(e, path, field)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if msg, ok := expectedKey(path, k.Value); !ok {
				c.nodeError(k, field, msg)
				continue
			}
			sub := path + "." + k.Value
			if v.Kind == yaml.SequenceNode {
				sub += "[]"
			}
			c.expectKeys(v, sub, field)
		}
	}
}

// CheckExpected reports the first unknown key in v, the decoded JSON of an
// expectation file ({"receipts": [...], "skipped": [...]}), by its JSON
// path; see the tests section of docs/rule-packs.md.
func CheckExpected(v any) error {
	root, ok := v.(map[string]any)
	if !ok {
		return errors.New("want an object with receipts and skipped")
	}
	for _, k := range slices.Sorted(maps.Keys(root)) {
		switch {
		case k == "receipts" || k == "skipped":
			if err := checkExpectedJSON(root[k], k, k+"[]"); err != nil {
				return err
			}
		case !strings.HasPrefix(k, "_"):
			return fmt.Errorf("%s: unknown key; an expectation file has receipts and skipped",
				k)
		}
	}
	return nil
}

func checkExpectedJSON(v any, at, path string) error {
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			if err := checkExpectedJSON(e, at+"["+strconv.Itoa(i)+"]", path); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if msg, ok := expectedKey(path, k); !ok {
				return fmt.Errorf("%s.%s: %s", at, k, msg)
			}
			sub := path + "." + k
			if _, list := x[k].([]any); list {
				sub += "[]"
			}
			if err := checkExpectedJSON(x[k], at+"."+k, sub); err != nil {
				return err
			}
		}
	}
	return nil
}
