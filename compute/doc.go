// Package compute is the decimal-exact arithmetic of a receipt: item sums,
// VAT per item and per rate, totals and payments, spreading an order-level
// amount over lines, splitting lines whose sum is not price × quantity, and
// completing a partial receipt.
//
// All arithmetic is exact. Money is rounded half away from zero to kopecks,
// and quantities to three decimals, only where the format asks for it, and
// every change made to a caller's receipt is returned as a [Change].
package compute
