package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
)

//go:embed packs/*.yaml
var packFS embed.FS

// BuiltinNames lists the packs embedded in the library, sorted.
func BuiltinNames() []string {
	entries, _ := fs.ReadDir(packFS, "packs")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// BuiltinSource returns the YAML of a built-in pack.
func BuiltinSource(name string) ([]byte, bool) {
	data, err := packFS.ReadFile("packs/" + name + ".yaml")
	return data, err == nil
}

// Builtin compiles the built-in pack name.
func Builtin(name string, opts ...Option) (*Pack, error) {
	data, ok := BuiltinSource(name)
	if !ok {
		return nil, fmt.Errorf("rules: no built-in pack %q (have %s)", name,
			strings.Join(BuiltinNames(), ", "))
	}
	p, err := Load("builtin:"+name+".yaml", data, opts...)
	if p != nil {
		p.Builtin = true
	}
	return p, err
}

// Open compiles the pack a user named: a path to a YAML file if one exists
// there, otherwise a built-in pack's name.
func Open(nameOrPath string, opts ...Option) (*Pack, error) {
	if st, err := os.Stat(nameOrPath); err == nil && !st.IsDir() {
		return LoadFile(nameOrPath, opts...)
	}
	if _, ok := BuiltinSource(nameOrPath); ok {
		return Builtin(nameOrPath, opts...)
	}
	if strings.ContainsAny(nameOrPath, "/\\") || strings.HasSuffix(nameOrPath, ".yaml") {
		return nil, fmt.Errorf("rules: cannot read pack file %s", nameOrPath)
	}
	return nil, fmt.Errorf("rules: %q is neither a pack file nor a built-in pack (have %s)",
		nameOrPath, strings.Join(BuiltinNames(), ", "))
}
