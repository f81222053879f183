// Package bench measures evoreceipt against the alternatives a user would
// pick: a JSON Schema validator on the official v5 request schema, a
// hand-written Go mapping, gojq, and plain encoding/json. It is a separate
// module so that the comparison-only dependencies stay out of the library's
// go.mod. See BENCHMARKS.md at the repository root.
package bench
