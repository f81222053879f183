package rules

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/types"
	"gopkg.in/yaml.v3"
)

var paramName = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$`)

var paramTypes = map[string]reflect.Type{
	"string":  reflect.TypeFor[string](),
	"decimal": decimalType,
	"int":     reflect.TypeFor[int](),
	"bool":    reflect.TypeFor[bool](),
}

func (c *compiler) params(n *yaml.Node) []Param {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		c.nodeError(n, "params", "want a mapping of parameter names")
		return nil
	}
	var ps []Param
	taken := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := Param{Name: k.Value, Type: "string", Pos: c.posOf(k)}
		field := "params." + k.Value
		if !paramName.MatchString(p.Name) {
			c.nodeError(k, field, "a parameter name is lower-case words joined by dots "+
				"(company.inn)")
			continue
		}
		if why := paramClash(p.Name, taken); why != "" {
			c.nodeError(k, field, why)
			continue
		}
		taken[p.Name] = true
		if v.Kind != yaml.MappingNode {
			c.nodeError(v, field, "want a mapping with type, default and doc")
			continue
		}
		var def *yaml.Node
		for j := 0; j+1 < len(v.Content); j += 2 {
			pk, pv := v.Content[j], v.Content[j+1]
			switch pk.Value {
			case "type":
				p.Type = pv.Value
				if paramTypes[p.Type] == nil {
					c.nodeError(pv, field, "type is string, decimal, int or bool")
					p.Type = "string"
				}
			case "default":
				def = pv
			case "doc":
				p.Doc = pv.Value
			default:
				c.nodeError(pk, field, "unknown key; a parameter has type, default and doc"+
					suggest(pk.Value, []string{"type", "default", "doc"}))
			}
		}
		p.Default = reflect.Zero(paramTypes[p.Type]).Interface()
		if def != nil && def.Tag != "!!null" {
			if def.Kind != yaml.ScalarNode {
				c.nodeError(def, field, "a default is a single value")
			} else if val, err := ParseParam(p.Type, def.Value); err != nil {
				c.nodeError(def, field, err.Error())
			} else {
				p.Default = val
			}
		}
		ps = append(ps, p)
	}
	return ps
}

// paramClash reports a name that is also the prefix of another (company
// and company.inn), since params.company cannot be both.
func paramClash(name string, taken map[string]bool) string {
	for t := range taken {
		if strings.HasPrefix(t, name+".") || strings.HasPrefix(name, t+".") {
			return "the parameters " + t + " and " + name + " overlap"
		}
	}
	return ""
}

// paramsType is the type of params in expressions: nested maps whose
// leaves have the declared types, so that params.company.inn is text and a
// misspelt parameter is a compile error.
func paramsType(ps []Param) types.Type {
	root := types.Map{}
	for _, p := range ps {
		parts := strings.Split(p.Name, ".")
		m := root
		for _, part := range parts[:len(parts)-1] {
			next, ok := m[part].(types.Map)
			if !ok {
				next = types.Map{}
				m[part] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = typeOf(paramTypes[p.Type])
	}
	return root
}

// ParseParam converts the text of a parameter value to its declared type:
// string, decimal (a decimal comma is accepted), int or bool.
func ParseParam(typ, s string) (any, error) {
	switch typ {
	case "decimal":
		d, err := parseDec(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a decimal", s)
		}
		return d, nil
	case "int":
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", s)
		}
		return n, nil
	case "bool":
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", s)
		}
		return b, nil
	}
	return s, nil
}

// ParamValues returns the parameters' defaults, overridden by set (name →
// text), as the nested map expressions see as params: a dotted name
// company.inn becomes params.company.inn. Unknown names and values that do
// not fit their type are errors.
func (p *Pack) ParamValues(set map[string]string) (map[string]any, error) {
	vals := map[string]any{}
	declared := map[string]Param{}
	for _, pr := range p.Params {
		declared[pr.Name] = pr
		vals[pr.Name] = pr.Default
	}
	names := make([]string, 0, len(set))
	for k := range set {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		pr, ok := declared[k]
		if !ok {
			known := make([]string, 0, len(declared))
			for n := range declared {
				known = append(known, n)
			}
			return nil, fmt.Errorf("rules: pack %s has no parameter %q%s", p.Name, k,
				suggest(k, known))
		}
		v, err := ParseParam(pr.Type, set[k])
		if err != nil {
			return nil, fmt.Errorf("rules: parameter %s: %w", k, err)
		}
		vals[k] = v
	}
	root := map[string]any{}
	for name, v := range vals {
		parts := strings.Split(name, ".")
		m := root
		for _, part := range parts[:len(parts)-1] {
			next, ok := m[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[part] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = v
	}
	return root, nil
}
