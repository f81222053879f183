package evotor

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/evoreceipt/evoreceipt/model"
)

// maxCallback bounds the body of one callback; a report is a few
// kilobytes.
const maxCallback = 1 << 20

// CallbackHandler returns the handler to serve at the callback_url of
// documents (service.callback_url): it reads the report the service POSTs
// when a document is processed and passes it to fn.
//
// It answers 200 when fn returns nil, 500 when fn fails (so that a service
// that redelivers may try again), 400 for a body that is not a report and
// 405 for other methods. The service documents neither redelivery nor
// signing of callbacks: fn may see the same report twice and should be
// idempotent, and a report that matters should be confirmed with
// [Client.Report], since anyone who knows the URL can post to it.
func CallbackHandler(fn func(ctx context.Context, r *model.Report) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		r, status, msg := readCallback(req)
		if r == nil {
			http.Error(w, msg, status)
			return
		}
		if err := fn(req.Context(), r); err != nil {
			// The caller's error may say anything; it stays on this side.
			http.Error(w, "report not handled", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, "{}")
	})
}

// ParseReport reads a report as the service sends it, from the report
// endpoint or a callback. It refuses a report without uuid or with an
// unknown status.
func ParseReport(data []byte) (*model.Report, error) {
	var r model.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, errors.New("evotor: report is not valid JSON: " + err.Error())
	}
	if r.UUID == "" {
		return nil, errors.New("evotor: report has no uuid")
	}
	if !r.Status.Valid() {
		return nil, errors.New("evotor: report has unknown status " + string(r.Status))
	}
	return &r, nil
}

func readCallback(req *http.Request) (*model.Report, int, string) {
	data, err := io.ReadAll(io.LimitReader(req.Body, maxCallback+1))
	if err != nil {
		return nil, http.StatusBadRequest, "body not read"
	}
	if len(data) > maxCallback {
		return nil, http.StatusRequestEntityTooLarge, "report too large"
	}
	r, err := ParseReport(data)
	if err != nil {
		return nil, http.StatusBadRequest, err.Error()
	}
	return r, 0, ""
}
