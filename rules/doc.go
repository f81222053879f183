// Package rules is the language of rule packs: YAML files of expr
// expressions (github.com/expr-lang/expr) that say how order documents
// become v5 requests, which documents to skip or refuse, how an order
// discount is spread, which organisation checks to run, and what the pack's
// own tests expect. docs/rule-packs.md is the reference.
//
// # Compiling
//
// [Load] compiles a whole pack once. Every expression is parsed and
// type-checked against the names of its place (the input, the document,
// a line of an each, the built items), every request field is checked
// against the model's types, and all problems are returned together as an
// [ErrorList] whose entries carry the file, line, column, field and a caret
// snippet of the YAML. Values read from order documents are dynamic; where
// a place needs text, a number or a boolean they must be converted (dec,
// str, int, bool), and arithmetic or comparisons on unconverted values are
// refused, so that a pack that loads does not fail later with a type error
// on the input it was written for.
//
// A compiled [Pack] is immutable and safe for concurrent use. Its
// expressions run on a [Machine] (one per goroutine); package transform
// runs whole packs.
//
// # Money
//
// Money stays exact inside expressions: input numbers keep their text, dec
// reads them, float literals become decimals from their shortest text, the
// arithmetic and comparison operators (unary minus included) are overloaded
// for decimals, sum over decimals is exact, and nothing passes through
// float64. spread, splitline and vat call package compute.
//
// # Sandbox
//
// Expressions cannot reach files, the network or the clock: now exists only
// with [WithClock] (without it, now is an error when the pack loads), date
// is off, keys and values are sorted. Each expression is bounded in length
// and nesting before it is parsed, in size when it is compiled and in
// memory when it runs ([WithLimits]).
package rules
