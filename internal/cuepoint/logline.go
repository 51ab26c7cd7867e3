package cuepoint

import (
	"regexp"
	"strings"
	"time"
)

// LogLine is one line of either of CuePoint's log pipelines.
type LogLine struct {
	Time    time.Time
	Level   string // DEBUG, INFO, WARNING, ERROR, CRITICAL
	Logger  string
	Message string // without the run_id/version/os suffix and the source location
	RunID   string // "" when "-"
	Source  string // "path:line" (service log only)
}

var (
	// 2026-11-20 10:14:58 [INFO    ] cuepoint.utils.logger: message run_id=- version=1.0.3 os=Linux 6.8.0
	rootLine = regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \[([A-Z]+)\s*\] ([^:]+): (.*)$`)
	// 2026-11-20 10:15:00,112 - cuepoint - INFO - message run_id=… version=… os=… - /path.py:1251
	serviceLine = regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) - (\S+) - ([A-Z]+) - (.*)$`)
	suffix      = regexp.MustCompile(` run_id=(\S+) version=\S* os=.*$`)
	sourceTail  = regexp.MustCompile(` - (\S+:\d+)$`)
)

// ParseLogLine reads one line of the root log or the service log; ok is false for
// anything else (continuation lines of a multi-line message, junk).
func ParseLogLine(line string, loc *time.Location) (LogLine, bool) {
	if loc == nil {
		loc = time.Local
	}
	line = strings.TrimRight(line, "\r")
	var l LogLine
	var ts, layout string
	if m := rootLine.FindStringSubmatch(line); m != nil {
		ts, layout = m[1], "2006-01-02 15:04:05"
		l.Level, l.Logger, l.Message = m[2], m[3], m[4]
	} else if m := serviceLine.FindStringSubmatch(line); m != nil {
		ts, layout = m[1], "2006-01-02 15:04:05,000"
		l.Logger, l.Level, l.Message = m[2], m[3], m[4]
		if s := sourceTail.FindStringSubmatchIndex(l.Message); s != nil {
			l.Source = l.Message[s[2]:s[3]]
			l.Message = l.Message[:s[0]]
		}
	} else {
		return LogLine{}, false
	}
	t, err := time.ParseInLocation(layout, ts, loc)
	if err != nil {
		return LogLine{}, false
	}
	l.Time = t
	if s := suffix.FindStringSubmatchIndex(l.Message); s != nil {
		if id := l.Message[s[2]:s[3]]; id != "-" {
			l.RunID = id
		}
		l.Message = l.Message[:s[0]]
	}
	return l, true
}
