// Package model holds the types of the Evotor cloud cash register API v5
// (the ATOL Online v5 protocol, fiscal data format 1.2): the registration
// request with its receipt or correction, every nested object, the enumerations
// and the service's responses.
//
// Money and quantities are exact decimals ([Money], [Quantity]) that are read
// from the digits of JSON numbers, never through a binary floating-point
// value, and written back as plain JSON numbers with the scale they were
// given, so a price of 100.10 stays 100.10. Timestamps and dates ([Timestamp],
// [Date]) read the documented dd.mm.yyyy forms and the ISO 8601 form some of
// the service's pages show, and always write the documented form.
//
// # Decoding
//
// [Decode] reads a request strictly, as the service does: unknown keys, missing
// required keys, wrong JSON types, duplicate keys and malformed numbers are
// reported together in a [*DecodeError], each with the JSON path of the value
// (receipt.items[2].sum) and its line and column. [DecodeOptions] relaxes this
// for callers that need to read loose input. [DecodeDocument] also reads the
// {"operation","request"} wrapper, with the same paths.
//
// # Numbers
//
// The model parses; it does not judge. A number in the JSON grammar is read
// exactly, whatever its size within 64 characters: 42949672.96 is read, and
// the validate package says that it is over the limit of a price. 1e2 is read
// as 100 and -0 as 0. Text outside the grammar (01, +1, .5, NaN) is a syntax
// error, a quoted number is a wrong type unless [DecodeOptions.NumericStrings]
// allows it, and a number longer than 64 characters, as written or expanded
// from its exponent, is refused with its position. [Money] tells the whole
// story.
//
// # Round trips
//
// Whatever [Decode] reads without error, [Marshal] writes so that it reads
// back to the same value. Two things are normalised on the way: an ISO time
// is written in the documented form (without its fraction of a second), and
// an optional string or array that was present but empty is left out.
//
// The package has no business rules: sums, VAT and the format's cross-field
// rules live in the compute and validate packages.
package model
