// Package rules is the language of rule packs: YAML files of expr
// expressions (github.com/expr-lang/expr) that say how an order document
// becomes a v5 request, which documents to skip, and which organisation
// checks to run.
//
// A pack is compiled once by [Load]: every expression is parsed and
// type-checked against its environment, every field name is checked against
// the request format, and all problems are returned together as an
// [ErrorList] whose entries point at the YAML line and column, with a caret
// snippet of the YAML source. A compiled [Pack] is immutable and safe for
// concurrent use; the transform package runs it.
//
// Money stays exact inside expressions: dec() turns JSON numbers and
// strings into decimals, the arithmetic and comparison operators are
// overloaded for decimals, and nothing passes through float64.
package rules
