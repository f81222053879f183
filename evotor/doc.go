// Package evotor sends fiscal documents to the Evotor cloud cash register
// API v5 (the ATOL Online v5 protocol, FFD 1.2) and reads their results.
//
// # Using the client
//
// A [Client] is made once with [NewClient] and shared: it is safe for
// concurrent use, and its goroutines share one token.
//
//	c, err := evotor.NewClient(
//		evotor.WithBaseURL(evotor.ProductionURL),
//		evotor.WithCredentials(login, pass),
//		evotor.WithGroupCode(group),
//	)
//	sub, err := c.Submit(ctx, model.Sell, req)
//	rep, err := c.Wait(ctx, sub.UUID)
//
// Every call that does I/O takes a context first; [Client.Wait] polls
// until the document is processed or the context ends, so give it a
// deadline. Documents may also report back by callback: serve
// [CallbackHandler] at the request's service.callback_url.
//
// # Tokens
//
// The client asks getToken for a token on first use and keeps it until
// shortly before its 24 hours run out. When the service refuses a token
// (codes 10 and 11) the client fetches a new one once and resends once;
// callers waiting at the same moment share that fetch. Bad credentials
// (12), a blocked user (14) and a group that does not match (20, 21) are
// final.
//
// # Never a double sale
//
// A document is registered once per external_id. [Client.Submit] sends
// the same bytes under the same external_id on every attempt, so a lost
// answer (a dropped connection, a timeout, an HTTP 5xx) is retried safely:
// if the first attempt did register the document, the service answers
// code 33 with the original uuid, and Submit returns that uuid with
// [Submission.Duplicate] set. The client keeps the SHA-256 of every body
// it sends in a [Journal]; a different body under an external_id it has
// already sent is refused before sending, with [ErrConflict], and so is a
// code 33 it cannot match to a body it sent. Validation errors (32) and
// other refusals are never retried. Concurrent calls for one external_id
// in one client run one after another, so that the later ones take the
// first one's uuid from the journal.
//
// A failed Submit says, in [Error.Outcome], whether the document may be
// registered: [OutcomeNotSent] (no byte reached the service: refused
// before sending, a connection that could not be made),
// [OutcomeRefused] (the service answered and registered nothing), or
// [OutcomeUnknown] (a lost answer, a code 33 for a body the client cannot
// vouch for). Only the first two may be sent again under a new
// external_id; an unknown one must be resent as it is, under the same
// external_id, to learn its fate.
//
// # Errors
//
// Failures are [*Error]s with the HTTP status, the service's code, text,
// error_id and type, and a [Kind] that says what to do: retry later
// ([ErrTransient], see [IsTransient]), fix the credentials ([ErrAuth]) or
// the group ([ErrConfig]), fix the document ([ErrInvalid]), use a new
// external_id ([ErrConflict]). Passwords, tokens and the buyer's email and
// phone never appear in an error's text, in a log line or in String
// output; the texts of reports ([Client.Report], [Client.Wait]) are
// cleaned the same way.
//
// # Testing
//
// Package evotortest runs an in-process sandbox that answers like the
// service, with faults on demand.
package evotor
