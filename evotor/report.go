package evotor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/evoreceipt/evoreceipt/model"
)

type reportAnswer struct{ model.Report }

func (a *reportAnswer) reset()                          { *a = reportAnswer{} }
func (a *reportAnswer) serviceErr() *model.ServiceError { return a.Error }

// codeNotReady is the service's "state not found, try later" (34): the
// document is accepted and still being processed.
const codeNotReady = 34

// maxUUID is the longest uuid the service issues.
const maxUUID = 128

// Report asks once for the result of processing the document uuid. A
// document still being processed comes back as a report with status wait
// (and code 34 in its error), not as an error; so does a document that
// failed, with status fail. An error means that the question itself
// failed: an unknown uuid ([ErrNotFound]), credentials, the network, or an
// answer that is the report of another uuid. Transient failures are
// retried as [RetryPolicy] says.
//
// The report's texts (its error, warnings, group, server and device names)
// are cleaned like an error's: the password, tokens and anything shaped
// like an e-mail address or a phone number are replaced by [redacted].
func (c *Client) Report(ctx context.Context, uuid string) (*model.Report, error) {
	if !validUUID(uuid) {
		return nil, &Error{Kind: KindInvalid, Op: "report", Code: NoCode,
			Text: fmt.Sprintf("uuid %q is not one the service issues", uuid)}
	}
	u := c.endpoint(c.group, "report", uuid)
	var ans reportAnswer
	for attempt := 0; ; attempt++ {
		e := c.reportOnce(ctx, u, &ans)
		if e == nil {
			return c.checkReport(uuid, ans.Report)
		}
		e.UUID = uuid
		if e.Kind != KindTransient || attempt+1 >= c.retry.MaxAttempts || ctx.Err() != nil {
			return nil, e
		}
		c.logAt(ctx, slog.LevelInfo, "evotor: retrying report",
			append([]slog.Attr{slog.String("uuid", uuid)}, errAttrs(e)...)...)
		if err := sleep(ctx, backoff(c.retry.MinBackoff, c.retry.MaxBackoff, attempt)); err != nil {
			e := contextError("report", err)
			e.UUID = uuid
			return nil, e
		}
	}
}

// checkReport vouches that r is the report of the document uuid and
// cleans its texts. A report of another document (a mixed-up proxy, a
// broken service) is refused: taking its status would report this
// document as registered, or failed, on another's word. The uuid is filled
// in when the answer leaves it out.
func (c *Client) checkReport(uuid string, r model.Report) (*model.Report, error) {
	red := c.redactor()
	if r.UUID != "" && r.UUID != uuid {
		return nil, &Error{Kind: KindUnknown, Op: "report", UUID: uuid, Code: NoCode,
			Text: fmt.Sprintf("the service answered with the report of uuid %q, not of "+
				"this document; its status is not taken", red.clean(r.UUID))}
	}
	r.UUID = uuid
	red.report(&r)
	return &r, nil
}

// reportOnce makes one report request, refreshing the token once if the
// service refuses it.
func (c *Client) reportOnce(ctx context.Context, u string, ans *reportAnswer) *Error {
	stale := ""
	for refreshed := false; ; refreshed = true {
		tok, err := c.token(ctx, stale)
		if err != nil {
			var te *Error
			if errors.As(err, &te) {
				cp := *te
				return &cp
			}
			return contextError("report", err)
		}
		st, _, xerr := c.exchange(ctx, http.MethodGet, u, nil, tok, ans)
		se := ans.Error
		if xerr == nil && se != nil && !queryFailure(st, se) {
			// The document's own outcome (wait, or a failure while
			// registering it): a report, not a failed question.
			return nil
		}
		e := c.classify("report", st, xerr, se)
		if e == nil {
			return nil
		}
		if (e.Code == 10 || e.Code == 11) && !refreshed {
			stale = tok
			continue
		}
		return e
	}
}

// validUUID reports whether s can be a uuid of the service: 1 to 128
// printable ASCII characters that cannot change the report URL's path.
func validUUID(s string) bool {
	if s == "" || len(s) > maxUUID || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("/?#%\\", c) >= 0 {
			return false
		}
	}
	return true
}

// queryFailure reports whether an error in a report answer is about the
// question (a bad uuid, the token, the group) rather than the document.
func queryFailure(status int, se *model.ServiceError) bool {
	switch se.Type {
	case model.ErrorDriver, model.ErrorAgent, model.ErrorTimeout:
		// Cash register, agent and queue errors are the document's.
		return false
	}
	switch se.Code {
	case codeNotReady:
		return false
	case 10, 11, 12, 13, 14, 20, 21, 30, 31, 32, 40, 41, 50:
		return true
	}
	return status >= 400
}

// Wait polls the report of uuid until the document is processed, and
// returns the report. It waits between polls as [RetryPolicy] says (PollMin
// doubling to PollMax, with jitter) while the status is wait or the
// service answers code 34, and keeps polling through transient failures.
// Only ctx bounds it: give it a deadline.
//
// A document that failed comes back with its report and an [*Error] of
// [KindFailed] carrying the report's error. When ctx ends, Wait returns
// the last report it saw, if any, with the context's error wrapped.
func (c *Client) Wait(ctx context.Context, uuid string) (*model.Report, error) {
	var last *model.Report
	for poll := 0; ; poll++ {
		rep, err := c.Report(ctx, uuid)
		switch {
		case err != nil && (!IsTransient(err) || ctx.Err() != nil):
			if ctx.Err() != nil {
				e := contextError("report", ctx.Err())
				e.UUID = uuid
				return last, e
			}
			return last, err
		case err != nil:
			// Transient: Report retried already; keep polling.
		case rep.Status == model.StatusDone:
			return rep, nil
		case rep.Status == model.StatusFail:
			return rep, c.failedError(rep)
		case rep.Status == model.StatusWait ||
			rep.Error != nil && rep.Error.Code == codeNotReady:
			last = rep
		default:
			return rep, &Error{Kind: KindUnknown, Op: "report", UUID: uuid, Code: NoCode,
				Text: "unknown status " + c.redactor().clean(string(rep.Status))}
		}
		if err := sleep(ctx, backoff(c.retry.PollMin, c.retry.PollMax, poll)); err != nil {
			e := contextError("report", err)
			e.UUID = uuid
			return last, e
		}
	}
}

// failedError describes a report with status fail.
func (c *Client) failedError(r *model.Report) *Error {
	e := &Error{Kind: KindFailed, Op: "report", UUID: r.UUID, ExternalID: r.ExternalID,
		Code: NoCode, Text: "the document was not registered", Outcome: OutcomeRefused}
	if se := r.Error; se != nil {
		red := c.redactor()
		e.Code, e.ErrorID, e.Type = se.Code, red.clean(se.ErrorID), se.Type
		e.Text = red.clean(se.Text)
	}
	return e
}
