package evotortest

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
)

// scheduleCallback arranges for d's report to be posted to its
// callback_url once processed. Only loopback addresses get callbacks: the
// sandbox sends nothing off this machine. h.mu is held.
func (h *Handler) scheduleCallback(d *document) {
	if d.req.Service == nil || d.req.Service.CallbackURL == "" || d.warnings != nil ||
		h.closed {
		return
	}
	u := d.req.Service.CallbackURL
	if !loopbackURL(u) {
		h.stats.CallbacksSkipped++
		return
	}
	b := digest(h.cfg.seed, "callback", d.uuid)
	twice := binary.BigEndian.Uint64(b[:8])%million < h.cfg.dupCallbacks
	h.wg.Add(1)
	var t *time.Timer
	t = time.AfterFunc(h.cfg.processing, func() {
		defer h.wg.Done()
		// The lock also orders this read of t after its assignment below.
		h.mu.Lock()
		delete(h.timers, t)
		rep := h.process(d)
		h.mu.Unlock()
		h.deliver(u, rep)
		if twice {
			h.deliver(u, rep)
		}
	})
	h.timers[t] = struct{}{}
}

// deliver posts the report once; the answer does not matter.
func (h *Handler) deliver(u string, rep *model.Report) {
	h.mu.Lock()
	h.stats.Callbacks++
	h.mu.Unlock()
	data, err := model.Marshal(rep)
	if err != nil {
		return
	}
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, u, bytes.NewReader(data))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	hc := *h.cfg.callbackClient
	// A redirect could lead off this machine.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	resp, err := hc.Do(req)
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
}

// loopbackURL reports whether u is an http(s) URL whose host is a loopback
// IP address. Names, localhost included, are refused: resolving one could
// lead anywhere.
func loopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") {
		return false
	}
	ip := net.ParseIP(p.Hostname())
	return ip != nil && ip.IsLoopback()
}
