package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os/signal"
	"syscall"
	"time"

	"github.com/evoreceipt/evoreceipt/evotor/evotortest"
)

func init() {
	register(&command{
		name: "sandbox",
		args: "",
		summary: "Run a sandbox of the Evotor v5 service on a loopback address.\n" +
			"It serves until Ctrl-C or SIGTERM, then prints what it did on stderr. It\n" +
			"prints its base URL on the first line of stdout and the credentials it\n" +
			"accepts on stderr. Faults can be injected for testing clients. Bodies over\n" +
			"1 MiB are refused with code 40; the service's own limit is not documented.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) int {
			o := &sandboxOptions{}
			fs.StringVar(&o.addr, "addr", "127.0.0.1:0", "loopback address to listen on")
			fs.StringVar(&o.login, "login", evotortest.DefaultLogin, "login it accepts")
			fs.StringVar(&o.password, "password", evotortest.DefaultPassword,
				"password it accepts")
			fs.StringVar(&o.group, "group", evotortest.DefaultGroup, "group code it serves")
			fs.Int64Var(&o.seed, "seed", 1, "seed of uuids, fiscal signs and faults")
			fs.DurationVar(&o.processing, "processing", 500*time.Millisecond,
				"how long a document stays in status wait (0 or more)")
			fs.DurationVar(&o.latency, "latency", 0, "delay answers by up to this (0 or more)")
			fs.Float64Var(&o.errors, "server-errors", 0, "fraction of requests answered "+
				"with HTTP 500")
			fs.Float64Var(&o.drops, "drops", 0, "fraction of requests whose connection "+
				"is dropped")
			fs.DurationVar(&o.tokenTTL, "token-ttl", 24*time.Hour, "token lifetime (positive)")
			return func(ctx context.Context, e *env, args []string) int {
				return runSandbox(ctx, e, args, o)
			}
		},
	})
}

type sandboxOptions struct {
	addr, login, password, group string
	seed                         int64
	processing, latency          time.Duration
	tokenTTL                     time.Duration
	errors, drops                float64
}

func runSandbox(ctx context.Context, e *env, args []string, o *sandboxOptions) int {
	if len(args) != 0 {
		return usageError(e, "sandbox", "takes no arguments")
	}
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return usageError(e, "sandbox", "--addr %s is not host:port (%v); give a port, "+
			"0 for any free one: 127.0.0.1:0", o.addr, err)
	}
	if !evotortest.LoopbackAddr(o.addr) {
		return usageError(e, "sandbox", "%s is not a loopback address: the sandbox listens "+
			"on 127.0.0.1, ::1 or localhost only", o.addr)
	}
	switch {
	case o.processing < 0:
		return usageError(e, "sandbox", "--processing must not be negative, not %v",
			o.processing)
	case o.latency < 0:
		return usageError(e, "sandbox", "--latency must not be negative, not %v", o.latency)
	case o.tokenTTL <= 0:
		// A token that expires as it is issued would refuse every request.
		return usageError(e, "sandbox", "--token-ttl must be positive, not %v", o.tokenTTL)
	}
	for _, r := range []float64{o.errors, o.drops} {
		if !(r >= 0 && r <= 1) {
			return usageError(e, "sandbox", "fault rates must be between 0 and 1")
		}
	}
	if o.login == "" || o.password == "" || o.group == "" {
		return usageError(e, "sandbox", "login, password and group must not be empty")
	}
	s, err := evotortest.Listen(o.addr,
		evotortest.WithCredentials(o.login, o.password), evotortest.WithGroupCode(o.group),
		evotortest.WithSeed(o.seed), evotortest.WithProcessingTime(o.processing),
		evotortest.WithLatency(o.latency), evotortest.WithServerErrors(o.errors),
		evotortest.WithDroppedConnections(o.drops), evotortest.WithTokenTTL(o.tokenTTL))
	if err != nil {
		fmt.Fprintf(e.stderr, "evoreceipt sandbox: %v\n", err)
		return exitUsage
	}
	defer s.Close()
	// SIGTERM (kill, a service manager) stops it as Ctrl-C does, with the
	// summary; main handles only os.Interrupt.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	fmt.Fprintln(e.stdout, s.URL)
	fmt.Fprintf(e.stderr, "evoreceipt sandbox: listening at %s\n"+
		"  login %s, password %s, group %s\n  stop with Ctrl-C or SIGTERM\n",
		s.URL, s.Login, s.Password, s.Group)
	<-ctx.Done()
	st := s.Stats()
	fmt.Fprintf(e.stderr, "evoreceipt sandbox: %d documents registered, %d duplicates "+
		"answered, %d refused, %d faults injected\n", st.Registrations, st.Duplicates,
		st.Rejected, st.Faults)
	return exitOK
}
