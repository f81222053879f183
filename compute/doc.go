// Package compute is the decimal-exact arithmetic of a receipt: item sums,
// VAT per item and per rate, totals and payments, spreading an order-level
// amount over lines, splitting lines whose sum is not price × quantity, and
// completing a partial receipt.
//
// All arithmetic is exact. Money is rounded half away from zero to kopecks,
// and quantities to three decimals, only where the format asks for it, and
// every change made to a caller's receipt is returned as a [Change] or a
// [LineSplit]. No function modifies what it is given; each returns new
// values. No function panics on bad input; it returns an [*Error] that
// names the value, wrapping one of the Err values (ErrNegative, ...) that
// callers can test with errors.Is. The package sets no package-level state
// of shopspring/decimal; divisions use QuoRem at an explicit precision.
//
// # Sums and VAT
//
// [ItemSum] is price × quantity rounded to kopecks, the sum (tag 1043) the
// format expects; [Total] and [PaymentsTotal] add sums up. [VatAmount] is
// the VAT in a VAT-inclusive amount, sum × r / (100 + r) rounded to
// kopecks, for every rate (0 for vat0 and none; a rate and its calculated
// twin, vat22 and vat122, give the same amount).
//
// # Receipt-level VAT
//
// [ReceiptVat] and [Vats], and so [Complete], compute a vats[] entry from
// the sum of the items' sums at that type, rounded once:
// VatAmount(Σ sums at t, t). The other formula in use, the sum of each
// item's VAT rounded on its own, is not chosen, because
//
//   - the receipt-level tags (1102, 1103, 1106, ...) are the VAT of the
//     receipt's turnover at a rate, and one rounding gives the kopeck
//     nearest to it, while rounding per item drifts by up to half a kopeck
//     per line;
//   - it does not change when [Spread] or [Split] divide a line, since they
//     keep the sums; the per-item formula would.
//
// The service's method is not documented (reference §12), so
// [VatAcceptable] accepts the value of either formula, and [AcceptableVats]
// lists them; a validator should use it rather than demand one.
//
// # Spreading an amount
//
// [Spread] divides an order-level amount over lines in proportion to their
// sums, by largest remainder in kopecks; equal remainders go to the earlier
// line. [Discount] applies such an amount to items and re-prices them;
// [Fit] lowers items to a target total. [SpreadOptions].Exclude keeps lines
// such as delivery out.
//
// # Splitting lines
//
// [Split] and [SplitItem] take a line's sum as the amount settled and give
// it a price for which price × quantity equals the sum, or split it into
// two lines (n − r units at p, r units at p + 0.01) that keep its quantity,
// sum and every other attribute. Lines with a marking code are never split.
//
// # Completing a request
//
// [Complete] fills in missing sums, VAT amounts, vats[], the total and a
// payment, as [Options] allow, on a copy, and lists every [Change].
//
// # Rates and dates
//
// [Calculated], [Plain] and [RateFor] map between a rate and its calculated
// twin; [InForce], [RateAt], [RateAllowed] and [RateSince] know when rates
// began and ended (vat20 → vat22 on 1 January 2026).
package compute
