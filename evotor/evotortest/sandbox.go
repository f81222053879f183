package evotortest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

// BasePath is the path below which the sandbox answers, as the service
// does.
const BasePath = "/possystem/v5/"

// MaxBody is the largest request body the sandbox accepts, 1 MiB: a
// receipt of 100 items is well below it. Larger bodies are refused with
// code 40 and a text that says so. The service's own limit is not
// documented.
const MaxBody = 1 << 20

// Stats counts what the sandbox saw and did.
type Stats struct {
	// TokenRequests counts getToken requests, answered or not.
	TokenRequests int
	// Registrations counts documents registered: one per external_id.
	Registrations int
	// RepeatedReceipts counts registrations whose operation and receipt
	// (or correction) equal an earlier one's under another external_id:
	// what a client that retries under a new external_id causes, a second
	// sale.
	RepeatedReceipts int
	// Duplicates counts code 33 answers.
	Duplicates int
	// Rejected counts registrations refused with another error (32, 41...).
	Rejected int
	// Reports counts report requests; NotReady those answered with 34.
	Reports, NotReady int
	// Faults counts injected failures: 5xx answers and dropped connections.
	Faults int
	// ExpiredTokens counts requests refused with code 11.
	ExpiredTokens int
	// Callbacks counts callback deliveries attempted, CallbacksSkipped
	// those not made because the callback_url was not a loopback address.
	Callbacks, CallbacksSkipped int
}

// Handler is the sandbox as an [http.Handler], for httptest.NewServer or
// any other server. It serves getToken (GET and POST), the eight
// operations and report below [BasePath], with the service's statuses,
// codes and error shapes, and delivers callbacks to loopback addresses.
// It is safe for concurrent use. Call [Handler.Close] when done, to stop
// callbacks.
type Handler struct {
	cfg config

	mu        sync.Mutex
	tokens    map[string]time.Time // token -> expiry
	docs      map[string]*document // by uuid
	byExt     map[string]*document // by external_id
	draws     map[string]uint64    // requests per fault key
	contents  map[[32]byte]bool    // digests of registered receipts
	seq       uint64               // for error_ids and tokens
	fdn       int64                // last fiscal document number
	shift     int64                // current shift number
	shiftDay  string               // day of the current shift
	receiptNo int64                // last receipt number in the shift
	stats     Stats
	closed    bool
	timers    map[*time.Timer]struct{}

	ctx    context.Context // ends callback deliveries on Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// document is one registered document.
type document struct {
	uuid     string
	extID    string
	req      *model.Request
	readyAt  time.Time
	warnings map[string]string
	report   *model.Report // set when processed
}

// NewHandler returns a sandbox handler configured by opts.
func NewHandler(opts ...Option) *Handler {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.validator == nil {
		cfg.validator = validate.New()
	}
	if cfg.callbackClient == nil {
		cfg.callbackClient = &http.Client{Timeout: 5 * time.Second}
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Handler{
		cfg:      cfg,
		tokens:   map[string]time.Time{},
		docs:     map[string]*document{},
		byExt:    map[string]*document{},
		draws:    map[string]uint64{},
		contents: map[[32]byte]bool{},
		timers:   map[*time.Timer]struct{}{},
		ctx:      ctx,
		cancel:   cancel,
	}
}

// Close stops pending callbacks and waits for those under way.
func (h *Handler) Close() {
	h.mu.Lock()
	h.closed = true
	for t := range h.timers {
		if t.Stop() {
			h.wg.Done()
		}
	}
	h.timers = nil
	h.mu.Unlock()
	h.cancel()
	h.wg.Wait()
}

// WaitCallbacks waits until every callback scheduled so far was delivered.
// Call it when no registration is under way.
func (h *Handler) WaitCallbacks() { h.wg.Wait() }

// Stats returns the counts so far.
func (h *Handler) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats
}

// Registered returns how many documents were registered under externalID:
// 0 or 1, since the sandbox, like the service, registers one per
// external_id.
func (h *Handler) Registered(externalID string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.byExt[externalID]; ok {
		return 1
	}
	return 0
}

// UUID returns the uuid of the document registered under externalID, or "".
func (h *Handler) UUID(externalID string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if d, ok := h.byExt[externalID]; ok {
		return d.uuid
	}
	return ""
}

// ExpireTokens makes every token issued so far expired: the next request
// with one gets code 11.
func (h *Handler) ExpireTokens() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for t := range h.tokens {
		h.tokens[t] = time.Time{}
	}
}

// ServeHTTP implements [http.Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, BasePath)
	if !ok {
		http.NotFound(w, r)
		return
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 1 && parts[0] == "getToken":
		h.getToken(w, r)
	case len(parts) == 3 && parts[1] == "report":
		h.report(w, r, parts[0], parts[2])
	case len(parts) == 2 && parts[0] != "" && parts[1] != "":
		h.register(w, r, parts[0], parts[1])
	default:
		http.NotFound(w, r)
	}
}

// Service error codes the sandbox answers with.
const (
	codeMissingToken    = 10
	codeExpiredToken    = 11
	codeWrongLogin      = 12
	codeValidation      = 13
	codeGroupMismatch   = 20
	codeMissingUUID     = 30
	codeBadOperation    = 31
	codeInvalidReceipt  = 32
	codeExternalIDTaken = 33
	codeNotReady        = 34
	codeBadRequest      = 40
	codeMediaType       = 41
	codeServer          = 50
)

// tooLarge is the text of code 40 for a body over [MaxBody]. The service
// answers 40 without a reason; the sandbox gives one, since a client
// cannot find it otherwise.
const tooLarge = "Некорректный запрос: тело запроса больше 1 " +
	"МиБ (1048576 байт), " +
	"предела песочницы"

// badMethod is the text of code 40 for a method the endpoint does not
// serve.
func badMethod(method, allowed string) string {
	return "Некорректный запрос: " +
		"метод " + method + " не поддерживается, нужен " + allowed
}

// fail writes an error answer in the service's shape.
func (h *Handler) fail(w http.ResponseWriter, httpStatus, code int, status model.ReportStatus,
	text string) {
	h.mu.Lock()
	id := h.newID("error")
	h.mu.Unlock()
	h.write(w, httpStatus, model.RegisterResponse{Status: status, Timestamp: h.now(),
		Error: &model.ServiceError{ErrorID: id, Code: code, Text: text,
			Type: model.ErrorSystem}})
}

func (h *Handler) write(w http.ResponseWriter, status int, v any) {
	data, err := model.Marshal(v)
	if err != nil {
		http.Error(w, "sandbox: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func (h *Handler) now() string {
	return h.cfg.now().In(model.Moscow).Format(model.TimestampLayout)
}

// newID returns a uuid-shaped id drawn from the seed; h.mu is held.
func (h *Handler) newID(kind string) string {
	h.seq++
	return uuidOf(h.cfg.seed, kind, fmt.Sprint(h.seq))
}

// uuidOf returns a version-4-shaped uuid that depends only on its inputs.
func uuidOf(seed uint64, parts ...string) string {
	b := digest(seed, parts...)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func digest(seed uint64, parts ...string) [sha256.Size]byte {
	h := sha256.New()
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], seed)
	h.Write(s[:])
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

// getToken issues a token for the configured credentials, read from a
// POST body or from the query of a GET.
func (h *Handler) getToken(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.stats.TokenRequests++
	h.mu.Unlock()
	if h.inject(w, h.draw(r, "getToken"), false) {
		return
	}
	var tr model.TokenRequest
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		tr = model.TokenRequest{Login: q.Get("login"), Pass: q.Get("pass"),
			Source: q.Get("source")}
	case http.MethodPost:
		data, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
		switch {
		case err != nil:
			h.fail(w, http.StatusBadRequest, codeBadRequest, "",
				"Некорректный запрос: тело запроса не прочитано")
			return
		case len(data) > MaxBody:
			h.fail(w, http.StatusBadRequest, codeBadRequest, "", tooLarge)
			return
		case json.Unmarshal(data, &tr) != nil:
			h.fail(w, http.StatusBadRequest, codeBadRequest, "",
				"Некорректный запрос: тело запроса не JSON-объект getToken")
			return
		}
	default:
		h.fail(w, http.StatusBadRequest, codeBadRequest, "", badMethod(r.Method, "GET, POST"))
		return
	}
	if bad := tokenRequestFields(tr); bad != "" {
		h.fail(w, http.StatusBadRequest, codeValidation, "",
			"Ошибка валидации запроса. Ошибочные поля : "+bad)
		return
	}
	if tr.Login != h.cfg.login || tr.Pass != h.cfg.pass {
		h.fail(w, http.StatusUnauthorized, codeWrongLogin, "", "Неверный логин или пароль")
		return
	}
	h.mu.Lock()
	tok := "sbx-" + strings.ReplaceAll(h.newID("token"), "-", "")
	h.tokens[tok] = h.cfg.now().Add(h.cfg.tokenTTL)
	h.mu.Unlock()
	h.write(w, http.StatusOK, model.TokenResponse{Token: tok, Timestamp: h.now()})
}

// tokenRequestFields checks getToken's schema: login without whitespace,
// at most 100 characters each, source of [a-zA-Z0-9_-@.].
func tokenRequestFields(tr model.TokenRequest) string {
	var bad []string
	switch {
	case tr.Login == "":
		bad = append(bad, "PropertyRequired: #/login")
	case len(tr.Login) > 100:
		bad = append(bad, "StringTooLong: #/login")
	case strings.ContainsAny(tr.Login, " \t\r\n\v\f"):
		bad = append(bad, "PatternMismatch: #/login")
	}
	switch {
	case tr.Pass == "":
		bad = append(bad, "PropertyRequired: #/pass")
	case len(tr.Pass) > 100:
		bad = append(bad, "StringTooLong: #/pass")
	}
	if len(tr.Source) > 100 {
		bad = append(bad, "StringTooLong: #/source")
	} else if strings.IndexFunc(tr.Source, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.ContainsRune("_-@.", c))
	}) >= 0 {
		bad = append(bad, "PatternMismatch: #/source")
	}
	return strings.Join(bad, ", ")
}

// authorize checks the token and the group, and answers the failure.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, group string) bool {
	tok := r.Header.Get("Token")
	if tok == "" {
		tok = r.URL.Query().Get("token")
	}
	h.mu.Lock()
	exp, known := h.tokens[tok]
	expired := known && !h.cfg.now().Before(exp)
	if expired {
		h.stats.ExpiredTokens++
	}
	h.mu.Unlock()
	switch {
	case !known:
		h.fail(w, http.StatusUnauthorized, codeMissingToken, "",
			"Передан некорректный токен")
	case expired:
		h.fail(w, http.StatusUnauthorized, codeExpiredToken, "",
			"Срок действия токена истёк")
	case group != h.cfg.group:
		h.fail(w, http.StatusUnauthorized, codeGroupMismatch, "",
			"Переданный код группы не соответствует токену")
	default:
		return true
	}
	return false
}

// register serves POST /{group}/{operation}.
func (h *Handler) register(w http.ResponseWriter, r *http.Request, group, opName string) {
	if r.Method != http.MethodPost {
		h.fail(w, http.StatusBadRequest, codeBadRequest, "", badMethod(r.Method, "POST"))
		return
	}
	if !h.authorize(w, r, group) {
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct),
		"application/json") {
		h.reject(w, http.StatusUnsupportedMediaType, codeMediaType, "",
			"Неподдерживаемый тип содержимого: "+ct)
		return
	}
	op := model.Operation(opName)
	if !op.Valid() {
		h.reject(w, http.StatusBadRequest, codeBadOperation, "",
			"Операция "+opName+" не поддерживается")
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	switch {
	case err != nil:
		h.reject(w, http.StatusBadRequest, codeBadRequest, "",
			"Некорректный запрос: тело запроса не прочитано")
		return
	case len(data) > MaxBody:
		h.reject(w, http.StatusBadRequest, codeBadRequest, "", tooLarge)
		return
	}
	req, fields, malformed := h.check(op, data)
	f := h.draw(r, "register/"+externalID(req, data))
	if h.inject(w, f, false) {
		return
	}
	if malformed {
		h.reject(w, http.StatusBadRequest, codeBadRequest, model.StatusFail,
			"Некорректный JSON")
		return
	}
	if fields != "" {
		h.reject(w, http.StatusBadRequest, codeInvalidReceipt, model.StatusFail,
			"Ошибка валидации входного чека. Ошибочные поля : "+fields)
		return
	}

	h.mu.Lock()
	if d, ok := h.byExt[req.ExternalID]; ok {
		h.stats.Duplicates++
		id := h.newID("error")
		h.mu.Unlock()
		h.write(w, http.StatusBadRequest, model.RegisterResponse{UUID: d.uuid,
			Status: model.StatusWait, Timestamp: h.now(),
			Error: &model.ServiceError{ErrorID: id, Code: codeExternalIDTaken,
				Type: model.ErrorSystem,
				Text: "В системе существует чек с external_id : " + req.ExternalID +
					" и group_code: " + group}})
		return
	}
	d := &document{uuid: uuidOf(h.cfg.seed, "doc", group, req.ExternalID),
		extID: req.ExternalID, req: req,
		readyAt: h.cfg.now().Add(h.cfg.processing), warnings: callbackWarnings(req)}
	h.byExt[d.extID] = d
	h.docs[d.uuid] = d
	h.stats.Registrations++
	if c := contentDigest(op, req); h.contents[c] {
		h.stats.RepeatedReceipts++
	} else {
		h.contents[c] = true
	}
	h.scheduleCallback(d)
	h.mu.Unlock()

	if h.inject(w, f, true) {
		return
	}
	h.write(w, http.StatusOK, model.RegisterResponse{UUID: d.uuid, Status: model.StatusWait,
		Timestamp: h.now()})
}

// contentDigest identifies what a document sells, whatever its
// external_id, timestamp and callback.
func contentDigest(op model.Operation, req *model.Request) [32]byte {
	body, _ := model.Marshal(struct {
		R *model.Receipt    `json:"r,omitempty"`
		C *model.Correction `json:"c,omitempty"`
	}{req.Receipt, req.Correction})
	return digest(0, string(op), string(body))
}

func (h *Handler) reject(w http.ResponseWriter, httpStatus, code int, st model.ReportStatus,
	text string) {
	h.mu.Lock()
	h.stats.Rejected++
	h.mu.Unlock()
	h.fail(w, httpStatus, code, st, text)
}

// externalID returns the request's external_id for drawing faults, even
// from a body that did not decode.
func externalID(req *model.Request, data []byte) string {
	if req != nil && req.ExternalID != "" {
		return req.ExternalID
	}
	var v struct {
		ExternalID string `json:"external_id"`
	}
	_ = json.Unmarshal(data, &v)
	return v.ExternalID
}

// report serves GET /{group}/report/{uuid}.
func (h *Handler) report(w http.ResponseWriter, r *http.Request, group, uuid string) {
	if r.Method != http.MethodGet {
		h.fail(w, http.StatusBadRequest, codeBadRequest, "", badMethod(r.Method, "GET"))
		return
	}
	if !h.authorize(w, r, group) {
		return
	}
	if h.inject(w, h.draw(r, "report/"+uuid), false) {
		return
	}
	h.mu.Lock()
	h.stats.Reports++
	d, ok := h.docs[uuid]
	if !ok {
		h.mu.Unlock()
		h.fail(w, http.StatusBadRequest, codeMissingUUID, model.StatusFail,
			"Не найден чек с uuid "+uuid)
		return
	}
	if h.cfg.now().Before(d.readyAt) {
		h.stats.NotReady++
		id := h.newID("error")
		h.mu.Unlock()
		h.write(w, http.StatusOK, model.Report{UUID: uuid, Status: model.StatusWait,
			Timestamp: h.now(), GroupCode: h.cfg.group, ExternalID: d.extID,
			Error: &model.ServiceError{ErrorID: id, Code: codeNotReady,
				Type: model.ErrorSystem, Text: "Состояние чека не найдено. " +
					"Попробуйте позднее"}})
		return
	}
	rep := h.process(d)
	h.mu.Unlock()
	h.write(w, http.StatusOK, rep)
}

// fault is what the seed decided for one request.
type fault struct {
	kind  faultKind
	after bool // strike after the work is done (registrations only)
}

type faultKind int

const (
	noFault faultKind = iota
	dropFault
	serverFault
)

// draw decides the faults of the request that is the n-th with this key,
// and waits its latency. Keys name a document (or getToken), so that the
// decision does not depend on how requests interleave.
func (h *Handler) draw(r *http.Request, key string) fault {
	h.mu.Lock()
	n := h.draws[key]
	h.draws[key] = n + 1
	h.mu.Unlock()
	b := digest(h.cfg.seed, "fault", key, fmt.Sprint(n))
	x := binary.BigEndian.Uint64(b[:8])
	y := binary.BigEndian.Uint64(b[8:16])
	if h.cfg.latency > 0 {
		t := time.NewTimer(time.Duration(y%1001) * h.cfg.latency / 1000)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	var f fault
	switch roll := x % million; {
	case roll < h.cfg.drops:
		f.kind = dropFault
	case roll < h.cfg.drops+h.cfg.serverErrors:
		f.kind = serverFault
	}
	// Only registrations do work that outlives the answer.
	f.after = strings.HasPrefix(key, "register/") && (y>>32)%2 == 1
	return f
}

// inject answers with the fault f if it strikes at this point (after the
// work or before it), and reports whether it did.
func (h *Handler) inject(w http.ResponseWriter, f fault, after bool) bool {
	if f.kind == noFault || f.after != after {
		return false
	}
	h.countFault()
	if f.kind == dropFault {
		dropConnection(w)
	} else {
		h.fail(w, http.StatusInternalServerError, codeServer, "", "Внутренняя ошибка "+
			"сервера")
	}
	return true
}

func (h *Handler) countFault() {
	h.mu.Lock()
	h.stats.Faults++
	h.mu.Unlock()
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 and recorders cannot be hijacked; this makes the server
	// abandon the exchange instead.
	panic(http.ErrAbortHandler)
}

// callbackWarnings reports a callback_url that does not match the service's
// mask: the document is still accepted, with a warning in its report.
func callbackWarnings(req *model.Request) map[string]string {
	if req.Service == nil || req.Service.CallbackURL == "" {
		return nil
	}
	if callbackMask.MatchString(req.Service.CallbackURL) {
		return nil
	}
	return map[string]string{"callback_url": "callback_url не соответствует маске"}
}
