package agent

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/stuchain/cuepoint-companion/internal/envelope"
)

// Sink delivers one item. Send returns nil only when the destination confirmed it. Other
// answers are a *RetryError (try again later, maybe after a given time) or a *FinalError
// (retrying cannot help: the item is dropped and the reason recorded). Sinks are
// idempotent: sending an item twice gives one event at the destination.
type Sink interface {
	// Destination describes where items go, for people: the ledger, the preview.
	Destination() string
	// Send blocks until the destination answers or ctx ends. It returns the exact bytes it
	// put on the wire (for the ledger), also when the destination refused them.
	Send(ctx context.Context, it Item) ([]byte, error)
}

// RetryError asks for a later attempt; After is zero when the sink has no opinion.
type RetryError struct {
	After  time.Duration
	Reason string
}

func (e *RetryError) Error() string { return e.Reason }

// FinalError is an answer that retrying cannot change (e.g. HTTP 400, 413).
type FinalError struct{ Reason string }

func (e *FinalError) Error() string { return e.Reason }

// stamp sets the envelope header fields that belong to the moment of sending.
func stamp(payload []byte, now time.Time, dsn string) ([]byte, error) {
	env, err := envelope.Decode(payload)
	if err != nil {
		return nil, &FinalError{Reason: "queued item is not a valid envelope: " + err.Error()}
	}
	env.Header.SentAt = now.UTC()
	env.Header.DSN = dsn
	return env.Encode(), nil
}

// FolderSink writes each item as "<id>.envelope" into a folder: the default destination
// when no Sentry DSN is configured, so the whole app works offline; the files are ready
// to be sent with any Sentry tool. Writes are atomic (temp file, fsync, rename): a file
// with the item's name is always complete.
type FolderSink struct {
	Dir string
	Now func() time.Time
}

func (f *FolderSink) Destination() string { return "folder " + homeRelative(f.Dir) }

// homeRelative writes a path under the user's home as ~/...: shorter, and it does not put
// the user's name on the screen or in the ledger.
func homeRelative(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || home == "/" {
		return p
	}
	if p == home {
		return "~"
	}
	if strings.HasPrefix(p, home+string(filepath.Separator)) {
		return "~" + p[len(home):]
	}
	return p
}

func (f *FolderSink) Send(ctx context.Context, it Item) ([]byte, error) {
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	b, err := stamp(it.Payload, now(), "")
	if err != nil {
		return nil, err
	}
	return b, f.write(it.ID, b)
}

func (f *FolderSink) write(id string, b []byte) error {
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return &RetryError{Reason: "cannot create " + f.Dir + ": " + err.Error()}
	}
	tmp, err := os.CreateTemp(f.Dir, ".tmp-*")
	if err != nil {
		return &RetryError{Reason: "cannot write to " + f.Dir + ": " + err.Error()}
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return &RetryError{Reason: "cannot write to " + f.Dir + ": " + err.Error()}
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return &RetryError{Reason: "cannot write to " + f.Dir + ": " + err.Error()}
	}
	if err := tmp.Close(); err != nil {
		return &RetryError{Reason: "cannot write to " + f.Dir + ": " + err.Error()}
	}
	if err := os.Rename(tmp.Name(), filepath.Join(f.Dir, id+".envelope")); err != nil {
		return &RetryError{Reason: "cannot write to " + f.Dir + ": " + err.Error()}
	}
	return nil
}

// SentrySink posts envelopes to the envelope endpoint of a Sentry DSN.
type SentrySink struct {
	DSN     *sentry.Dsn
	Client  *http.Client // nil: a client with a 30 s timeout
	Version string       // companion version, for the auth header
	Now     func() time.Time
}

// NewSentrySink parses dsn, with an error that says what is wrong and what a DSN looks like.
func NewSentrySink(dsn, version string) (*SentrySink, error) {
	dsn = strings.TrimSpace(dsn)
	d, err := sentry.NewDsn(dsn)
	if err == nil && (d.GetPort() < 1 || d.GetPort() > 65535) {
		err = fmt.Errorf("port %d is out of range", d.GetPort())
	}
	if err != nil {
		return nil, fmt.Errorf("the Sentry DSN %q does not parse (%v); it looks like https://<public key>@<host>/<project id>, as shown in Sentry under Project Settings → Client Keys", maskDSN(dsn), err)
	}
	return &SentrySink{DSN: d, Version: version}, nil
}

// maskDSN hides a secret key ("key:secret@") when a DSN is echoed in a message.
func maskDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return dsn
	}
	if colon := strings.Index(dsn[scheme+3:at], ":"); colon >= 0 {
		return dsn[:scheme+3+colon] + ":***" + dsn[at:]
	}
	return dsn
}

func (s *SentrySink) Destination() string {
	return fmt.Sprintf("Sentry at %s (project %s)", s.DSN.GetAPIURL().Host, s.DSN.GetProjectID())
}

func (s *SentrySink) Send(ctx context.Context, it Item) ([]byte, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	body, err := stamp(it.Payload, now(), s.DSN.String())
	if err != nil {
		return nil, err
	}
	return body, s.post(ctx, body, now)
}

func (s *SentrySink) post(ctx context.Context, body []byte, now func() time.Time) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.DSN.GetAPIURL().String(), bytes.NewReader(body))
	if err != nil {
		return &FinalError{Reason: err.Error()}
	}
	auth := fmt.Sprintf("Sentry sentry_version=7, sentry_client=%s/%s, sentry_key=%s", SDKName, s.Version, s.DSN.GetPublicKey())
	if sk := s.DSN.GetSecretKey(); sk != "" {
		auth += ", sentry_secret=" + sk
	}
	req.Header.Set("X-Sentry-Auth", auth)
	req.Header.Set("Content-Type", "application/x-sentry-envelope")
	req.Header.Set("User-Agent", SDKName+"/"+s.Version)
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return &RetryError{Reason: "Sentry could not be reached: " + err.Error()}
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests:
		after := rateLimitDelay(resp.Header, now())
		if after == 0 {
			after = defaultRateLimit
		}
		return &RetryError{After: after, Reason: "Sentry is rate-limiting this project (429)"}
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound:
		// The DSN is wrong or revoked: no report is at fault, so none is dropped; they wait
		// for the setting to be fixed.
		return &RetryError{After: time.Hour, Reason: fmt.Sprintf("Sentry refused the DSN's key or project (%s): check --sentry-dsn; the reports stay queued", resp.Status)}
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
		return &RetryError{After: rateLimitDelay(resp.Header, now()), Reason: fmt.Sprintf("Sentry answered %s", resp.Status)}
	default:
		return &FinalError{Reason: fmt.Sprintf("Sentry refused the event: %s %s", resp.Status, strings.TrimSpace(string(msg)))}
	}
}

// defaultRateLimit is the wait after a 429 without a header (Sentry's SDKs use 60 s).
const defaultRateLimit = 60 * time.Second

// maxWait caps what a server can ask for: a header far in the future must not park a
// report for years.
const maxWait = 24 * time.Hour

// rateLimitDelay reads X-Sentry-Rate-Limits ("60:error;transaction:key, ...": the longest
// limit that covers errors or all categories) and Retry-After (seconds or an HTTP date).
// Zero means no header; a 429 without one waits the default of 60 s.
func rateLimitDelay(h http.Header, now time.Time) time.Duration {
	var best time.Duration
	if rl := h.Get("X-Sentry-Rate-Limits"); rl != "" {
		for _, limit := range strings.Split(rl, ",") {
			parts := strings.Split(strings.TrimSpace(limit), ":")
			secs, err := strconv.ParseFloat(parts[0], 64)
			if err != nil {
				continue
			}
			applies := len(parts) < 2 || parts[1] == ""
			if !applies {
				for _, c := range strings.Split(parts[1], ";") {
					if c == "error" || c == "default" {
						applies = true
					}
				}
			}
			if d := time.Duration(secs * float64(time.Second)); applies && d > best {
				best = d
			}
		}
		if best > 0 {
			return min(best, maxWait)
		}
	}
	if ra := h.Get("Retry-After"); ra != "" {
		if secs, err := strconv.ParseInt(strings.TrimSpace(ra), 10, 64); err == nil && secs >= 0 {
			return min(time.Duration(min(secs, int64(maxWait/time.Second)))*time.Second, maxWait)
		}
		if t, err := http.ParseTime(ra); err == nil {
			if d := t.Sub(now); d > 0 {
				return min(d, maxWait)
			}
		}
	}
	return 0
}
