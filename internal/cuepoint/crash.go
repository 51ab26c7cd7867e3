package cuepoint

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Problem is an input that could not be (fully) used: which file, what was wrong.
type Problem struct {
	File    string
	Message string
}

func (p Problem) Error() string { return p.File + ": " + p.Message }

// Crash is one crash file pair, merged: the JSON half when it is readable, the .log half
// for whatever the JSON could not give.
type Crash struct {
	Name     string // crash-YYYYMMDD-HHMMSS
	JSONPath string // "" when that half is missing
	LogPath  string // "" when that half is missing
	Partial  bool   // a half is missing, truncated or unreadable

	Time         time.Time
	TimestampRaw string // the timestamp exactly as written (both halves carry it)
	Exception    Exception
	App          App
	System       System
	Context      map[string]any // "context" object of the JSON, as decoded
	Home         string         // paths.platform.home: the user's home as CuePoint saw it
	Recent       string         // recent log lines (root log format)
	ReportID     string         // metadata.report_id, or computed the same way CuePoint does
	SessionID    string
}

// Exception is the crash's exception as CuePoint recorded it.
type Exception struct {
	Type      string `json:"type"`
	Message   string `json:"message"`
	Traceback string `json:"traceback"`
}

// App is the application block of a crash JSON.
type App struct {
	Version          string `json:"version"`
	VersionString    string `json:"version_string"`
	BuildNumber      string `json:"build_number"`
	CommitSHA        string `json:"commit_sha"`
	ShortCommitSHA   string `json:"short_commit_sha"`
	BuildDate        string `json:"build_date"`
	PythonVersion    string `json:"python_version"`
	PythonExecutable string `json:"python_executable"`
}

// System is the system block of a crash JSON.
type System struct {
	Platform        string `json:"platform"`
	PlatformVersion string `json:"platform_version"`
	PythonVersion   string `json:"python_version"`
}

// maxCrashFile bounds what is read of one crash file; CuePoint's are a few KB.
const maxCrashFile = 16 << 20

// ReadCrashes reads every crash pair in dirs (missing folders are skipped silently; a
// folder that exists but cannot be read is a Problem). Crashes come back oldest first.
// loc is the zone CuePoint's zone-less timestamps are read in (the machine's own).
func ReadCrashes(dirs []string, loc *time.Location) ([]Crash, []Problem) {
	var crashes []Crash
	var problems []Problem
	seen := map[string]bool{}
	for _, dir := range dirs {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				problems = append(problems, Problem{dir, "cannot be opened: " + plainErr(err)})
			}
			continue
		}
		if seen[real] {
			continue
		}
		seen[real] = true
		c, p := readCrashDir(dir, loc)
		crashes = append(crashes, c...)
		problems = append(problems, p...)
	}
	sort.SliceStable(crashes, func(i, j int) bool {
		if !crashes[i].Time.Equal(crashes[j].Time) {
			return crashes[i].Time.Before(crashes[j].Time)
		}
		return crashes[i].Name < crashes[j].Name
	})
	return crashes, problems
}

func readCrashDir(dir string, loc *time.Location) ([]Crash, []Problem) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, []Problem{{dir, "cannot be read: " + plainErr(err) + "; check the folder's permissions"}}
	}
	pairs := map[string]*Crash{}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasPrefix(n, "crash-") {
			continue
		}
		ext := filepath.Ext(n)
		if ext != ".json" && ext != ".log" {
			continue
		}
		stem := strings.TrimSuffix(n, ext)
		c := pairs[stem]
		if c == nil {
			c = &Crash{Name: stem}
			pairs[stem] = c
			names = append(names, stem)
		}
		if ext == ".json" {
			c.JSONPath = filepath.Join(dir, n)
		} else {
			c.LogPath = filepath.Join(dir, n)
		}
	}
	sort.Strings(names)
	var crashes []Crash
	var problems []Problem
	for _, stem := range names {
		c, p := readPair(pairs[stem], loc)
		problems = append(problems, p...)
		if c != nil {
			crashes = append(crashes, *c)
		}
	}
	return crashes, problems
}

// readPair fills c from its halves. It returns nil when neither half gave an exception.
func readPair(c *Crash, loc *time.Location) (*Crash, []Problem) {
	var problems []Problem
	jsonOK, logOK := false, false
	if c.JSONPath != "" {
		if err := c.readJSON(loc); err != nil {
			problems = append(problems, Problem{c.JSONPath, err.Error()})
		} else {
			jsonOK = true
		}
	}
	if c.LogPath != "" {
		if err := c.readLog(loc, jsonOK); err != nil {
			problems = append(problems, Problem{c.LogPath, err.Error()})
		} else {
			logOK = true
		}
	}
	c.Partial = !(jsonOK && logOK)
	if !jsonOK && !logOK {
		if len(problems) > 0 {
			last := &problems[len(problems)-1]
			last.Message += "; this crash is skipped until a readable half exists"
		}
		return nil, problems
	}
	if c.Time.IsZero() {
		c.Time = timeFromName(c.Name, loc)
	}
	if c.ReportID == "" {
		c.ReportID = ReportID(c.Exception.Type, c.Exception.Traceback)
	}
	return c, problems
}

func readFile(path string) ([]byte, error) {
	// Stat before opening: opening a FIFO (or a device) would block or never end.
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %s", plainErr(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("is not a regular file (%s); CuePoint writes plain files, so it was skipped", st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %s", plainErr(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCrashFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %s", plainErr(err))
	}
	if len(b) > maxCrashFile {
		return nil, fmt.Errorf("is larger than %d MB; CuePoint's crash files are a few KB, so this is not one", maxCrashFile>>20)
	}
	if len(b) == 0 {
		return nil, errors.New("is empty (CuePoint may have crashed while writing it)")
	}
	return b, nil
}

func (c *Crash) readJSON(loc *time.Location) error {
	b, err := readFile(c.JSONPath)
	if err != nil {
		return err
	}
	return c.decodeJSON(b, loc)
}

func (c *Crash) decodeJSON(b []byte, loc *time.Location) error {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a UTF-8 BOM (an editor saved it)
	// Decoded loosely: one field of an unexpected type (a build number written as a number,
	// a list where an object was) must not cost the whole crash.
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		if strings.Contains(err.Error(), "unexpected end of JSON input") {
			return fmt.Errorf("is cut off after %d bytes (incomplete JSON; CuePoint may have crashed while writing it)", len(b))
		}
		return fmt.Errorf("is not a CuePoint crash JSON: %s", plainErr(err))
	}
	j, ok := doc.(map[string]any)
	if !ok {
		return fmt.Errorf("is not a CuePoint crash JSON: it holds a JSON %s, not an object", jsonKind(doc))
	}
	c.Exception = Exception{Type: str(j, "exception", "type"), Message: str(j, "exception", "message"), Traceback: str(j, "exception", "traceback")}
	if c.Exception.Type == "" && c.Exception.Traceback == "" {
		return errors.New("has no exception in it; not a CuePoint crash file")
	}
	c.App = App{
		Version: str(j, "application", "version"), VersionString: str(j, "application", "version_string"),
		BuildNumber: str(j, "application", "build_number"), CommitSHA: str(j, "application", "commit_sha"),
		ShortCommitSHA: str(j, "application", "short_commit_sha"), BuildDate: str(j, "application", "build_date"),
		PythonVersion: str(j, "application", "python_version"), PythonExecutable: str(j, "application", "python_executable"),
	}
	c.System = System{Platform: str(j, "system", "platform"), PlatformVersion: str(j, "system", "platform_version"), PythonVersion: str(j, "system", "python_version")}
	if ctx, ok := j["context"].(map[string]any); ok {
		c.Context = ctx
	}
	c.Home = str(j, "paths", "platform", "home")
	c.Recent = str(j, "recent_logs")
	c.ReportID = str(j, "metadata", "report_id")
	c.SessionID = str(j, "metadata", "session_id")
	c.TimestampRaw = str(j, "timestamp")
	if t, err := parseLocalISO(c.TimestampRaw, loc); err == nil {
		c.Time = t
	}
	return nil
}

// str follows keys into nested objects and returns the value as text ("" when absent or
// not a scalar).
func str(m map[string]any, keys ...string) string {
	var v any = m
	for _, k := range keys {
		obj, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = obj[k]
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// readLog parses the .log half. With fillOnlyGaps, values the JSON gave are kept.
func (c *Crash) readLog(loc *time.Location, fillOnlyGaps bool) error {
	b, err := readFile(c.LogPath)
	if err != nil {
		return err
	}
	return c.decodeLog(b, loc, fillOnlyGaps)
}

func (c *Crash) decodeLog(b []byte, loc *time.Location, fillOnlyGaps bool) error {
	text := string(b)
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	l, err := parseCrashLog(text)
	if err != nil {
		return err
	}
	if fillOnlyGaps {
		return nil
	}
	c.Exception = l.exc
	c.Recent = l.recent
	c.TimestampRaw = l.timestamp
	if t, err := parseLocalISO(l.timestamp, loc); err == nil {
		c.Time = t
	}
	return nil
}

type crashLog struct {
	timestamp string
	exc       Exception
	recent    string
}

const banner = "============================================================"

// parseCrashLog reads CuePoint's crash .log layout: banner, header lines, "Traceback:",
// the traceback, a second banner and the recent log lines.
func parseCrashLog(text string) (crashLog, error) {
	var l crashLog
	lines := strings.Split(text, "\n")
	i := 0
	for ; i < len(lines) && lines[i] != "Traceback:"; i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, "Timestamp: "):
			l.timestamp = strings.TrimPrefix(line, "Timestamp: ")
		case strings.HasPrefix(line, "Exception: "):
			l.exc.Type = strings.TrimPrefix(line, "Exception: ")
		case strings.HasPrefix(line, "Message: "):
			l.exc.Message = strings.TrimPrefix(line, "Message: ")
		}
	}
	if i == len(lines) {
		if l.exc.Type == "" {
			return l, errors.New("has no \"Traceback:\" section; not a CuePoint crash log (or cut off before it)")
		}
		return l, nil
	}
	i++
	var tb []string
	for ; i < len(lines) && !strings.HasPrefix(lines[i], banner); i++ {
		tb = append(tb, lines[i])
	}
	for len(tb) > 0 && strings.TrimSpace(tb[len(tb)-1]) == "" {
		tb = tb[:len(tb)-1]
	}
	if len(tb) > 0 {
		l.exc.Traceback = strings.Join(tb, "\n") + "\n"
	}
	// Skip "=====", "Recent Log Entries ...", "=====".
	if i < len(lines) {
		i++
		for i < len(lines) && !strings.HasPrefix(lines[i], banner) {
			i++
		}
		if i < len(lines) {
			l.recent = strings.TrimRight(strings.Join(lines[i+1:], "\n"), "\n")
		}
	}
	if l.exc.Type == "" && l.exc.Traceback == "" {
		return l, errors.New("has no exception in it; not a CuePoint crash log")
	}
	return l, nil
}

// ReportID computes CuePoint's metadata.report_id: the first 16 hex characters of the
// SHA-256 of "<type>\n<first 500 characters of the traceback>".
func ReportID(excType, traceback string) string {
	r := []rune(traceback)
	if len(r) > 500 {
		r = r[:500]
	}
	sum := sha256.Sum256([]byte(excType + "\n" + string(r)))
	return hex.EncodeToString(sum[:])[:16]
}

func parseLocalISO(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.Local
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999", "2006-01-02T15:04:05", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad timestamp %q", s)
}

func timeFromName(stem string, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.Local
	}
	t, _ := time.ParseInLocation("20060102-150405", strings.TrimPrefix(stem, "crash-"), loc)
	return t
}

// plainErr drops the path os errors repeat (the Problem already names the file).
func plainErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// FromText reads any crash text a user or support person may hold: a CuePoint crash .json,
// a CuePoint crash .log, or a bare Python traceback pasted from a bug report (with or
// without log prefixes). name labels it (a file name, "stdin"). Only a text with no
// exception in it at all is an error.
func FromText(name string, b []byte, loc *time.Location) (Crash, error) {
	c := Crash{Name: strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return c, errors.New("is empty")
	}
	var err error
	switch {
	case trimmed[0] == '{':
		c.JSONPath = name
		err = c.decodeJSON(b, loc)
	case bytes.Contains(b, []byte("\nTraceback:")) && bytes.Contains(b, []byte(banner)):
		c.LogPath = name
		err = c.decodeLog(b, loc, false)
		c.Partial = true // the .log half alone: no version, build or system facts
	default: // a bare traceback
		text := strings.ToValidUTF8(strings.ReplaceAll(string(b), "\r\n", "\n"), "\uFFFD")
		if !strings.Contains(text, "Traceback (most recent call last)") && !strings.Contains(text, "File \"") {
			return c, errors.New("holds no Python traceback and is not a CuePoint crash file")
		}
		c.Exception.Traceback = text
		c.Partial = true // no crash file around it: no version, no system facts
	}
	if err != nil {
		return c, err
	}
	if c.ReportID == "" {
		c.ReportID = ReportID(c.Exception.Type, c.Exception.Traceback)
	}
	if c.TimestampRaw == "" {
		sum := ReportID(name, string(b))
		c.TimestampRaw = sum // a stable identity for texts that carry no timestamp
	}
	return c, nil
}
