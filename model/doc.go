// Package model holds the types of the Evotor cloud cash register API v5
// (the ATOL Online v5 protocol, fiscal data format 1.2): the registration
// request with its receipt or correction, every nested object, the enumerations
// and the service's responses.
//
// Money and quantities are exact decimals ([Money], [Quantity]) that are read
// from JSON numbers without passing through float64 and written back as plain
// JSON numbers with the scale they were given, so a price of 100.10 stays
// 100.10. Timestamps and dates ([Timestamp], [Date]) read the documented
// dd.mm.yyyy forms and the ISO 8601 form some of the service's pages show, and
// always write the documented form.
//
// # Decoding
//
// [Decode] reads a request strictly, as the service does: unknown keys, missing
// required keys, wrong JSON types, duplicate keys and malformed numbers are
// reported together in a [*DecodeError], each with the JSON path of the value
// (receipt.items[2].sum) and its line and column. [DecodeOptions] relaxes this
// for callers that need to read loose input.
//
// The package has no business rules: sums, VAT and the format's cross-field
// rules live in the compute and validate packages.
package model
