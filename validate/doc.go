// Package validate checks a v5 registration request before it is sent: the
// rules of every field (go-playground/validator tags attached to the model's
// types, applied to every element of every array), the format's limits, check
// digits of INNs and product codes, the structure of marking codes, and the
// cross-field rules, such as sum = price × quantity, total = Σ sums, VAT
// against compute, agents and suppliers, marking by payment object and
// operation, and VAT rates by settlement date and tax system.
//
// A check returns every [Violation] at once, ordered by path. Each carries a
// stable code from the catalogue (see [Catalogue] and the table in
// validate/RULES.md), the JSON path of the value (receipt.items[2].sum), a
// message in Russian and in English, a severity, and the expected and actual
// values where there are any. Errors found while decoding JSON come out in
// the same shape, with their line and column; rules do not report again what
// could not be decoded.
//
// Rules can be turned off or downgraded by code ([Disable], [WithSeverity]),
// and an organisation's own rules added ([WithCheck]).
//
// validate reports and never changes a request: a phone written with spaces
// is rejected with the +-form as the expected value, not rewritten.
package validate
