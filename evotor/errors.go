package evotor

import (
	"errors"
	"strconv"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// Kind classifies a failure by what the caller should do about it.
type Kind int

// Kinds of failure. The zero value, KindUnknown, is never produced by the
// client for an answer it understood.
const (
	// KindUnknown is a failure the client could not classify.
	KindUnknown Kind = iota
	// KindTransient is a network failure, an HTTP 5xx or a service error
	// (codes 0, 1, 50) that may pass. Sending the same request again, with
	// the same external_id, is safe and may succeed; whether the document
	// was registered is not known unless [Error.Outcome] says it was not
	// sent (a connection that could not be made).
	KindTransient
	// KindAuth is a credentials problem: wrong login or password (12), a
	// blocked user (14), or a token the service kept refusing after one
	// refresh (10, 11). Retrying will not help.
	KindAuth
	// KindConfig is a group code problem: the group does not belong to the
	// credentials (20) or is not on this protocol version (21).
	KindConfig
	// KindInvalid is a request the service refused as malformed (13, 31,
	// 32, 40, 41) or that the client refused before sending (pre-flight
	// validation, a bad operation). Nothing was registered; fix the request
	// and send it again, with the same external_id or a new one.
	KindInvalid
	// KindConflict is an external_id that is already taken by a document
	// whose body is not the one being sent. Nothing was sent, or the
	// service's copy could not be confirmed as this body.
	KindConflict
	// KindNotFound is a uuid the service does not know (30).
	KindNotFound
	// KindFailed is a document the service accepted and then failed to
	// register: the report has status fail (a cash register, agent or
	// queue timeout error).
	KindFailed
)

var kindNames = [...]string{
	KindUnknown:   "unknown",
	KindTransient: "transient",
	KindAuth:      "auth",
	KindConfig:    "config",
	KindInvalid:   "invalid",
	KindConflict:  "conflict",
	KindNotFound:  "not found",
	KindFailed:    "failed",
}

// String returns the kind's name, as it appears in error messages.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindNames[k]
}

// Sentinels, one per [Kind], for errors.Is:
//
//	if errors.Is(err, evotor.ErrConflict) { ... }
var (
	ErrTransient error = &kindError{KindTransient}
	ErrAuth      error = &kindError{KindAuth}
	ErrConfig    error = &kindError{KindConfig}
	ErrInvalid   error = &kindError{KindInvalid}
	ErrConflict  error = &kindError{KindConflict}
	ErrNotFound  error = &kindError{KindNotFound}
	ErrFailed    error = &kindError{KindFailed}
)

// kindError is the type of the sentinels; an [*Error] matches the one of
// its kind.
type kindError struct{ k Kind }

func (e *kindError) Error() string { return "evotor: " + e.k.String() }

func sentinel(k Kind) error {
	switch k {
	case KindTransient:
		return ErrTransient
	case KindAuth:
		return ErrAuth
	case KindConfig:
		return ErrConfig
	case KindInvalid:
		return ErrInvalid
	case KindConflict:
		return ErrConflict
	case KindNotFound:
		return ErrNotFound
	case KindFailed:
		return ErrFailed
	}
	return nil
}

// Outcome says what is known of a document's registration when
// [Client.Submit] fails. It decides what may be done with the document:
// only a document that was certainly not registered may be sent again
// under a new external_id.
type Outcome int

// Outcomes of a failed Submit.
const (
	// OutcomeUnknown is a document that may be registered: its body may
	// have reached the service without an answer saying what became of it
	// (a lost answer, an HTTP 5xx), or the service holds a document under
	// its external_id that the client cannot confirm to be this body (code
	// 33, UUID set). Never send it under a new external_id, which could
	// sell twice; submit the same request, same external_id, to find out.
	// It is the zero value, so that an error that says nothing is taken
	// for the dangerous case.
	OutcomeUnknown Outcome = iota
	// OutcomeNotSent is a document no byte of which reached the service,
	// by this call or an earlier one: it was refused before sending, the
	// connection could not be made, or the context ended first. Nothing
	// was registered.
	OutcomeNotSent
	// OutcomeRefused is a document the service answered for and did not
	// register: refused as invalid, for the credentials or the group, or
	// reported with status fail.
	OutcomeRefused
)

var outcomeNames = [...]string{
	OutcomeUnknown: "unknown",
	OutcomeNotSent: "not sent",
	OutcomeRefused: "refused",
}

// String returns the outcome's name.
func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return "outcome(" + strconv.Itoa(int(o)) + ")"
	}
	return outcomeNames[o]
}

// OutcomeOf returns the outcome of the first [*Error] in err's chain, or
// OutcomeUnknown for any other error.
func OutcomeOf(err error) Outcome {
	var e *Error
	if errors.As(err, &e) {
		return e.Outcome
	}
	return OutcomeUnknown
}

// NoCode is the Code of an [Error] that carries no service error code, such
// as a network failure or a refusal made by the client itself.
const NoCode = -1

// Error is every failure the client returns, other than a cancelled
// context on its own (which is wrapped, so errors.Is(err,
// context.Canceled) works).
//
// Its text never contains the password, a token or the buyer's email or
// phone: they are removed from the service's text before it is stored.
type Error struct {
	// Kind says what to do about the failure.
	Kind Kind
	// Op is what was being done: getToken, report, or an operation (sell).
	Op string
	// ExternalID and UUID identify the document, where known.
	ExternalID string
	UUID       string
	// HTTPStatus is the status of the answer, 0 when none arrived.
	HTTPStatus int
	// Code is the service's error code, or NoCode.
	Code int
	// Text is the service's message, or the client's own explanation.
	Text string
	// ErrorID is the service's id for the error, for its support.
	ErrorID string
	// Type is the service's class of the error (system, driver, ...).
	Type model.ErrorType
	// Violations lists what pre-flight validation found; see
	// [WithValidator].
	Violations []validate.Violation
	// Outcome says whether the document may be registered, for errors of
	// Submit. Errors of Report and Wait concern a document that was
	// accepted, and leave it OutcomeUnknown unless the report says fail.
	Outcome Outcome
	// Err is the underlying cause, if any: a network error, a context
	// error, or a *validate.InvalidError.
	Err error
}

// Error renders the failure on one line:
//
//	evotor: sell ord-1: invalid: HTTP 400, code 32 (system): ... [error_id e-1]
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("evotor:")
	for _, f := range [...]string{e.Op, e.ExternalID} {
		if f != "" {
			b.WriteString(" " + f)
		}
	}
	if e.UUID != "" {
		b.WriteString(" uuid " + e.UUID)
	}
	b.WriteString(": " + e.Kind.String())
	sep := ": "
	if e.HTTPStatus != 0 {
		b.WriteString(sep + "HTTP " + strconv.Itoa(e.HTTPStatus))
		sep = ", "
	}
	if e.Code != NoCode {
		b.WriteString(sep + "code " + strconv.Itoa(e.Code))
		if e.Type != "" {
			b.WriteString(" (" + string(e.Type) + ")")
		}
		sep = ": "
	}
	if e.Text != "" {
		b.WriteString(sep + e.Text)
		sep = ": "
	}
	if e.ErrorID != "" {
		b.WriteString(" [error_id " + e.ErrorID + "]")
	}
	if e.Err != nil {
		b.WriteString(sep + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's kind.
func (e *Error) Is(target error) bool {
	s := sentinel(e.Kind)
	return s != nil && target == s
}

// Transient reports whether sending the same request again may succeed.
func (e *Error) Transient() bool { return e.Kind == KindTransient }

// KindOf returns the kind of the first [*Error] in err's chain, or
// KindUnknown.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// IsTransient reports whether err is a failure that may pass, so that
// sending the same request later, with the same external_id, is worth
// trying.
func IsTransient(err error) bool { return KindOf(err) == KindTransient }

// kindOfCode classifies a service error code met while registering a
// document or asking for a token or report. Codes 33 and 34 are not
// failures and are handled before this.
func kindOfCode(code int, status int) Kind {
	switch code {
	case 0, 1, 50:
		return KindTransient
	case 10, 11, 12, 14:
		return KindAuth
	case 20, 21:
		return KindConfig
	case 13, 31, 32, 40, 41:
		return KindInvalid
	case 30:
		return KindNotFound
	}
	// A code this table does not know: trust the HTTP status class.
	if status >= 500 {
		return KindTransient
	}
	return KindUnknown
}
