package evotortest

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
)

// Server is a sandbox listening on a loopback address.
type Server struct {
	*Handler
	// URL is the base URL of the API, for evotor.WithBaseURL:
	// http://127.0.0.1:PORT/possystem/v5/.
	URL string
	// Login, Password and Group are the credentials the sandbox accepts.
	Login, Password, Group string

	srv *httptest.Server
}

// NewServer starts a sandbox on 127.0.0.1 at a free port, like
// httptest.NewServer, and panics if it cannot listen. Close it when done.
func NewServer(opts ...Option) *Server {
	h := NewHandler(opts...)
	return newServer(h, httptest.NewServer(h))
}

// Listen starts a sandbox at addr, which must be a loopback address
// (127.0.0.1:0, [::1]:8080, localhost:0): the sandbox is not a service
// for the network.
func Listen(addr string, opts ...Option) (*Server, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, errors.New("sandbox: " + addr + " is not host:port (" + err.Error() +
			"); give a port, 0 for any free one")
	}
	if !LoopbackAddr(addr) {
		return nil, errors.New("sandbox: " + addr + " is not a loopback address")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	h := NewHandler(opts...)
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	srv.Start()
	return newServer(h, srv), nil
}

func newServer(h *Handler, srv *httptest.Server) *Server {
	return &Server{Handler: h, URL: srv.URL + BasePath, Login: h.cfg.login,
		Password: h.cfg.pass, Group: h.cfg.group, srv: srv}
}

// LoopbackAddr reports whether addr (host:port) names a loopback host: a
// loopback IP address or localhost.
func LoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Close stops the server, then the handler's callbacks.
func (s *Server) Close() {
	s.srv.Close()
	s.Handler.Close()
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }
