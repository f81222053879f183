// Package transform runs a compiled rule pack (package rules) over order
// documents and produces v5 requests.
//
// For each order document it decides whether to skip it (with a reason),
// evaluates the request template, fills in what the format derives (item
// sums from price × quantity, the total from the sums), and decodes the
// result strictly into a model.Request, so that a value of the wrong kind is
// reported at its YAML position rather than sent. Validation of the
// produced requests is left to the caller (package validate).
package transform
