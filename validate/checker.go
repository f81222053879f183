package validate

import (
	"strconv"
	"strings"
	"time"

	"github.com/evoreceipt/evoreceipt/model"
)

// checker runs the built-in rules over one request.
type checker struct {
	op      model.Operation
	req     *model.Request
	decoded []Violation // from decoding, kept first
	// fromJSON is set when the request was decoded from JSON, whose decoder
	// already reported control characters (or was told to accept them).
	fromJSON bool
	out      []Violation
	// bad holds paths whose value could not be decoded; rules skip them and
	// everything below them rather than report a second, derived violation.
	bad map[string]bool

	body       *model.Receipt
	root       string
	correction bool
	// opOK is false when the operation is unknown or not given: the rules
	// that depend on it are skipped.
	opOK bool
	// settle is the settlement date the VAT rates are judged by: the
	// request's timestamp, or a correction's base_date. Zero when unknown.
	settle time.Time
}

func (c *checker) add(v Violation) { c.out = append(c.out, v) }

func (c *checker) run() {
	c.out = append(c.out, c.decoded...)
	if len(c.decoded) > 0 {
		c.bad = make(map[string]bool, len(c.decoded))
		for _, v := range c.decoded {
			c.bad[v.Path] = true
		}
	}
	if c.req == nil {
		c.add(newViolation("required", "", "a request", "nil", "request"))
		return
	}
	start := len(c.out)
	if !c.fromJSON {
		c.controlChars()
	}
	c.structRules()
	c.document()
	if c.body = c.req.Body(); c.body != nil {
		c.root = c.req.RootKey()
		c.correction = c.req.Receipt == nil && c.req.Correction != nil
		c.settlement()
		c.counts()
		c.client()
		c.company()
		for i := range c.body.Items {
			c.item(i, &c.body.Items[i])
		}
		c.receiptMarking()
		c.vats()
		c.arithmetic()
		c.correctionInfo()
	}
	if len(c.bad) > 0 {
		kept := c.out[:start]
		for _, v := range c.out[start:] {
			if !c.underBad(v.Path) {
				kept = append(kept, v)
			}
		}
		c.out = kept
	}
}

// underBad reports whether path or one of its ancestors failed to decode.
func (c *checker) underBad(path string) bool {
	for {
		if c.bad[path] {
			return true
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			// "" is the document: when it is not even an object, nothing
			// under it is worth a rule's report.
			return c.bad[""]
		}
		path = path[:i]
	}
}

func (c *checker) path(field string) string { return c.root + "." + field }

func (c *checker) itemPath(i int, field string) string {
	p := c.root + ".items[" + strconv.Itoa(i) + "]"
	if field != "" {
		p += "." + field
	}
	return p
}

// document checks the operation and that the body sits under the root key
// the operation calls for.
func (c *checker) document() {
	switch {
	case c.op == "":
	case !c.op.Valid():
		c.add(newViolation("operation_unknown", "operation", joinStrings(model.Operations),
			strconv.Quote(string(c.op)), strconv.Quote(string(c.op))))
	default:
		c.opOK = true
	}
	r := c.req
	want, other := "receipt", "correction"
	if c.opOK && c.op.IsCorrection() {
		want, other = other, want
	}
	has := func(key string) bool {
		if key == "receipt" {
			return r.Receipt != nil
		}
		return r.Correction != nil
	}
	switch {
	case r.Receipt != nil && r.Correction != nil:
		if !c.opOK {
			want, other = "receipt", "correction"
		}
		c.add(newViolation("root_operation", other, "only "+want, "both", c.opName(), want))
	case !c.opOK:
	case has(other):
		c.add(newViolation("root_operation", other, want, other, c.opName(), want))
	case !has(want):
		// Neither key is there: the document itself lacks its body.
		c.add(newViolation("root_operation", "", want, "absent", c.opName(), want))
	}
}

func (c *checker) opName() string {
	if c.op == "" {
		return "(any)"
	}
	return string(c.op)
}

// settlement fixes the date of the settlement: a correction's base_date, a
// receipt's timestamp.
func (c *checker) settlement() {
	if c.correction {
		if d := c.req.Correction.CorrectionInfo.BaseDate; !d.IsZero() &&
			!c.underBad(c.path("correction_info.base_date")) {
			c.settle = d.Time()
		}
		return
	}
	if !c.req.Timestamp.IsZero() && !c.underBad("timestamp") {
		c.settle = c.req.Timestamp.Time()
	}
}

func (c *checker) counts() {
	b := c.body
	check := func(field string, n, lo, hi int, optional bool) {
		if optional && n == 0 {
			return
		}
		if n < lo || n > hi {
			want := strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
			c.add(newViolation("count", c.path(field), want, strconv.Itoa(n), field, n, want))
		}
	}
	check("items", len(b.Items), 1, 100, false)
	check("payments", len(b.Payments), 1, 10, false)
	check("vats", len(b.Vats), 1, 6, b.Vats == nil)
}

// client: a receipt must reach the buyer, by e-mail or phone. Corrections
// need no client.
func (c *checker) client() {
	if c.correction {
		return
	}
	cl := c.body.Client
	if cl != nil && (strings.TrimSpace(cl.Email) != "" || strings.TrimSpace(cl.Phone) != "") {
		return
	}
	actual := "absent"
	if cl != nil {
		actual = "empty email and phone"
	}
	c.add(newViolation("client_contact", c.path("client"), "email or phone", actual))
}

func (c *checker) company() {
	if c.body.Company.SNO == model.SNOEnvd {
		c.add(newViolation("sno_abolished", c.path("company.sno"), enumValues("sno"), `"envd"`))
	}
}

// item runs the cross-field rules of one line.
func (c *checker) item(i int, it *model.Item) {
	c.agent(i, it)
	c.marking(i, it)
	if it.PaymentObject.Excise() && it.Excise == nil {
		c.add(newViolation("excise_required", c.itemPath(i, "excise"), "excise amount", "absent",
			int(it.PaymentObject)))
	}
	c.itemVat(i, it)
}

func (c *checker) agent(i int, it *model.Item) {
	a, s := it.AgentInfo, it.SupplierInfo
	switch {
	case a == nil && s != nil:
		c.add(newViolation("supplier_without_agent", c.itemPath(i, "supplier_info"),
			"agent_info with supplier_info", "supplier_info only"))
	case a != nil && s == nil:
		ru, en := ", наименование", ", name"
		if a.Type.Paying() {
			ru, en = ", наименование и телефоны", ", name and phones"
		}
		c.add(newViolation2("agent_without_supplier", c.itemPath(i, "supplier_info"),
			"supplier_info", "absent", []any{ru}, []any{en}))
	case a != nil && a.Type.Paying():
		if strings.TrimSpace(s.Name) == "" {
			c.add(newViolation2("supplier_paying_agent", c.itemPath(i, "supplier_info.name"),
				"supplier name", "absent", []any{a.Type, "наименование"}, []any{a.Type, "name"}))
		}
		if len(s.Phones) == 0 {
			c.add(newViolation2("supplier_paying_agent", c.itemPath(i, "supplier_info.phones"),
				"at least one phone", "absent", []any{a.Type, "телефоны"}, []any{a.Type, "phones"}))
		}
	case a != nil && strings.TrimSpace(s.Name) == "":
		c.add(newViolation("supplier_name", c.itemPath(i, "supplier_info.name"),
			"supplier name", "absent"))
	}
	if a == nil {
		return
	}
	if a.PayingAgent != nil && len(a.PayingAgent.Phones) == 0 {
		c.add(newViolation("agent_phones", c.itemPath(i, "agent_info.paying_agent.phones"),
			"at least one phone", "absent", "paying_agent"))
	}
	if a.ReceivePaymentsOperator != nil && len(a.ReceivePaymentsOperator.Phones) == 0 {
		c.add(newViolation("agent_phones",
			c.itemPath(i, "agent_info.receive_payments_operator.phones"),
			"at least one phone", "absent", "receive_payments_operator"))
	}
}

// correctionInfo: the basis of a correction.
func (c *checker) correctionInfo() {
	if !c.correction {
		return
	}
	ci := &c.req.Correction.CorrectionInfo
	if ci.Type == model.CorrectionInstruction && strings.TrimSpace(ci.BaseNumber) == "" {
		c.add(newViolation("base_number_required", c.path("correction_info.base_number"),
			"the instruction's number", "absent"))
	}
	ts := c.req.Timestamp
	if ci.BaseDate.IsZero() || ts.IsZero() || c.underBad("timestamp") {
		return
	}
	day := model.NewDate(ts.Time())
	if ci.BaseDate.Time().After(day.Time()) {
		c.add(newViolation("base_date_future", c.path("correction_info.base_date"),
			"≤ "+day.String(), ci.BaseDate.String(), ci.BaseDate.String(), day.String()))
	}
}
