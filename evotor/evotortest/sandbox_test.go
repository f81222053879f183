package evotortest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
)

const validBody = `{
  "timestamp": "05.01.2026 10:15:00",
  "external_id": "order-123-sell-1",
  "receipt": {
    "client": {"email": "buyer@example.com"},
    "company": {"email": "shop@example.com", "sno": "osn", "inn": "5544332219",
                "payment_address": "https://shop.example"},
    "items": [
      {"name": "Товар", "price": 61.00, "quantity": 2, "measure": 0, "sum": 122.00,
       "payment_method": "full_payment", "payment_object": 1,
       "vat": {"type": "vat22", "sum": 22.00}}
    ],
    "payments": [{"type": 1, "sum": 122.00}],
    "vats": [{"type": "vat22", "sum": 22.00}],
    "total": 122.00
  }
}`

// exchange is a test client for the handler that speaks raw HTTP.
type exchange struct {
	t   *testing.T
	url string
	hc  *http.Client
}

func newExchange(t *testing.T, opts ...Option) (*exchange, *Server) {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return &exchange{t: t, url: s.URL, hc: s.Client()}, s
}

// do sends a request and decodes the answer into a generic map.
func (e *exchange) do(method, path, token, ctype, body string) (int, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Token", token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		e.t.Fatalf("%s %s: answer is not JSON: %q", method, path, data)
	}
	return resp.StatusCode, m
}

func (e *exchange) token() string {
	e.t.Helper()
	st, m := e.do("POST", "getToken", "", "application/json",
		`{"login":"sandbox","pass":"sandbox-password"}`)
	if st != 200 || m["token"] == nil {
		e.t.Fatalf("getToken: %d %v", st, m)
	}
	return m["token"].(string)
}

func code(m map[string]any) int {
	if e, ok := m["error"].(map[string]any); ok {
		return int(e["code"].(float64))
	}
	return -1
}

func text(m map[string]any) string {
	if e, ok := m["error"].(map[string]any); ok {
		s, _ := e["text"].(string)
		return s
	}
	return ""
}

const jsonCT = "application/json; charset=utf-8"

func TestGetToken(t *testing.T) {
	t.Parallel()
	e, _ := newExchange(t)
	q := url.Values{"login": {"sandbox"}, "pass": {"sandbox-password"}}.Encode()
	tests := []struct {
		name, method, path, body string
		status, code             int
	}{
		{"post", "POST", "getToken", `{"login":"sandbox","pass":"sandbox-password"}`, 200, -1},
		{"get", "GET", "getToken?" + q, "", 200, -1},
		{"wrong password", "POST", "getToken", `{"login":"sandbox","pass":"nope"}`, 401, 12},
		{"login with space", "POST", "getToken", `{"login":"a b","pass":"x"}`, 400, 13},
		{"not json", "POST", "getToken", `{`, 400, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, m := e.do(tt.method, tt.path, "", "application/json", tt.body)
			if st != tt.status || code(m) != tt.code {
				t.Fatalf("got HTTP %d code %d, want %d %d: %v", st, code(m), tt.status,
					tt.code, m)
			}
			if tt.code < 0 && m["token"] == "" {
				t.Fatal("no token")
			}
			if tt.code >= 0 && m["token"] != nil {
				t.Fatal("token in an error answer")
			}
		})
	}
}

func TestRegisterErrors(t *testing.T) {
	t.Parallel()
	e, s := newExchange(t)
	tok := e.token()
	missingTotal := strings.Replace(validBody, `"total": 122.00`, `"cashier": "x"`, 1)
	badSum := strings.Replace(validBody, `"sum": 122.00`, `"sum": 120.00`, 1)
	tests := []struct {
		name, path, token, ctype, body string
		status, code                   int
		text                           string
	}{
		{"no token", "sandbox-group/sell", "", jsonCT, validBody, 401, 10, ""},
		{"unknown token", "sandbox-group/sell", "forged", jsonCT, validBody, 401, 10, ""},
		{"other group", "other/sell", tok, jsonCT, validBody, 401, 20, ""},
		{"operation", "sandbox-group/sale", tok, jsonCT, validBody, 400, 31, ""},
		{"content type", "sandbox-group/sell", tok, "text/plain", validBody, 415, 41, ""},
		{"malformed", "sandbox-group/sell", tok, jsonCT, `{"receipt":`, 400, 40, ""},
		{"missing total", "sandbox-group/sell", tok, jsonCT, missingTotal, 400, 32,
			"Ошибка валидации входного чека. Ошибочные поля : " +
				"PropertyRequired: #/receipt.total"},
		{"sum", "sandbox-group/sell", tok, jsonCT, badSum, 400, 32,
			"Ошибочные поля : SumPriceQuantity: #/receipt.items[0].sum"},
		{"receipt for a correction", "sandbox-group/sell_correction", tok, jsonCT,
			validBody, 400, 32, "NoAdditionalPropertiesAllowed: #/receipt, " +
				"PropertyRequired: #/correction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, m := e.do("POST", tt.path, tt.token, tt.ctype, tt.body)
			if st != tt.status || code(m) != tt.code || !strings.Contains(text(m), tt.text) {
				t.Fatalf("got HTTP %d code %d %q, want %d %d %q", st, code(m), text(m),
					tt.status, tt.code, tt.text)
			}
			if tt.code == 32 && m["status"] != "fail" {
				t.Fatalf("status %v, want fail", m["status"])
			}
		})
	}
	if n := s.Stats().Registrations; n != 0 {
		t.Fatalf("%d registrations after refusals", n)
	}
}

func TestRegisterDuplicateAndReport(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 5, 7, 15, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e, s := newExchange(t, WithClock(clock), WithProcessingTime(time.Minute), WithSeed(7))
	tok := e.token()

	st, first := e.do("POST", "sandbox-group/sell", tok, jsonCT, validBody)
	if st != 200 || first["status"] != "wait" || first["uuid"] == "" || first["error"] != nil {
		t.Fatalf("register: %d %v", st, first)
	}
	uuid := first["uuid"].(string)
	changed := strings.Replace(validBody, `"Товар"`, `"Другой товар"`, 1)
	st, dup := e.do("POST", "sandbox-group/sell", tok, jsonCT, changed)
	if st != 400 || code(dup) != 33 || dup["uuid"] != uuid || dup["status"] != "wait" {
		t.Fatalf("duplicate: %d %v", st, dup)
	}
	if !strings.Contains(text(dup), "order-123-sell-1") {
		t.Fatalf("33 text %q does not name the external_id", text(dup))
	}

	st, rep := e.do("GET", "sandbox-group/report/"+uuid, tok, "", "")
	if st != 200 || code(rep) != 34 || rep["status"] != "wait" {
		t.Fatalf("early report: %d %v", st, rep)
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	st, rep = e.do("GET", "sandbox-group/report/"+uuid, tok, "", "")
	if st != 200 || rep["status"] != "done" || rep["error"] != nil {
		t.Fatalf("report: %d %v", st, rep)
	}
	p := rep["payload"].(map[string]any)
	want := map[string]any{"fiscal_receipt_number": 1.0, "shift_number": 1.0,
		"fiscal_document_number": 1.0, "total": 122.0, "fns_site": "www.nalog.gov.ru",
		"receipt_datetime": "05.01.2026 10:16:00"}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("payload %s = %v, want %v", k, p[k], v)
		}
	}
	if fn, _ := p["fn_number"].(string); len(fn) != 16 {
		t.Errorf("fn_number %q", fn)
	}
	if fpd, _ := p["fiscal_document_attribute"].(float64); fpd <= 0 {
		t.Errorf("fiscal_document_attribute %v", p["fiscal_document_attribute"])
	}
	st, rep = e.do("GET", "sandbox-group/report/no-such-uuid", tok, "", "")
	if st != 400 || code(rep) != 30 || rep["status"] != "fail" {
		t.Fatalf("unknown uuid: %d %v", st, rep)
	}
	if got := s.Stats(); got.Registrations != 1 || got.Duplicates != 1 || got.NotReady != 1 {
		t.Fatalf("stats %+v", got)
	}
	if s.Registered("order-123-sell-1") != 1 || s.UUID("order-123-sell-1") != uuid {
		t.Fatal("Registered/UUID disagree with the answers")
	}

	// The same sale under a new external_id is registered, and counted.
	again := strings.Replace(validBody, "order-123-sell-1", "order-123-sell-2", 1)
	if st, m := e.do("POST", "sandbox-group/sell", tok, jsonCT, again); st != 200 {
		t.Fatalf("register: %d %v", st, m)
	}
	if got := s.Stats(); got.Registrations != 2 || got.RepeatedReceipts != 1 {
		t.Fatalf("stats %+v: want the repeated receipt counted", got)
	}
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	e, s := newExchange(t)
	tok := e.token()
	s.ExpireTokens()
	st, m := e.do("POST", "sandbox-group/sell", tok, jsonCT, validBody)
	if st != 401 || code(m) != 11 {
		t.Fatalf("expired token: %d %v", st, m)
	}
}

// TestFaultsFollowSeed checks that the same seed gives the same faults and
// another seed other ones.
func TestFaultsFollowSeed(t *testing.T) {
	t.Parallel()
	run := func(seed int64) string {
		h := NewHandler(WithSeed(seed), WithServerErrors(0.5))
		defer h.Close()
		var b strings.Builder
		for i := range 40 {
			r := httptest.NewRequest("GET", BasePath+"getToken?login=sandbox&pass=x", nil)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code >= 500 {
				b.WriteByte('F')
			} else {
				b.WriteByte('.')
			}
			_ = i
		}
		return b.String()
	}
	a, b, c := run(1), run(1), run(2)
	if a != b {
		t.Fatalf("same seed, different faults:\n%s\n%s", a, b)
	}
	if a == c {
		t.Fatalf("seeds 1 and 2 give the same faults %s", a)
	}
	if !strings.Contains(a, "F") || !strings.Contains(a, ".") {
		t.Fatalf("rate 0.5 gave %s", a)
	}
}

func TestCallbacks(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []model.Report
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rep model.Report
		if err := json.NewDecoder(r.Body).Decode(&rep); err != nil {
			t.Error(err)
		}
		mu.Lock()
		got = append(got, rep)
		mu.Unlock()
	}))
	defer recv.Close()
	e, s := newExchange(t, WithDuplicateCallbacks(1))
	tok := e.token()
	withCB := strings.Replace(validBody, `"receipt": {`,
		`"service": {"callback_url": "`+recv.URL+`/cb"}, "receipt": {`, 1)
	if st, m := e.do("POST", "sandbox-group/sell", tok, jsonCT, withCB); st != 200 {
		t.Fatalf("register: %d %v", st, m)
	}
	// A callback to another machine is never sent.
	offsite := strings.Replace(withCB, recv.URL, "http://shop.example", 1)
	offsite = strings.Replace(offsite, "order-123-sell-1", "order-124-sell-1", 1)
	if st, m := e.do("POST", "sandbox-group/sell", tok, jsonCT, offsite); st != 200 {
		t.Fatalf("register: %d %v", st, m)
	}
	s.WaitCallbacks()
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].UUID != got[1].UUID || got[0].Status != model.StatusDone {
		t.Fatalf("callbacks %+v, want the same done report twice", got)
	}
	if st := s.Stats(); st.CallbacksSkipped != 1 || st.Callbacks != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestListenLoopbackOnly(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80", "junk"} {
		if s, err := Listen(addr); err == nil {
			s.Close()
			t.Errorf("Listen(%q) accepted a non-loopback address", addr)
		}
	}
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || !strings.HasSuffix(s.URL, BasePath) {
		t.Fatalf("URL %q", s.URL)
	}
}

func TestSchemaKind(t *testing.T) {
	t.Parallel()
	tests := []struct{ code, expected, want string }{
		{model.CodeUnknownField, "", "NoAdditionalPropertiesAllowed"},
		{model.CodeMissingField, "", "PropertyRequired"},
		{model.CodeWrongType, "number", "NumberExpected"},
		{model.CodeWrongType, "dd.mm.yyyy", "PatternMismatch"},
		{model.CodeBadFormat, "", "PatternMismatch"},
		{"total_items", "", "TotalItems"},
	}
	for _, tt := range tests {
		if got := schemaKind(tt.code, tt.expected); got != tt.want {
			t.Errorf("schemaKind(%q, %q) = %q, want %q", tt.code, tt.expected, got, tt.want)
		}
	}
}

// TestBadRequestReasons checks that every code 40 says what was wrong:
// the service's bare "Некорректный запрос" leaves a client guessing.
func TestBadRequestReasons(t *testing.T) {
	t.Parallel()
	e, s := newExchange(t)
	tok := e.token()
	huge := `{"external_id":"big","x":"` + strings.Repeat("x", MaxBody) + `"}`
	tests := []struct {
		name, method, path, body, want string
	}{
		{"register too large", "POST", "sandbox-group/sell", huge, "больше 1 МиБ"},
		{"getToken too large", "POST", "getToken", huge, "больше 1 МиБ"},
		{"getToken not JSON", "POST", "getToken", "login=a", "не JSON"},
		{"getToken method", "PUT", "getToken", "", "метод PUT"},
		{"register method", "GET", "sandbox-group/sell", "", "метод GET"},
		{"report method", "POST", "sandbox-group/report/x", "{}", "метод POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, m := e.do(tt.method, tt.path, tok, jsonCT, tt.body)
			if st != 400 || code(m) != 40 || !strings.Contains(text(m), tt.want) {
				t.Fatalf("HTTP %d code %d %q, want 400 40 %q", st, code(m), text(m), tt.want)
			}
		})
	}
	if n := s.Stats().Registrations; n != 0 {
		t.Fatalf("%d registrations", n)
	}
}

func TestListenNeedsAPort(t *testing.T) {
	t.Parallel()
	_, err := Listen("127.0.0.1")
	if err == nil || !strings.Contains(err.Error(), "port") ||
		strings.Contains(err.Error(), "loopback") {
		t.Fatalf("Listen without a port: %v", err)
	}
}
