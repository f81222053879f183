// Package validate checks a v5 registration request before it is sent: the
// struct rules of every field (with go-playground/validator/v10) and the
// format's cross-field rules, such as sum = price × quantity and
// total = Σ sums.
//
// A check returns every [Violation] at once, ordered by path. Each carries a
// stable code from the catalogue (see [Catalogue]), the JSON path of the value
// (receipt.items[2].sum), a message in Russian and in English, a severity,
// and the expected and actual values where there are any. Errors found while
// decoding JSON come out in the same shape.
package validate
