package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/stuchain/cuepoint-companion/consent/scrub"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
	"github.com/stuchain/cuepoint-companion/internal/pytb"
)

// maxBreadcrumbs bounds the log lines attached to one event (Sentry keeps 100).
const maxBreadcrumbs = 100

// crashEventID is the Sentry event_id of a crash file pair: derived from what both halves
// of the pair record (file name, CuePoint's report_id, the microsecond timestamp), so the
// same crash gives the same event whichever half was readable and however often it is
// sent. Sentry drops an event whose ID it has already seen: a resend is never a duplicate.
func crashEventID(c cuepoint.Crash) sentry.EventID {
	sum := sha256.Sum256([]byte("cuepoint-companion/crash/v1\n" + c.Name + "\n" + c.ReportID + "\n" + c.TimestampRaw))
	return sentry.EventID(hex.EncodeToString(sum[:16]))
}

// crashEvent turns a crash into a Sentry event. Every string taken from the crash goes
// through s; the result holds nothing s would change.
// The event is built from the crash as recorded: scrubbing happens once, over the whole
// event, in crashItem, so that replacements are numbered consistently across all of its
// strings (<email-1> is the same address everywhere) and a name seen in one string is
// removed from all the others.
func crashEvent(c cuepoint.Crash, companionVersion string) *sentry.Event {
	tb := pytb.Parse(c.Exception.Traceback)
	ev := &sentry.Event{
		EventID:     crashEventID(c),
		Timestamp:   c.Time.UTC(),
		Level:       sentry.LevelFatal,
		Platform:    "python",
		Logger:      "cuepoint.crash_handler",
		Environment: "production",
		Sdk:         sentry.SdkInfo{Name: SDKName, Version: companionVersion},
		Exception:   crashExceptions(c, tb),
		Tags: map[string]string{
			"report_id":  c.ReportID,
			"crash_file": c.Name,
			"source":     "crash-file",
		},
		Contexts: map[string]sentry.Context{},
	}
	if c.App.Version != "" {
		ev.Release = "cuepoint@" + c.App.Version
	}
	ev.Dist = c.App.BuildNumber
	if c.Partial || tb.Partial {
		ev.Tags["partial"] = "true"
	}
	if c.System.Platform != "" {
		ev.Contexts["os"] = sentry.Context{"name": c.System.Platform, "kernel_version": c.System.PlatformVersion}
	}
	if v := firstWord(c.System.PythonVersion, c.App.PythonVersion); v != "" {
		ev.Contexts["runtime"] = sentry.Context{"name": "CPython", "version": v}
	}
	if c.App.Version != "" {
		ev.Contexts["app"] = sentry.Context{"app_name": "CuePoint", "app_version": c.App.Version, "app_build": c.App.BuildNumber}
	}
	cp := sentry.Context{}
	for k, v := range map[string]string{"commit": c.App.CommitSHA, "build_date": c.App.BuildDate, "version_string": c.App.VersionString} {
		if v != "" {
			cp[k] = v
		}
	}
	if ac, ok := c.Context["application_context"]; ok {
		cp["application_context"] = ac
	}
	if len(cp) > 0 {
		ev.Contexts["cuepoint"] = cp
	}
	ev.Fingerprint = crashFingerprint(ev.Exception)
	ev.Breadcrumbs = breadcrumbs(c.Recent, c.Time.Location())
	return ev
}

func firstWord(vals ...string) string {
	for _, v := range vals {
		if f := strings.Fields(v); len(f) > 0 {
			return f[0]
		}
	}
	return ""
}

// crashExceptions lists the chain oldest first, as Sentry expects (the last value is the
// exception that ended the program), with mechanism IDs linking each cause to the exception
// it led to, as Sentry's Python SDK does for __context__ and __cause__.
func crashExceptions(c cuepoint.Crash, tb pytb.Traceback) []sentry.Exception {
	excs := tb.Exceptions
	if len(excs) == 0 {
		excs = []pytb.Exception{{}}
	}
	last := &excs[len(excs)-1]
	if last.Type == "" { // truncated traceback: the crash file's own fields name the exception
		last.Type = c.Exception.Type
		last.Name = c.Exception.Type
		last.Value = c.Exception.Message
	}
	n := len(excs)
	out := make([]sentry.Exception, 0, n)
	for k, e := range excs {
		ex := sentry.Exception{Type: e.Name, Module: e.Module, Value: e.Value}
		if ex.Type == "" {
			ex.Type = e.Type
		}
		if len(e.Frames) > 0 {
			ex.Stacktrace = &sentry.Stacktrace{Frames: frames(e.Frames)}
		}
		m := &sentry.Mechanism{Type: "chained", ExceptionID: n - 1 - k}
		if k == n-1 {
			m.Type = "cuepoint.crash_handler"
			m.Handled = sentry.Pointer(false)
		} else {
			m.ParentID = sentry.Pointer(n - k - 2)
			m.Source = "__context__"
			if excs[k+1].Link == "cause" {
				m.Source = "__cause__"
			}
		}
		ex.Mechanism = m
		out = append(out, ex)
	}
	return out
}

func frames(fs []pytb.Frame) []sentry.Frame {
	out := make([]sentry.Frame, 0, len(fs))
	for _, f := range fs {
		file := f.File
		module := pytb.ModuleFromPath(file)
		out = append(out, sentry.Frame{
			Filename:    file,
			AbsPath:     file,
			Module:      module,
			Function:    f.Function,
			Lineno:      f.Line,
			ContextLine: f.Source,
			InApp:       module == "cuepoint" || strings.HasPrefix(module, "cuepoint."),
		})
	}
	return out
}

// crashFingerprint groups events the same way on every machine: the exception types of the
// chain and the in-app functions of the final one — no paths (home folders, PyInstaller's
// random _MEI folder) and no line numbers (they move with every release).
func crashFingerprint(excs []sentry.Exception) []string {
	fp := []string{"cuepoint-crash"}
	for _, e := range excs {
		t := e.Type
		if e.Module != "" {
			t = e.Module + "." + e.Type
		}
		fp = append(fp, t)
	}
	if len(excs) > 0 && excs[len(excs)-1].Stacktrace != nil {
		for _, f := range excs[len(excs)-1].Stacktrace.Frames {
			if f.InApp {
				fp = append(fp, f.Module+"."+f.Function)
			}
		}
	}
	return fp
}

var levels = map[string]sentry.Level{
	"DEBUG": sentry.LevelDebug, "INFO": sentry.LevelInfo, "WARNING": sentry.LevelWarning,
	"ERROR": sentry.LevelError, "CRITICAL": sentry.LevelFatal,
}

// breadcrumbs turns the crash's recent log lines into breadcrumbs, scrubbed, the newest
// maxBreadcrumbs kept.
func breadcrumbs(recent string, loc *time.Location) []*sentry.Breadcrumb {
	var out []*sentry.Breadcrumb
	for _, line := range strings.Split(recent, "\n") {
		l, ok := cuepoint.ParseLogLine(line, loc)
		if !ok {
			continue
		}
		b := &sentry.Breadcrumb{Type: "default", Category: l.Logger, Message: l.Message, Level: levels[l.Level], Timestamp: l.Time.UTC()}
		if l.RunID != "" {
			b.Data = map[string]any{"run_id": l.RunID}
		}
		if b.Level == sentry.LevelError || b.Level == sentry.LevelFatal {
			b.Type = "error"
		}
		out = append(out, b)
	}
	if len(out) > maxBreadcrumbs {
		out = out[len(out)-maxBreadcrumbs:]
	}
	return out
}

// crashSummary is the one-line description of a crash in lists.
func crashSummary(c cuepoint.Crash, s *scrub.Scrubber) string {
	return c.Exception.Type + ": " + shorten(s.String(c.Exception.Message), 120)
}
