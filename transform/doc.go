// Package transform runs a compiled rule pack (package rules) over order
// documents and produces v5 requests.
//
// A [Mapper] reads the input the pack names (JSON values, JSON Lines or a
// JSON list; CSV with a header; XML, windows-1251 included) one document at
// a time and, for each, evaluates the pack's let values, skip and reject
// rules, operation and request template. Items are built first: sums
// derived from price × quantity, the order discount spread over the
// discountable lines and lines split where a sum does not divide
// (package compute), then the rest of the request sees the items and the
// total. The template is written straight into a model.Request, and the
// pack's checks report validate.Violation values. What is kept from one
// document to the next is only the set of external_ids produced (a second
// receipt with one of them is refused), so a large input maps in memory
// bounded by its largest document plus some tens of bytes per receipt.
//
// A document that cannot be mapped is a [DocumentError] naming it and
// wrapping the pack's positioned error; malformed input is an
// [InputError]. A malformed line of JSON Lines or CSV row is reported as
// one result and reading goes on with the next. [RunTests] runs the tests
// written in a pack.
//
// Input text is never changed on its way to a receipt. A document (a JSON
// value, a CSV row, an XML element) with bytes that are not characters in
// its encoding (text that is not UTF-8, byte 0x98 of windows-1251), a lone
// UTF-16 surrogate escape or a key twice in a JSON object is refused as
// one result, with the place and a code (model.CodeBadUTF8,
// [CodeBadEncoding], model.CodeDuplicateKey), and the documents around
// it are mapped. UTF-16 and UTF-32 input, and input that plainly is in the
// other encoding than the one it is read in, stop with an error that
// names the encoding and the way out. A UTF-8 byte order mark is skipped.
package transform
