package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
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
		summary: "Submit v5 requests (bare bodies or {\"operation\",\"request\"} lines) to the\n" +
			"Evotor service, or to an in-process sandbox with --sandbox, wait for each and\n" +
			"print its final report as one JSON line. Credentials come from the flags or\n" +
			"from EVOTOR_LOGIN, EVOTOR_PASSWORD and EVOTOR_GROUP. Exit 1 if any document\n" +
			"fails, 2 on a usage, I/O, credentials or group error.",
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
				"how long to wait for each document")
			fs.IntVar(&o.parallel, "parallel", 4, "documents in flight at once (1 to 64)")
			fs.BoolVar(&o.noValidate, "no-validate", false,
				"send documents without checking them first")
			fs.StringVar(&o.journal, "journal", "", "file that keeps the SHA-256 of every "+
				"body sent, so that a\nlater run can resend the same documents safely")
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
	Operation   model.Operation `json:"operation,omitempty"`
	Duplicate   bool            `json:"duplicate,omitempty"`
	ClientError *clientError    `json:"client_error,omitempty"`

	err error // behind ClientError, for the exit code
}

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

	copts, cleanup, code := clientOptions(e, o)
	if code != exitOK {
		return code
	}
	defer cleanup()
	c, err := evotor.NewClient(copts...)
	if err != nil {
		return usageError(e, "submit", "%v", err)
	}
	return submitAll(ctx, e, c, docs, o)
}

// clientOptions gathers the client's options from the flags and the
// environment; with --sandbox it starts one. cleanup stops what was
// started.
func clientOptions(e *env, o *submitOptions) ([]evotor.Option, func(), int) {
	var opts []evotor.Option
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
		j, err := openFileJournal(o.journal)
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
	op  model.Operation
	req *model.Request
	err error
}

// splitDocuments reads every JSON value of data as a document. A value
// that does not decode becomes a document with its error.
func splitDocuments(data []byte, op model.Operation) []document {
	spans := model.SplitValues(data)
	var docs []document
	for _, s := range spans {
		d, err := model.DecodeDocument(data[s.Start:s.End], model.DecodeOptions{})
		doc := document{op: d.Operation, req: d.Request, err: err}
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

// submitAll sends the documents, parallel at most at once, and prints
// their lines in input order.
func submitAll(ctx context.Context, e *env, c *evotor.Client, docs []document,
	o *submitOptions) int {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	lines := make([]chan submitLine, len(docs))
	for i := range lines {
		lines[i] = make(chan submitLine, 1)
	}
	var fatal sync.Once
	var fatalErr error
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(o.parallel, len(docs)) {
		wg.Go(func() {
			for i := range next {
				l := submitOne(ctx, c, docs[i], o.timeout)
				if k := evotor.KindOf(l.err); k == evotor.KindAuth || k == evotor.KindConfig {
					// Every other document would fail the same way.
					fatal.Do(func() { fatalErr = l.err; stop() })
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
			case <-ctx.Done():
				for ; i < len(docs); i++ {
					lines[i] <- notSent(docs[i], ctx.Err())
				}
				return
			}
		}
	}()

	code := exitOK
	var writeErr error
	w := bufio.NewWriter(e.stdout)
	for i := range docs {
		l := <-lines[i]
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
			stop()
		}
	}
	wg.Wait()
	switch {
	case writeErr != nil:
		fmt.Fprintf(e.stderr, "evoreceipt submit: %v\n", writeErr)
		return exitUsage
	case fatalErr != nil:
		fmt.Fprintf(e.stderr, "evoreceipt submit: %v\n", fatalErr)
		return exitUsage
	}
	return code
}

// submitOne submits one document and waits for its report.
func submitOne(ctx context.Context, c *evotor.Client, d document,
	timeout time.Duration) submitLine {
	if d.err != nil || d.req == nil {
		return notSent(d, d.err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sub, err := c.Submit(ctx, d.op, d.req)
	if err != nil {
		return notSent(d, err)
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

// notSent is the line of a document that got no report.
func notSent(d document, err error) submitLine {
	rep := &model.Report{Status: model.StatusFail}
	if d.req != nil {
		rep.ExternalID = d.req.ExternalID
	}
	return submitLine{Report: rep, Operation: d.op, ClientError: toClientError(err), err: err}
}

func toClientError(err error) *clientError {
	if err == nil {
		err = errors.New("not sent")
	}
	ce := &clientError{Kind: "invalid", Message: err.Error()}
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

// fileJournal is an [evotor.Journal] kept in a file of JSON lines, one per
// change, replayed on open: enough for a command that runs and ends.
type fileJournal struct {
	*evotor.MemoryJournal
	mu sync.Mutex
	f  *os.File
}

type journalRecord struct {
	Action     string `json:"action"` // begin, accept, forget
	Group      string `json:"group"`
	ExternalID string `json:"external_id"`
	SHA256     string `json:"sha256"`
	UUID       string `json:"uuid,omitempty"`
}

func openFileJournal(path string) (*fileJournal, error) {
	j := &fileJournal{MemoryJournal: evotor.NewMemoryJournal()}
	if data, err := os.ReadFile(path); err == nil {
		if err := j.replay(data); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	j.f = f
	return j, nil
}

func (j *fileJournal) replay(data []byte) error {
	ctx := context.Background()
	for n, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var r journalRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return fmt.Errorf("line %d: %v", n+1, err)
		}
		var d [sha256.Size]byte
		b, err := hex.DecodeString(r.SHA256)
		if err != nil || len(b) != len(d) {
			return fmt.Errorf("line %d: bad sha256", n+1)
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
			return fmt.Errorf("line %d: unknown action %q", n+1, r.Action)
		}
	}
	return nil
}

// record appends one change and syncs it: the record must be on disk
// before the body leaves.
func (j *fileJournal) record(action string, key evotor.JournalKey, d [sha256.Size]byte,
	uuid string) error {
	line, err := json.Marshal(journalRecord{Action: action, Group: key.Group,
		ExternalID: key.ExternalID, SHA256: hex.EncodeToString(d[:]), UUID: uuid})
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(append(line, '\n')); err != nil {
		return err
	}
	return j.f.Sync()
}

// Begin implements [evotor.Journal].
func (j *fileJournal) Begin(ctx context.Context, key evotor.JournalKey,
	d [sha256.Size]byte) (evotor.JournalEntry, bool, error) {
	e, loaded, err := j.MemoryJournal.Begin(ctx, key, d)
	if err == nil && !loaded {
		err = j.record("begin", key, d, "")
	}
	return e, loaded, err
}

// Accept implements [evotor.Journal].
func (j *fileJournal) Accept(ctx context.Context, key evotor.JournalKey, d [sha256.Size]byte,
	uuid string) error {
	if err := j.MemoryJournal.Accept(ctx, key, d, uuid); err != nil {
		return err
	}
	return j.record("accept", key, d, uuid)
}

// Forget implements [evotor.Journal].
func (j *fileJournal) Forget(ctx context.Context, key evotor.JournalKey,
	d [sha256.Size]byte) error {
	if err := j.MemoryJournal.Forget(ctx, key, d); err != nil {
		return err
	}
	return j.record("forget", key, d, "")
}

// Close closes the file.
func (j *fileJournal) Close() error { return j.f.Close() }
