package evotor

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// Submission is the service's acceptance of a document: the uuid to poll
// with [Client.Report] or [Client.Wait].
type Submission struct {
	Operation  model.Operation
	ExternalID string
	UUID       string
	// Status is the status the service answered, normally wait.
	Status model.ReportStatus
	// Duplicate is true when the document had been accepted before, by an
	// earlier Submit or an attempt whose answer was lost: the service
	// answered code 33, or the journal already held the uuid. UUID is then
	// the original document's.
	Duplicate bool
	// Timestamp is the service's time of the answer, "" for a duplicate
	// found in the journal.
	Timestamp string
}

// String describes the submission on one line.
func (s *Submission) String() string {
	d := ""
	if s.Duplicate {
		d = " (duplicate)"
	}
	return fmt.Sprintf("%s %s: uuid %s, status %s%s", s.Operation, s.ExternalID, s.UUID,
		s.Status, d)
}

// codeExists is the service's "external_id already exists" (33): the
// answer carries the uuid of the document registered under it.
const codeExists = 33

type registerAnswer struct{ model.RegisterResponse }

func (a *registerAnswer) reset()                          { *a = registerAnswer{} }
func (a *registerAnswer) serviceErr() *model.ServiceError { return a.Error }

// Submit registers req as a document of operation op and returns the uuid
// the service assigned. It does not wait for the document to be processed;
// see [Client.Wait].
//
// Submit never causes a second sale. Every attempt sends the same bytes
// with the same external_id, so a network failure or an HTTP 5xx after
// sending is retried safely: the service registers one document per
// external_id and answers a repeat with code 33 and the original uuid,
// which Submit returns with Duplicate set. Before sending, Submit records
// the body's SHA-256 in the journal (see [WithJournal]); a different body
// under an external_id already recorded is refused with [ErrConflict] and
// not sent, and so is a code 33 for a body that cannot be confirmed as the
// one sent before.
//
// Concurrent calls for the same external_id in one client run one after
// another, so that the later ones find the first one's uuid in the journal
// and return it with Duplicate set, without sending.
//
// Errors are [*Error]s: check [KindOf] or errors.Is with the sentinels,
// and [OutcomeOf] before sending the document again under a new
// external_id, which is safe only when nothing can have been registered.
func (c *Client) Submit(ctx context.Context, op model.Operation, req *model.Request) (
	*Submission, error) {
	opName := string(op)
	if err := checkShape(op, req); err != nil {
		return nil, err
	}
	extra := contacts(req)
	if c.validator != nil {
		if res := c.validator.Request(op, req); !res.Valid() {
			return nil, preflightError(opName, req.ExternalID, res, c.redactor(extra...))
		}
	}
	body, err := model.Marshal(req)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Op: opName, ExternalID: req.ExternalID,
			Code: NoCode, Text: "request cannot be written as JSON", Err: err,
			Outcome: OutcomeNotSent}
	}
	s := &submit{c: c, op: op, body: body, extra: extra,
		key:    JournalKey{Group: c.group, ExternalID: req.ExternalID},
		digest: Digest(op, body)}
	if len(body) > largeBody {
		c.logAt(ctx, slog.LevelWarn, "evotor: large body; the sandbox refuses bodies over "+
			"1 MiB and the service's limit is not documented",
			append(s.attrs(), slog.Int("bytes", len(body)))...)
	}
	unlock, err := c.sending.lock(ctx, s.key)
	if err != nil {
		e := s.withCtx(err)
		e.Text = "gave up waiting for another Submit of this external_id; nothing was sent"
		e.Outcome = OutcomeNotSent
		return nil, e
	}
	defer unlock()
	return s.run(ctx)
}

// largeBody is the size above which Submit warns, in its log and in the
// error of a code 40: the sandbox refuses larger bodies. The service's own
// limit is not documented; a receipt of 100 items is far below this.
const largeBody = 1 << 20

// checkShape refuses what cannot be sent at all: the service would answer
// 31 or 32, and a caller's nil would panic.
func checkShape(op model.Operation, req *model.Request) error {
	e := &Error{Kind: KindInvalid, Op: string(op), Code: NoCode, Outcome: OutcomeNotSent}
	switch {
	case !op.Valid():
		e.Text = fmt.Sprintf("unknown operation %q", string(op))
	case req == nil:
		e.Text = "nil request"
	case req.ExternalID == "":
		e.Text = "request has no external_id; the service needs one to register " +
			"the document once"
	case op.IsCorrection() && (req.Correction == nil || req.Receipt != nil):
		e.Text = "a " + string(op) + " request carries correction and no receipt"
	case !op.IsCorrection() && (req.Receipt == nil || req.Correction != nil):
		e.Text = "a " + string(op) + " request carries receipt and no correction"
	default:
		return nil
	}
	if req != nil {
		e.ExternalID = req.ExternalID
	}
	return e
}

// contacts returns the buyer's email and phone, which must not reach an
// error or a log line.
func contacts(req *model.Request) []string {
	b := req.Body()
	if b == nil || b.Client == nil {
		return nil
	}
	return []string{b.Client.Email, b.Client.Phone}
}

func preflightError(op, extID string, res validate.Result, red redactor) *Error {
	vs := res.Errors()
	for i := range vs {
		v := &vs[i]
		v.MessageRU, v.MessageEN = red.clean(v.MessageRU), red.clean(v.MessageEN)
		v.Expected, v.Actual = red.clean(v.Expected), red.clean(v.Actual)
	}
	return &Error{Kind: KindInvalid, Op: op, ExternalID: extID, Code: NoCode,
		Text: "refused before sending", Violations: vs, Outcome: OutcomeNotSent,
		Err: &validate.InvalidError{Violations: vs}}
}

// BUG(evotor): A code 33 that follows an attempt whose answer was lost is
// taken as that attempt's registration. If, in between, another client
// registered a different body under the same external_id, Submit cannot
// tell: the service returns only the uuid, not the body it holds. Keep
// external_ids unique per document (order, operation and attempt).

// submit is the state of one Submit call.
type submit struct {
	c      *Client
	op     model.Operation
	body   []byte
	extra  []string
	key    JournalKey
	digest [sha256.Size]byte
	// loaded is true when the journal held this body before the call: an
	// earlier call sent it, and may have registered it.
	loaded bool
	// reached is true once an attempt of this call may have delivered any
	// of its request to the service.
	reached bool
	// maybeSent is true once an attempt of this call may have reached the
	// service without an answer saying what became of it.
	maybeSent bool
}

func (s *submit) err(k Kind, text string) *Error {
	return &Error{Kind: k, Op: string(s.op), ExternalID: s.key.ExternalID, Code: NoCode,
		Text: text}
}

func (s *submit) run(ctx context.Context) (*Submission, error) {
	c := s.c
	stored, loaded, err := c.journal.Begin(ctx, s.key, s.digest)
	if err != nil {
		e := s.err(KindUnknown, "journal failed; nothing was sent")
		e.Err, e.Outcome = err, OutcomeNotSent
		return nil, e
	}
	if loaded && stored.Digest != s.digest {
		c.logAt(ctx, slog.LevelWarn, "evotor: external_id conflict", s.attrs()...)
		text := "external_id " + s.key.ExternalID + " was already sent with a different " +
			"body (SHA-256 differs)"
		if stored.UUID != "" {
			text += " and registered as uuid " + stored.UUID
		}
		e := s.err(KindConflict, text+"; nothing was sent. A new document needs a new "+
			"external_id")
		e.UUID, e.Outcome = stored.UUID, OutcomeNotSent
		return nil, e
	}
	if loaded && stored.UUID != "" {
		c.logAt(ctx, slog.LevelInfo, "evotor: already accepted",
			append(s.attrs(), slog.String("uuid", stored.UUID))...)
		return &Submission{Operation: s.op, ExternalID: s.key.ExternalID, UUID: stored.UUID,
			Status: model.StatusWait, Duplicate: true}, nil
	}
	s.loaded = loaded

	u := c.endpoint(c.group, string(s.op))
	var ans registerAnswer
	for attempt := 0; ; attempt++ {
		r, e := s.attempt(ctx, u, &ans)
		if e == nil {
			return s.accepted(ctx, &ans, false)
		}
		if e.Code == codeExists {
			return s.duplicate(ctx, &ans, e)
		}
		if r.lastReached && (e.Kind == KindTransient || e.Kind == KindUnknown) {
			s.maybeSent = true
		}
		// A token failure was retried by the token fetch already. A
		// failure to connect is retried like any transient one: it is
		// safe, since nothing was sent.
		if r.token || e.Kind != KindTransient || attempt+1 >= c.retry.MaxAttempts ||
			ctx.Err() != nil {
			return nil, s.fail(ctx, e)
		}
		c.logAt(ctx, slog.LevelInfo, "evotor: retrying", append(s.attrs(),
			append([]slog.Attr{slog.Int("attempt", attempt+1)}, errAttrs(e)...)...)...)
		if err := sleep(ctx, backoff(c.retry.MinBackoff, c.retry.MaxBackoff, attempt)); err != nil {
			return nil, s.fail(ctx, s.withCtx(err))
		}
	}
}

// attemptResult says how far one attempt got.
type attemptResult struct {
	// lastReached is true when the attempt's last exchange may have
	// delivered the body: it got a connection, or an answer.
	lastReached bool
	// token is true when the attempt ended because no token was had.
	token bool
}

// attempt sends the body once, refreshing the token once if the service
// refuses it, and reports how far the body got. It sets s.reached.
func (s *submit) attempt(ctx context.Context, u string, ans *registerAnswer) (attemptResult,
	*Error) {
	c := s.c
	stale := ""
	for refreshed := false; ; refreshed = true {
		tok, err := c.token(ctx, stale)
		if err != nil {
			var te *Error
			if !errors.As(err, &te) {
				te = s.withCtx(err)
			}
			e := *te // a copy: other callers share the token's error
			e.ExternalID = s.key.ExternalID
			return attemptResult{token: true}, &e
		}
		st, reached, xerr := c.exchange(ctx, http.MethodPost, u, s.body, tok, ans)
		s.reached = s.reached || reached
		e := c.classify(string(s.op), st, xerr, ans.Error, s.extra...)
		if e == nil && ans.UUID == "" {
			e = s.err(KindUnknown, "answer has neither a uuid nor an error")
			e.HTTPStatus = st
		}
		if e == nil {
			return attemptResult{lastReached: true}, nil
		}
		e.ExternalID = s.key.ExternalID
		if e.Code == 40 && len(s.body) > largeBody {
			e.Text += fmt.Sprintf(" (the body is %d bytes; the service may limit its size)",
				len(s.body))
		}
		if e.Code == 10 || e.Code == 11 {
			if !refreshed {
				c.logAt(ctx, slog.LevelInfo, "evotor: token refused, refreshing",
					append(s.attrs(), slog.Int("code", e.Code))...)
				stale = tok
				continue
			}
			e.Text += " (after a token refresh)"
		}
		return attemptResult{lastReached: reached}, e
	}
}

func (s *submit) withCtx(err error) *Error {
	e := contextError(string(s.op), err)
	e.ExternalID = s.key.ExternalID
	return e
}

func (s *submit) accepted(ctx context.Context, ans *registerAnswer, dup bool) (*Submission,
	error) {
	c := s.c
	if err := c.journal.Accept(ctx, s.key, s.digest, ans.UUID); err != nil {
		// The document is registered; only the record of it failed. The
		// caller must know both.
		e := s.err(KindUnknown, "registered as uuid "+ans.UUID+", but the journal failed")
		e.UUID, e.Err, e.Outcome = ans.UUID, err, OutcomeUnknown
		return nil, e
	}
	st := ans.Status
	if st == "" {
		st = model.StatusWait
	}
	c.logAt(ctx, slog.LevelInfo, "evotor: accepted", append(s.attrs(),
		slog.String("uuid", ans.UUID), slog.Bool("duplicate", dup))...)
	return &Submission{Operation: s.op, ExternalID: s.key.ExternalID, UUID: ans.UUID,
		Status: st, Duplicate: dup, Timestamp: ans.Timestamp}, nil
}

// duplicate resolves code 33, "external_id already exists". It is this
// very document only if this body may have reached the service before:
// sent by an attempt of this call whose answer was lost, or recorded in
// the journal by an earlier call. Otherwise the service holds a document
// this client cannot vouch for.
func (s *submit) duplicate(ctx context.Context, ans *registerAnswer, e *Error) (*Submission,
	error) {
	if !s.maybeSent && !s.loaded {
		_ = s.c.journal.Forget(ctx, s.key, s.digest)
		e.Kind, e.Outcome = KindConflict, OutcomeUnknown
		e.Text = "external_id " + s.key.ExternalID + " is already registered, but not from " +
			"a body in this client's journal: it cannot be confirmed to be this document; " +
			"this document may have been registered, so do not send it under a new " +
			"external_id before checking: " + e.Text
		e.UUID = ans.UUID
		return nil, e
	}
	if ans.UUID == "" {
		e.Text = "external_id exists, but the answer carries no uuid: " + e.Text
		e.Outcome = OutcomeUnknown
		return nil, e
	}
	return s.accepted(ctx, ans, true)
}

// fail ends the call with e, forgetting the body when the service's answer
// proves that nothing was registered, so that the request can be fixed and
// sent again under the same external_id. It sets e's Outcome.
func (s *submit) fail(ctx context.Context, e *Error) error {
	c := s.c
	switch {
	case e.Code == 13 || e.Code == 31 || e.Code == 32 || e.Code == 40 || e.Code == 41:
		// These refuse the bytes themselves, which every attempt sent
		// identically: no attempt can have registered them.
		_ = c.journal.Forget(ctx, s.key, s.digest)
		e.Outcome = OutcomeRefused
	case !s.maybeSent && !s.loaded:
		// Nothing of this body can have been registered.
		_ = c.journal.Forget(ctx, s.key, s.digest)
		e.Outcome = OutcomeRefused
		if !s.reached {
			e.Outcome = OutcomeNotSent
			e.Text += "; nothing was sent"
		}
	default:
		e.Outcome = OutcomeUnknown
		e.Text += "; the document may have been registered: submit the same request " +
			"(same external_id) again to find out, never under a new external_id"
	}
	c.logAt(ctx, slog.LevelWarn, "evotor: not accepted", append(s.attrs(), errAttrs(e)...)...)
	return e
}

func (s *submit) attrs() []slog.Attr {
	return []slog.Attr{slog.String("op", string(s.op)),
		slog.String("external_id", s.key.ExternalID)}
}
