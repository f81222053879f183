package rules

import (
	"reflect"
	"testing"
	"time"

	"github.com/expr-lang/expr/types"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// compileExpr compiles src as a pack would, in an environment of the names
// in env (nil values are of unknown type, as order documents are).
func compileExpr(src string, env map[string]any, clock func() time.Time) (*Expr, error) {
	fns := library(clock)
	c := &compiler{file: "test.yaml", src: []byte(src),
		source: &source{file: "test.yaml", data: []byte(src)}, fns: fns, opts: options(fns),
		maxNodes: 1000, disabled: disabledBuiltins(clock)}
	m := types.Map{}
	for k, v := range env {
		if v == nil {
			m[k] = types.Any
		} else {
			m[k] = typeOf(reflect.TypeOf(v))
		}
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: src, Line: 1, Column: 1}
	e := c.compile(n, "test", scope{types: m}, wantAny)
	if len(c.list) > 0 {
		return nil, c.list
	}
	return e, nil
}

// evalExpr compiles and runs src with env.
func evalExpr(t *testing.T, src string, env map[string]any) (any, error) {
	t.Helper()
	e, err := compileExpr(src, env, nil)
	if err != nil {
		return nil, err
	}
	return e.Eval(&Machine{budget: 1_000_000}, Env(env))
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }
