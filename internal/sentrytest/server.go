// Package sentrytest is a local Sentry for tests: an httptest server on 127.0.0.1 that
// speaks Sentry's envelope endpoint (POST /api/<project>/envelope/ with X-Sentry-Auth),
// checks every envelope the way Relay does (auth key, header JSON, item lengths, event
// JSON), records what arrived and answers like Sentry, including rate limits.
package sentrytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/stuchain/cuepoint-companion/internal/envelope"
)

// Received is one accepted envelope.
type Received struct {
	Raw      []byte
	Envelope *envelope.Envelope
	Auth     string
}

// Server is a running fake Sentry.
type Server struct {
	*httptest.Server
	Key, Project string

	mu       sync.Mutex
	got      []Received
	rejected []string
	requests int
	// Respond, when set, may answer a request instead of accepting it (e.g. 429, 500).
	// Returning false accepts as usual.
	Respond func(n int, w http.ResponseWriter) bool
}

// New starts a fake Sentry; Close it when done.
func New() *Server {
	s := &Server{Key: "0123456789abcdef0123456789abcdef", Project: "42"}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// DSN is a real DSN string pointing at the server.
func (s *Server) DSN() string {
	return fmt.Sprintf("http://%s@%s/%s", s.Key, strings.TrimPrefix(s.URL, "http://"), s.Project)
}

// Envelopes returns the accepted envelopes in arrival order.
func (s *Server) Envelopes() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// Rejected lists why requests were refused (protocol errors by the client).
func (s *Server) Rejected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.rejected...)
}

// Requests counts every request, accepted or not.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *Server) reject(w http.ResponseWriter, code int, why string) {
	s.rejected = append(s.rejected, why)
	http.Error(w, `{"detail":"`+why+`"}`, code)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if s.Respond != nil && s.Respond(s.requests, w) {
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/api/"+s.Project+"/envelope/" {
		s.reject(w, http.StatusNotFound, "not the envelope endpoint: "+r.Method+" "+r.URL.Path)
		return
	}
	auth := r.Header.Get("X-Sentry-Auth")
	if !strings.Contains(auth, "sentry_key="+s.Key) || !strings.Contains(auth, "sentry_version=7") {
		s.reject(w, http.StatusUnauthorized, "bad X-Sentry-Auth: "+auth)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-sentry-envelope" {
		s.reject(w, http.StatusBadRequest, "content type "+ct)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.reject(w, http.StatusBadRequest, err.Error())
		return
	}
	env, err := envelope.Decode(body)
	if err != nil {
		s.reject(w, http.StatusBadRequest, err.Error())
		return
	}
	if env.Header.EventID == "" || env.Header.SentAt.IsZero() {
		s.reject(w, http.StatusBadRequest, "envelope header lacks event_id or sent_at")
		return
	}
	for _, it := range env.Items {
		if it.Type != "event" {
			continue
		}
		var ev struct {
			EventID string `json:"event_id"`
		}
		if err := json.Unmarshal(it.Payload, &ev); err != nil {
			s.reject(w, http.StatusBadRequest, "event item is not JSON: "+err.Error())
			return
		}
		if ev.EventID != env.Header.EventID {
			s.reject(w, http.StatusBadRequest, "event_id differs between header and event")
			return
		}
	}
	s.got = append(s.got, Received{Raw: body, Envelope: env, Auth: auth})
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":%q}`, env.Header.EventID)
}
