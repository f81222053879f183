package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor"
	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/validate"
)

func init() {
	register(&command{
		name: "submit",
		args: "FILE|-",
		summary: "Submit v5 requests to the Evotor service or a sandbox and print each result.\n" +
			"It reads bare bodies or {\"operation\",\"request\"} lines, sends them (to an\n" +
			"in-process sandbox with --sandbox), waits for each and prints one JSON line per\n" +
			"document in input order, numbered (document): its final report, or what is\n" +
			"known of it; a document that cannot be read is located at its input line and\n" +
			"column. The status:\n" +
			"  done      registered.\n" +
			"  wait      accepted (uuid given), no result yet: poll the uuid; never resend it\n" +
			"            under a new external_id.\n" +
			"  fail      not registered: refused, failed at the cash register, or its\n" +
			"            external_id holds another body. Fix it, or give it a new external_id.\n" +
			"  not_sent  not registered: never sent (the run stopped or was interrupted), or\n" +
			"            the credentials or group were refused. Submit it again unchanged.\n" +
			"  unknown   outcome unknown: it may be registered (uuid given when known). Do\n" +
			"            not resend it under a new external_id, which could sell twice; submit\n" +
			"            the same request again to learn its outcome.\n" +
			"Credentials come from the flags or from EVOTOR_LOGIN, EVOTOR_PASSWORD and\n" +
			"EVOTOR_GROUP. The run stops early, leaving the documents not yet sent not_sent,\n" +
			fmt.Sprintf("on refused credentials or group, on an endpoint that cannot be "+
				"reached (%d failed\nconnections in a row, or no connection for %v), or on "+
				"Ctrl-C or SIGTERM.\n", unreachableFailures, unreachableFor) +
			"The journal (--journal) has one JSON line per record, each written and synced\n" +
			"before what it records goes on: begin before a body is sent, accept once a\n" +
			"uuid is given, forget after a refusal. One journal serves one run at a time.\n" +
			"A run that stopped while writing leaves a torn last line (no newline, not\n" +
			"JSON); the next run cuts it off and names it on stderr. That is safe: a torn\n" +
			"begin was never sent. After a torn accept the body is still recorded as sent,\n" +
			"so the same request submitted again gets its uuid (the service answers that\n" +
			"the external_id exists, and the SHA-256 matches). After a torn forget, a\n" +
			"changed body under that external_id is refused as a conflict until the same\n" +
			"request is submitted again. A damaged line before the last is an error\n" +
			"(exit 2): what it held cannot be known.\n" +
			"Exit 1 if any document is not done; 2 on a usage or I/O error, or an early stop.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) int {
			o := &submitOptions{}
			fs.StringVar(&o.endpoint, "endpoint", "", "service base URL, or prod or test for "+
				"Evotor's hosts")
			fs.BoolVar(&o.sandbox, "sandbox", false, "submit to an in-process sandbox instead")
			fs.StringVar(&o.login, "login", "", "login (default $EVOTOR_LOGIN)")
			fs.StringVar(&o.password, "password", "", "password (default $EVOTOR_PASSWORD; "+
				"prefer it: flags show in the process list)")
			fs.StringVar(&o.group, "group", "", "group code (default $EVOTOR_GROUP)")
			fs.StringVar(&o.source, "source", "", "integrator name sent with getToken")
			fs.StringVar(&o.op, "op", "", "operation for bare bodies (default sell, or\n"+
				"sell_correction for a correction)")
			fs.DurationVar(&o.timeout, "timeout", 5*time.Minute,
				"how long to wait for each document (positive)")
			fs.IntVar(&o.parallel, "parallel", 4, "documents in flight at once (1 to 64)")
			fs.BoolVar(&o.noValidate, "no-validate", false,
				"send documents without checking them first")
			fs.StringVar(&o.journal, "journal", "", "file that keeps the SHA-256 of every "+
				"body sent, so that a\nlater run can resend the same documents safely "+
				"(at most 256 MiB)")
			fs.BoolVar(&o.verbose, "v", false, "log what the client does to stderr")
			return func(ctx context.Context, e *env, args []string) int {
				return runSubmit(ctx, e, args, o)
			}
		},
	})
}

type submitOptions struct {
	endpoint, login, password, group, source, op, journal string
	sandbox, noValidate, verbose                          bool
	timeout                                               time.Duration
	parallel                                              int
}

// submitLine is what submit prints per document: the final report, or
// what is known of the document when there is none, with the client's
// error.
type submitLine struct {
	*model.Report
	// Document is the document's 1-based ordinal in the input, which names
	// one that has no external_id to go by (a malformed line).
	Document    int             `json:"document"`
	Operation   model.Operation `json:"operation,omitempty"`
	Duplicate   bool            `json:"duplicate,omitempty"`
	ClientError *clientError    `json:"client_error,omitempty"`
	// Note says what to do with a document whose status is unknown or
	// not_sent, for whoever reads the line rather than the help.
	Note string `json:"note,omitempty"`

	err error // behind ClientError, for the exit code
}

// Statuses of a line that has no report of the service's, besides its
// own fail. The service's are wait, done and fail.
const (
	// statusUnknown is a document that may be registered.
	statusUnknown model.ReportStatus = "unknown"
	// statusNotSent is a document nothing of which was registered and
	// nothing is wrong with: it was not sent, or the credentials or the
	// group were refused.
	statusNotSent model.ReportStatus = "not_sent"
)

const (
	noteUnknown = "outcome unknown: the document may be registered. Do not resend it " +
		"under a new external_id, which could sell twice; submit this same request " +
		"again to learn its outcome"
	noteNotSent = "nothing was registered: submit it again unchanged once the cause " +
		"is fixed"
)

// clientError is an [evotor.Error] as submit prints it.
type clientError struct {
	Kind       string                   `json:"kind"`
	Message    string                   `json:"message"`
	HTTPStatus int                      `json:"http_status,omitempty"`
	Code       *int                     `json:"code,omitempty"`
	Violations []validate.ViolationJSON `json:"violations,omitempty"`
}

func runSubmit(ctx context.Context, e *env, args []string, o *submitOptions) int {
	if len(args) != 1 {
		return usageError(e, "submit", "want exactly one FILE or -")
	}
	if o.sandbox == (o.endpoint != "") {
		return usageError(e, "submit", "give exactly one of --endpoint and --sandbox")
	}
	if o.op != "" && !model.Operation(o.op).Valid() {
		return usageError(e, "submit", "unknown operation %q", o.op)
	}
	if o.parallel < 1 || o.parallel > 64 {
		return usageError(e, "submit", "--parallel must be 1 to 64")
	}
	if o.timeout <= 0 {
		return usageError(e, "submit", "--timeout must be positive, not %v", o.timeout)
	}
	data, err := readInput(e, args[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt submit: %v\n", err)
		return exitUsage
	}
	docs := splitDocuments(data, model.Operation(o.op))
	if len(docs) == 0 {
		fmt.Fprintln(e.stderr, "evoreceipt submit: no document in the input")
		return exitUsage
	}

	probe := newReachability(unreachableFailures, unreachableFor, time.Now)
	copts, cleanup, code := clientOptions(e, o, probe)
	if code != exitOK {
		return code
	}
	defer cleanup()
	c, err := evotor.NewClient(copts...)
	if err != nil {
		return usageError(e, "submit", "%v", err)
	}
	// SIGTERM ends the run as Ctrl-C does, so that every document still
	// gets its line; main handles only os.Interrupt.
	ctx, stopSignals := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stopSignals()
	return submitAll(ctx, e, c, docs, o, probe)
}

// clientOptions gathers the client's options from the flags and the
// environment; with --sandbox it starts one. cleanup stops what was
// started. Every connection is dialled through probe.
func clientOptions(e *env, o *submitOptions, probe *reachability) ([]evotor.Option, func(),
	int) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = probe.dial((&net.Dialer{Timeout: dialTimeout,
		KeepAlive: 30 * time.Second}).DialContext)
	opts := []evotor.Option{evotor.WithHTTPClient(&http.Client{Transport: tr,
		Timeout: 30 * time.Second})}
	cleanup := func() {}
	policy := evotor.DefaultRetryPolicy()
	if o.sandbox {
		sb := evotortest.NewServer(evotortest.WithProcessingTime(50 * time.Millisecond))
		cleanup = sb.Close
		policy.PollMin, policy.PollMax = 20*time.Millisecond, 200*time.Millisecond
		opts = append(opts, evotor.WithBaseURL(sb.URL),
			evotor.WithCredentials(sb.Login, sb.Password), evotor.WithGroupCode(sb.Group))
	} else {
		base := o.endpoint
		switch strings.ToLower(base) {
		case "prod", "production":
			base = evotor.ProductionURL
		case "test":
			base = evotor.TestURL
		}
		login := firstSet(o.login, e.getenv("EVOTOR_LOGIN"))
		pass := firstSet(o.password, e.getenv("EVOTOR_PASSWORD"))
		group := firstSet(o.group, e.getenv("EVOTOR_GROUP"))
		if login == "" || pass == "" || group == "" {
			return nil, cleanup, usageError(e, "submit", "credentials missing: give --login, "+
				"--password and --group, or EVOTOR_LOGIN, EVOTOR_PASSWORD and EVOTOR_GROUP")
		}
		opts = append(opts, evotor.WithBaseURL(base), evotor.WithCredentials(login, pass),
			evotor.WithGroupCode(group))
	}
	opts = append(opts, evotor.WithRetry(policy))
	if o.source != "" {
		opts = append(opts, evotor.WithSource(o.source))
	}
	if !o.noValidate {
		opts = append(opts, evotor.WithValidator(validate.New()))
	}
	if o.verbose {
		opts = append(opts, evotor.WithLogger(slog.New(slog.NewTextHandler(e.stderr,
			&slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if o.journal != "" {
		j, err := openFileJournal(o.journal, maxJournal, e.stderr)
		if err != nil {
			cleanup()
			fmt.Fprintf(e.stderr, "evoreceipt submit: journal: %v\n", err)
			return nil, func() {}, exitUsage
		}
		opts = append(opts, evotor.WithJournal(j))
		inner := cleanup
		cleanup = func() { _ = j.Close(); inner() }
	}
	return opts, cleanup, exitOK
}

func firstSet(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// document is one document of the input, or why it cannot be sent.
type document struct {
	n   int // 1-based ordinal in the input
	op  model.Operation
	req *model.Request
	err error
}

// splitDocuments reads every JSON value of data as a document. A value
// that does not decode becomes a document with its error, located at the
// input's line and column, as validate reports it.
func splitDocuments(data []byte, op model.Operation) []document {
	var docs []document
	for _, s := range splitStream(data) {
		d, err := model.DecodeDocument(s.data, model.DecodeOptions{})
		doc := document{n: s.n, op: d.Operation, req: d.Request, err: s.placeError(err)}
		if doc.op == "" && err == nil {
			doc.op = op
		}
		if doc.op == "" && err == nil {
			doc.op = model.Sell
			if d.Request.Receipt == nil && d.Request.Correction != nil {
				doc.op = model.SellCorrection
			}
		}
		if err == nil && !doc.op.Valid() {
			doc.err = fmt.Errorf("unknown operation %q", string(doc.op))
		}
		docs = append(docs, doc)
	}
	return docs
}

// runStop is why a run stopped before every document was sent.
type runStop struct {
	kind string // the client_error kind of the documents it left unsent
	msg  string
}

func (r *runStop) Error() string { return r.msg }

// interrupted is the stop of Ctrl-C and SIGTERM.
var interrupted = &runStop{kind: "canceled", msg: "interrupted"}

// submitAll sends the documents, parallel at most at once, and prints
// their lines in input order. A refusal of the credentials or the group
// stops sending (the documents in flight finish, they would fail alike);
// an unreachable endpoint, an interruption or a broken stdout stop it and
// cancel the documents in flight.
func submitAll(ctx context.Context, e *env, c *evotor.Client, docs []document,
	o *submitOptions, probe *reachability) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var stopped *runStop
	halt := make(chan struct{})
	stop := func(r *runStop, cancelInFlight bool) {
		mu.Lock()
		first := stopped == nil
		if first {
			stopped = r
			close(halt)
		}
		mu.Unlock()
		if first && cancelInFlight {
			cancel()
		}
	}
	reason := func() *runStop {
		mu.Lock()
		defer mu.Unlock()
		return stopped
	}
	probe.onDown(func(err error) {
		stop(&runStop{kind: evotor.KindTransient.String(), msg: err.Error()}, true)
	})
	ctx = httptrace.WithClientTrace(ctx, probe.trace())

	lines := make([]chan submitLine, len(docs))
	for i := range lines {
		lines[i] = make(chan submitLine, 1)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(o.parallel, len(docs)) {
		wg.Go(func() {
			for i := range next {
				if r := reason(); r != nil {
					lines[i] <- stoppedLine(docs[i], r)
					continue
				}
				l := submitOne(ctx, c, docs[i], o.timeout)
				if ctx.Err() != nil {
					stop(interrupted, false) // unless stopped already
				}
				if k := evotor.KindOf(l.err); k == evotor.KindAuth || k == evotor.KindConfig {
					// Every other document would fail the same way.
					what := "credentials"
					if k == evotor.KindConfig {
						what = "group"
					}
					stop(&runStop{kind: k.String(), msg: what + " refused: " + l.err.Error()},
						false)
				}
				if r := reason(); r != nil && l.ClientError != nil &&
					errors.Is(l.err, context.Canceled) {
					l.ClientError.Message += " (the run stopped: " + r.msg + ")"
				}
				lines[i] <- l
			}
		})
	}
	go func() {
		defer close(next)
		for i := range docs {
			select {
			case next <- i:
				continue
			case <-halt:
			case <-ctx.Done():
				stop(interrupted, false)
			}
			for r := reason(); i < len(docs); i++ {
				lines[i] <- stoppedLine(docs[i], r)
			}
			return
		}
	}()

	code := exitOK
	var writeErr error
	w := bufio.NewWriter(e.stdout)
	for i := range docs {
		l := <-lines[i]
		l.Document = docs[i].n
		if l.Report.Status != model.StatusDone {
			code = exitInvalid
		}
		if writeErr != nil {
			continue
		}
		out, err := model.Marshal(l)
		if err == nil {
			_, err = w.Write(append(out, '\n'))
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			writeErr = err
			stop(&runStop{kind: "canceled", msg: "stdout failed: " + err.Error()}, true)
		}
	}
	wg.Wait()
	switch {
	case writeErr != nil:
		fmt.Fprintf(e.stderr, "evoreceipt submit: %v\n", writeErr)
		return exitUsage
	case reason() != nil:
		fmt.Fprintf(e.stderr, "evoreceipt submit: run stopped: %s\n", reason().msg)
		return exitUsage
	}
	return code
}

// submitOne submits one document and waits for its report.
func submitOne(ctx context.Context, c *evotor.Client, d document,
	timeout time.Duration) submitLine {
	if d.err != nil || d.req == nil {
		return invalidLine(d, d.err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sub, err := c.Submit(ctx, d.op, d.req)
	if err != nil {
		return failedLine(d, err)
	}
	rep, err := c.Wait(ctx, sub.UUID)
	l := submitLine{Report: rep, Operation: d.op, Duplicate: sub.Duplicate}
	if rep == nil {
		l.Report = &model.Report{UUID: sub.UUID, ExternalID: d.req.ExternalID,
			Status: model.StatusWait}
	}
	if err != nil && !errors.Is(err, evotor.ErrFailed) {
		l.ClientError, l.err = toClientError(err), err
	}
	return l
}

// invalidLine is the line of a document that could not be read or sent as
// it is.
func invalidLine(d document, err error) submitLine {
	rep := &model.Report{Status: model.StatusFail}
	if d.req != nil {
		rep.ExternalID = d.req.ExternalID
	}
	return submitLine{Report: rep, Operation: d.op, ClientError: toClientError(err), err: err}
}

// failedLine is the line of a document that Submit did not get accepted.
// Its status says whether the document may be registered; that decides
// whether it may ever go out under a new external_id.
func failedLine(d document, err error) submitLine {
	rep := &model.Report{ExternalID: d.req.ExternalID, Status: model.StatusFail}
	l := submitLine{Report: rep, Operation: d.op, ClientError: toClientError(err), err: err}
	k := evotor.KindOf(err)
	switch outcome := evotor.OutcomeOf(err); {
	case outcome == evotor.OutcomeUnknown:
		var e *evotor.Error
		if errors.As(err, &e) {
			rep.UUID = e.UUID
		}
		rep.Status, l.Note = statusUnknown, noteUnknown
	case k == evotor.KindAuth || k == evotor.KindConfig,
		outcome == evotor.OutcomeNotSent && (k == evotor.KindTransient ||
			k == evotor.KindUnknown):
		rep.Status, l.Note = statusNotSent, noteNotSent
	}
	return l
}

// stoppedLine is the line of a document the run stopped before sending.
func stoppedLine(d document, r *runStop) submitLine {
	if d.err != nil || d.req == nil {
		return invalidLine(d, d.err)
	}
	ce := &clientError{Kind: r.kind, Message: "not sent: the run stopped: " + r.msg}
	rep := &model.Report{ExternalID: d.req.ExternalID, Status: statusNotSent}
	return submitLine{Report: rep, Operation: d.op, ClientError: ce, Note: noteNotSent, err: r}
}

func toClientError(err error) *clientError {
	if err == nil {
		err = errors.New("not sent")
	}
	ce := &clientError{Kind: "invalid", Message: err.Error()}
	var de *model.DecodeError
	if errors.As(err, &de) {
		// Each problem with its code and position, in the shape validate
		// reports it, so that a program can point at the bad line.
		for _, fe := range de.Errors {
			ce.Violations = append(ce.Violations,
				validate.DecodeViolation(fe).JSON(validate.English))
		}
	}
	var e *evotor.Error
	if errors.As(err, &e) {
		ce.Kind, ce.HTTPStatus = e.Kind.String(), e.HTTPStatus
		if e.Code != evotor.NoCode {
			code := e.Code
			ce.Code = &code
		}
		for _, v := range e.Violations {
			ce.Violations = append(ce.Violations, v.JSON(validate.English))
		}
	}
	return ce
}

// Bounds after which submit takes the endpoint for unreachable and stops
// the run: so many failed connections in a row, or no connection and no
// answer for so long since the first of them began. A blip passes within
// them; an endpoint that is gone stops the run in seconds, rather than
// each remaining document being retried with backoff. Stopping is safe:
// what was not sent is reported not_sent.
const (
	unreachableFailures = 6
	unreachableFor      = 3 * time.Second
	// dialTimeout bounds one connection attempt, below the client's 30 s
	// per exchange, so that a silent host counts as a failure here.
	dialTimeout = 10 * time.Second
)

// reachability watches the connections a run makes, and the answers it
// gets, and reports when the endpoint looks gone. It counts dials only: a
// failed dial sent nothing, which is also what lets the client call such
// a document not sent.
type reachability struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures int       // in a row
	since    time.Time // start of the first of them
	last     error
	timer    *time.Timer // fires at since+window
	down     func(error)
	tripped  bool
}

func newReachability(limit int, window time.Duration, now func() time.Time) *reachability {
	return &reachability{limit: limit, window: window, now: now}
}

// onDown sets what to do, once, when the endpoint is taken for gone.
func (r *reachability) onDown(f func(error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = f
}

// dial wraps a dial function to observe its outcomes.
func (r *reachability) dial(next func(ctx context.Context, network, addr string) (net.Conn,
	error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		start := r.now()
		conn, err := next(ctx, network, addr)
		switch {
		case err == nil:
			r.alive()
		case ctx.Err() == nil:
			// A dial abandoned by its caller says nothing of the endpoint.
			r.failed(start, err)
		}
		return conn, err
	}
}

// trace returns hooks that take any answer for a sign of life: requests
// on connections already open dial nothing.
func (r *reachability) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{GotFirstResponseByte: r.alive}
}

// alive ends a run of failures.
func (r *reachability) alive() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = 0
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
}

// failed counts a dial that began at start and failed with err.
func (r *reachability) failed(start time.Time, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failures == 0 {
		r.since = start
		wait := max(r.since.Add(r.window).Sub(r.now()), 0)
		r.timer = time.AfterFunc(wait, r.expired)
	}
	r.failures++
	r.last = err
	if r.failures >= r.limit {
		r.tripLocked()
	}
}

// expired trips when the window ends with the failures still unbroken.
func (r *reachability) expired() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failures > 0 {
		r.tripLocked()
	}
}

// tripLocked reports the endpoint gone, once. r.mu is held; down must not
// call back into r.
func (r *reachability) tripLocked() {
	if r.tripped || r.down == nil {
		return
	}
	r.tripped = true
	r.down(fmt.Errorf("the endpoint is unreachable: no connection for %v, %d attempts "+
		"failed in a row, the last with: %v", r.now().Sub(r.since).Round(time.Millisecond),
		r.failures, r.last))
}

// fileJournal is an [evotor.Journal] kept in a file of JSON lines, one per
// change, replayed on open: enough for a command that runs and ends.
type fileJournal struct {
	*evotor.MemoryJournal
	mu sync.Mutex
	f  *os.File
	// size is the length of the file's whole records. A record that fails
	// is cut back to it, so that the next one starts a line of its own
	// instead of ending the broken one.
	size int64
	// broken is set once a failed record could not be cut back: nothing
	// more is recorded, so nothing more is sent.
	broken error
}

type journalRecord struct {
	Action     string `json:"action"` // begin, accept, forget
	Group      string `json:"group"`
	ExternalID string `json:"external_id"`
	SHA256     string `json:"sha256"`
	UUID       string `json:"uuid,omitempty"`
}

// openFileJournal opens the journal at path, creating it, and replays it.
// A torn last record (see replay) is cut off, with a warning on warn. A
// journal longer than limit bytes is refused.
func openFileJournal(path string, limit int, warn io.Writer) (*fileJournal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	j, err := loadFileJournal(f, path, limit, warn)
	if err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

func loadFileJournal(f *os.File, path string, limit int, warn io.Writer) (*fileJournal, error) {
	// A device or a pipe is never a journal: it cannot be synced, read
	// back or cut, and /dev/zero would be read without end.
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	data, err := readAtMost(f, path, "journal", limit)
	if err != nil {
		return nil, err
	}
	j := &fileJournal{MemoryJournal: evotor.NewMemoryJournal(), f: f}
	keep, torn, err := j.replay(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if torn != nil {
		if err := f.Truncate(int64(keep)); err != nil {
			return nil, fmt.Errorf("%s: cutting off a torn last record: %w", path, err)
		}
		fmt.Fprintf(warn, "evoreceipt submit: journal %s: line %d is a torn record (no "+
			"newline, not JSON: a run stopped while writing it), cut off: %s; see "+
			"\"evoreceipt help submit\"\n", path, torn.line, strconv.Quote(clipText(torn.text)))
	}
	data = data[:keep]
	if len(data) > 0 && data[len(data)-1] != '\n' {
		// A whole last record without its newline: end its line, or the
		// next record would join it.
		if _, err := f.Write([]byte{'\n'}); err != nil {
			return nil, err
		}
		keep++
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	j.size = int64(keep)
	return j, nil
}

// tornRecord is a last line that a run left half-written.
type tornRecord struct {
	line int
	text []byte
}

// replay applies the records of data to the journal. It returns how many
// bytes of data hold the records to keep, and the torn last record if
// there is one: a last line without its newline that is not JSON, which is
// what a run that stopped while appending a record leaves. Setting it
// aside never risks a second sale: each record is written and synced
// before what it records goes on, so a torn begin was never sent, and a
// torn accept or forget leaves the document's body recorded without an
// outcome; the next Submit of the same body resends it, and the service's
// "already exists" then matches the body's SHA-256. Any other damage is an
// error: what a damaged record before others held cannot be known.
func (j *fileJournal) replay(data []byte) (int, *tornRecord, error) {
	for n, start := 1, 0; start < len(data); n++ {
		end := bytes.IndexByte(data[start:], '\n')
		last := end < 0
		if last {
			end = len(data)
		} else {
			end += start
		}
		line := data[start:end]
		if len(bytes.TrimSpace(line)) > 0 {
			if err := j.apply(line); err != nil {
				if last && !json.Valid(line) {
					return start, &tornRecord{line: n, text: line}, nil
				}
				return 0, nil, fmt.Errorf("line %d: %v", n, err)
			}
		}
		start = end + 1
	}
	return len(data), nil, nil
}

// apply replays one record.
func (j *fileJournal) apply(line []byte) error {
	ctx := context.Background()
	var r journalRecord
	if err := json.Unmarshal(line, &r); err != nil {
		return err
	}
	var d [sha256.Size]byte
	b, err := hex.DecodeString(r.SHA256)
	if err != nil || len(b) != len(d) {
		return errors.New("bad sha256")
	}
	copy(d[:], b)
	key := evotor.JournalKey{Group: r.Group, ExternalID: r.ExternalID}
	switch r.Action {
	case "begin":
		_, _, _ = j.MemoryJournal.Begin(ctx, key, d)
	case "accept":
		_ = j.MemoryJournal.Accept(ctx, key, d, r.UUID)
	case "forget":
		_ = j.MemoryJournal.Forget(ctx, key, d)
	default:
		return fmt.Errorf("unknown action %q", r.Action)
	}
	return nil
}

// record appends one change and syncs it: the record must be on disk
// before the body leaves. j.mu is held, so that the file's order is the
// order of the changes.
func (j *fileJournal) record(action string, key evotor.JournalKey, d [sha256.Size]byte,
	uuid string) error {
	if j.broken != nil {
		return j.broken
	}
	line, err := json.Marshal(journalRecord{Action: action, Group: key.Group,
		ExternalID: key.ExternalID, SHA256: hex.EncodeToString(d[:]), UUID: uuid})
	if err != nil {
		return err
	}
	line = append(line, '\n')
	if _, err = j.f.Write(line); err == nil {
		err = j.f.Sync()
	}
	if err != nil {
		// The caller takes the record for not written (a begin sends
		// nothing): make it so, whatever part of it reached the file.
		if terr := j.f.Truncate(j.size); terr != nil {
			j.broken = fmt.Errorf("a record failed (%v) and could not be cut off (%v); "+
				"nothing more is recorded", err, terr)
		}
		return err
	}
	j.size += int64(len(line))
	return nil
}

// Begin implements [evotor.Journal].
func (j *fileJournal) Begin(ctx context.Context, key evotor.JournalKey,
	d [sha256.Size]byte) (evotor.JournalEntry, bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e, loaded, err := j.MemoryJournal.Begin(ctx, key, d)
	if err == nil && !loaded {
		if err = j.record("begin", key, d, ""); err != nil {
			// Not on disk, so not sent: the entry must not outlive it.
			_ = j.MemoryJournal.Forget(ctx, key, d)
		}
	}
	return e, loaded, err
}

// Accept implements [evotor.Journal]. Only a change is recorded.
func (j *fileJournal) Accept(ctx context.Context, key evotor.JournalKey, d [sha256.Size]byte,
	uuid string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if e, ok := j.MemoryJournal.Lookup(key); !ok || e.Digest != d || e.UUID == uuid {
		return nil
	}
	if err := j.MemoryJournal.Accept(ctx, key, d, uuid); err != nil {
		return err
	}
	return j.record("accept", key, d, uuid)
}

// Forget implements [evotor.Journal]. Only a change is recorded: an entry
// with a uuid stays, as in [evotor.MemoryJournal].
func (j *fileJournal) Forget(ctx context.Context, key evotor.JournalKey,
	d [sha256.Size]byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if e, ok := j.MemoryJournal.Lookup(key); !ok || e.Digest != d || e.UUID != "" {
		return nil
	}
	if err := j.MemoryJournal.Forget(ctx, key, d); err != nil {
		return err
	}
	return j.record("forget", key, d, "")
}

// Close closes the file.
func (j *fileJournal) Close() error { return j.f.Close() }
