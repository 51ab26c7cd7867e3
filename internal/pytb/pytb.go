package pytb

import (
	"strconv"
	"strings"
	"unicode"
)

// Frame is one "File ..., line N, in func" entry with its source line.
type Frame struct {
	File     string
	Line     int    // 0 if Python printed no usable number ("line None")
	Function string // "" for the SyntaxError form (File line without ", in func")
	Source   string // trimmed source line, "" if absent
}

// Exception is one exception of a chain.
type Exception struct {
	Type   string  // as printed, e.g. "requests.exceptions.ReadTimeout", "KeyError", "re.error"
	Module string  // "requests.exceptions", "" for builtins, "re"
	Name   string  // "ReadTimeout", "KeyError", "error"
	Value  string  // message after ": " (may span several lines), "" if none
	Frames []Frame // oldest call first, as Python prints them
	// How this exception relates to the one before it in Traceback.Exceptions: "" for the first,
	// "context" ("During handling of the above exception, another exception occurred:") or
	// "cause" ("The above exception was the direct cause of the following exception:").
	Link string
}

// Traceback is a parsed chain, oldest exception first: the last one is what ended the program.
type Traceback struct {
	Exceptions []Exception
	Partial    bool // something could not be parsed or the text was truncated
}

// Link values.
const (
	LinkContext = "context"
	LinkCause   = "cause"
)

const (
	headerLine  = "Traceback (most recent call last):"
	groupHeader = "Exception Group Traceback (most recent call last):"
	contextLine = "During handling of the above exception, another exception occurred:"
	causeLine   = "The above exception was the direct cause of the following exception:"
)

type state int

const (
	stIdle   state = iota // before the first traceback: skipping junk
	stFrames              // after a header or a frame: frames until the exception line
	stValue               // after an exception line: further lines of its value
	stLink                // after a chain sentence: waiting for the next exception
	stDone                // finished (end of the chain, or gave up)
)

type parser struct {
	lines      []string
	st         state
	tb         Traceback
	link       string // link for the next exception to begin
	needSource bool   // the last frame has not had its source line yet
	linkAhead  int    // index of a chain sentence already found past blank lines
	valueFrom  int    // further lines of the current value are lines[valueFrom:valueTo]
	valueTo    int
}

// Parse never fails and never panics; on text it cannot fully understand it returns what it got with Partial set.
func Parse(text string) Traceback {
	p := parser{lines: splitLines(text)}
	for i := 0; i < len(p.lines) && p.st != stDone; i++ {
		p.step(i)
	}
	switch p.st {
	case stValue:
		p.endValue()
	case stFrames, stLink: // truncated: no exception line, or a chain sentence with nothing after it
		p.tb.Partial = true
	case stIdle:
		p.tb.Partial = strings.TrimSpace(text) != ""
	}
	return p.tb
}

func (p *parser) step(i int) {
	line := p.lines[i]
	trim := strings.TrimSpace(line)
	switch p.st {
	case stIdle:
		switch {
		case strings.Contains(trim, groupHeader):
			p.fail()
		case trim == headerLine:
			p.begin()
			p.st = stFrames
		case linkOf(trim) != "":
			p.headless(i)
			p.link = linkOf(trim)
			p.st = stLink
		default:
			if f, ok := p.parseFrame(line); ok {
				// A frame without a header is normal for a SyntaxError
				// (no ", in func"); otherwise the start was cut off.
				p.tb.Partial = p.tb.Partial || f.Function != ""
				p.begin()
				p.addFrame(f)
				p.st = stFrames
			}
		}

	case stFrames:
		if trim == "" {
			return
		}
		if f, ok := p.parseFrame(line); ok {
			p.addFrame(f)
			return
		}
		if isIndented(line) {
			if isMarker(trim) || isElision(trim) || isRepeat(trim) {
				return
			}
			if p.needSource {
				fr := p.cur().Frames
				fr[len(fr)-1].Source = trim
				p.needSource = false
			}
			return // further lines (multi-line statements) are ignored
		}
		if typ, val, ok := parseExceptionLine(line); ok {
			p.setException(typ, val, i)
			p.st = stValue
			return
		}
		p.fail() // junk, a new header or a chain sentence before the exception line

	case stValue:
		if trim == "" {
			// A blank line ends the value, unless the chain goes on.
			if i < p.linkAhead {
				return
			}
			j := nextNonBlank(p.lines, i+1)
			if j < 0 || linkOf(strings.TrimSpace(p.lines[j])) == "" {
				p.endValue()
				p.st = stDone
			}
			p.linkAhead = j
			return
		}
		if l := linkOf(trim); l != "" {
			p.endValue()
			p.link = l
			p.st = stLink
			return
		}
		p.valueTo = i + 1 // one more line of the value

	case stLink:
		switch {
		case trim == "":
		case strings.Contains(trim, groupHeader):
			p.fail()
		case trim == headerLine:
			p.begin()
			p.st = stFrames
		default:
			if f, ok := p.parseFrame(line); ok { // SyntaxError without a traceback
				p.begin()
				p.addFrame(f)
				p.st = stFrames
				return
			}
			typ, val, ok := parseExceptionLine(line)
			if !ok {
				p.fail()
				return
			}
			p.begin() // exception without a traceback
			p.setException(typ, val, i)
			p.st = stValue
		}
	}
}

// begin starts a new exception.
func (p *parser) begin() {
	e := Exception{Link: p.link}
	if len(p.tb.Exceptions) == 0 {
		e.Link = ""
	}
	p.tb.Exceptions = append(p.tb.Exceptions, e)
	p.link = ""
	p.needSource = false
}

func (p *parser) cur() *Exception { return &p.tb.Exceptions[len(p.tb.Exceptions)-1] }

func (p *parser) addFrame(f Frame) {
	e := p.cur()
	e.Frames = append(e.Frames, f)
	p.needSource = true
}

func (p *parser) fail() {
	p.tb.Partial = true
	p.st = stDone
}

// setException fills in the current exception from its exception line i.
func (p *parser) setException(typ, val string, i int) {
	e := p.cur()
	e.Type, e.Value = typ, val
	e.Module, e.Name = splitType(typ)
	p.valueFrom, p.valueTo = i+1, i+1
}

// endValue appends the value's further lines, lines[valueFrom:valueTo].
func (p *parser) endValue() {
	if p.valueTo > p.valueFrom {
		e := p.cur()
		e.Value += "\n" + strings.Join(p.lines[p.valueFrom:p.valueTo], "\n")
	}
	p.valueFrom, p.valueTo = 0, 0
}

// headless handles a chain sentence met before any traceback header: the
// first exception of the chain had no traceback (e.g. "raise X from Y()"),
// so only its exception line (and value) precede the sentence. It is taken
// from the paragraph just above line i.
func (p *parser) headless(i int) {
	end := i - 1
	for end >= 0 && strings.TrimSpace(p.lines[end]) == "" {
		end--
	}
	start := end
	for start >= 0 && strings.TrimSpace(p.lines[start]) != "" {
		start--
	}
	for k := start + 1; k <= end; k++ {
		typ, val, ok := parseExceptionLine(p.lines[k])
		if !ok {
			continue
		}
		if k < end {
			val += "\n" + strings.Join(p.lines[k+1:end+1], "\n")
		}
		mod, name := splitType(typ)
		p.tb.Exceptions = append(p.tb.Exceptions, Exception{Type: typ, Module: mod, Name: name, Value: val})
		return
	}
	p.tb.Partial = true // the chain started before the text
}

// parseFrame parses `  File "path", line N, in func` and the SyntaxError
// form `  File "path", line N`. A line number that is not a number
// ("None") gives Line 0; one that overflows also sets Partial.
func (p *parser) parseFrame(line string) (Frame, bool) {
	rest, ok := strings.CutPrefix(strings.TrimLeft(line, " \t"), `File "`)
	if !ok {
		return Frame{}, false
	}
	k := strings.LastIndex(rest, `", line `)
	if k < 0 {
		return Frame{}, false
	}
	f := Frame{File: rest[:k]}
	num := rest[k+len(`", line `):]
	if n, fn, ok := strings.Cut(num, ", in "); ok {
		num, f.Function = n, strings.TrimRight(fn, " \t")
	}
	num = strings.TrimRight(num, " \t")
	switch {
	case num == "None":
	case num != "" && strings.Trim(num, "0123456789") == "":
		n, err := strconv.Atoi(num)
		if err != nil {
			p.tb.Partial = true
			n = 0
		}
		f.Line = n
	default:
		return Frame{}, false
	}
	return f, true
}

// parseExceptionLine parses "Type: value" or a bare "Type".
func parseExceptionLine(line string) (typ, val string, ok bool) {
	typ, val, _ = strings.Cut(line, ": ")
	if !isTypeName(typ) {
		return "", "", false
	}
	return typ, val, true
}

// isTypeName reports whether s looks like a printed exception type: a dotted
// module + qualname ("pkg.mod.Outer.Inner", "f.<locals>.E").
func isTypeName(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || r == '.' || r == '<' || r == '>'):
		default:
			return false
		}
	}
	return true
}

func splitType(typ string) (module, name string) {
	if k := strings.LastIndexByte(typ, '.'); k >= 0 {
		return typ[:k], typ[k+1:]
	}
	return "", typ
}

func linkOf(trim string) string {
	switch trim {
	case contextLine:
		return LinkContext
	case causeLine:
		return LinkCause
	}
	return ""
}

func isIndented(line string) bool {
	return line != "" && (line[0] == ' ' || line[0] == '\t')
}

// isMarker reports a 3.11+ position marker line: only spaces, '^' and '~'.
func isMarker(trim string) bool {
	return trim != "" && strings.Trim(trim, "^~ \t") == ""
}

// isElision reports a "...<N lines>..." line.
func isElision(trim string) bool {
	n, ok := strings.CutPrefix(trim, "...<")
	if !ok {
		return false
	}
	n, ok = strings.CutSuffix(n, ">...")
	if !ok {
		return false
	}
	n, ok = strings.CutSuffix(n, " lines")
	if !ok {
		n, ok = strings.CutSuffix(n, " line")
	}
	return ok && n != "" && strings.Trim(n, "0123456789") == ""
}

// isRepeat reports a "[Previous line repeated N more times]" line.
func isRepeat(trim string) bool {
	return strings.HasPrefix(trim, "[Previous line repeated ") && strings.HasSuffix(trim, "]")
}

func nextNonBlank(lines []string, from int) int {
	for j := from; j < len(lines); j++ {
		if strings.TrimSpace(lines[j]) != "" {
			return j
		}
	}
	return -1
}

// splitLines splits on "\n", drops a trailing "\r" and ANSI colour codes
// (Python 3.13 colours tracebacks on terminals).
func splitLines(text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if strings.Contains(l, "\x1b[") {
			l = stripANSI(l)
		}
		lines[i] = l
	}
	return lines
}

// stripANSI removes CSI sequences ("\x1b[" parameters final-byte).
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j // skip the final byte too (or run off the end)
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
