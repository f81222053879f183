package transform_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
)

// Mapping any input with any built-in pack never panics: documents with
// keys missing, values of the wrong kind, nulls and odd nesting end as
// errors or skips.
func FuzzMap(f *testing.F) {
	var mappers []*transform.Mapper
	for _, name := range rules.BuiltinNames() {
		p, err := rules.Builtin(name)
		if err != nil {
			f.Fatal(err)
		}
		m, err := transform.New(p, map[string]string{})
		if err != nil {
			f.Fatal(err)
		}
		mappers = append(mappers, m)
		for _, t := range p.Tests {
			if t.Document != nil {
				f.Add(uint8(len(mappers)-1), t.Document)
			}
			if t.Input != "" {
				if data, err := os.ReadFile(filepath.Join("..", t.Input)); err == nil {
					f.Add(uint8(len(mappers)-1), data)
				}
			}
		}
	}
	f.Add(uint8(0), []byte(`null`))
	f.Add(uint8(1), []byte(`{"lines": [null, 1, "x", {"qty": {}}]}`))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		m := mappers[int(which)%len(mappers)]
		_, _ = m.Map(data)
	})
}
