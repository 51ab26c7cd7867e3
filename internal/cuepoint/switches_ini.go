package cuepoint

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"unicode/utf8"
)

// iniSettings is Qt's INI format (QSettings::IniFormat, what CuePoint uses on Linux):
// [section] lines, key=value lines, comments starting with ';' or '#', blank lines. Keys
// before the first section belong to [General], the root group. Edits change only the
// bytes of the values they set; every other byte, including each line's own line ending
// (LF, CRLF or CR), stays as it was.
type iniSettings struct {
	path string
}

func (s *iniSettings) Where() string { return s.path }

func (s *iniSettings) Get(group, key string) (string, bool, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("%s: cannot be read: %s", s.path, plainErr(err))
	}
	f, err := parseQtINI(data)
	if err != nil {
		return "", false, fmt.Errorf("%s: %v", s.path, err)
	}
	v, ok := f.get(group, key)
	return v, ok, nil
}

func (s *iniSettings) Set(group string, values map[string]string) error {
	if err := checkSettingValues(group, values); err != nil {
		return fmt.Errorf("%s: %v; nothing was written", s.path, err)
	}
	old, err := os.ReadFile(s.path)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: cannot be read: %s; nothing was written", s.path, plainErr(err))
	}
	updated, err := setQtINI(old, group, values)
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	if existed && bytes.Equal(updated, old) {
		return nil
	}
	return replaceFile(s.path, old, existed, updated)
}

type iniKind int

const (
	iniBlank iniKind = iota
	iniComment
	iniSection
	iniKey
)

type iniLine struct {
	start, end       int    // the line's text, without its line ending
	eol              string // "\n", "\r\n", "\r" or "" (last line without one)
	kind             iniKind
	section          string // section lines: its name; key lines: the section they are in
	key              string
	valStart, valEnd int // key lines: the raw value's bytes (a ';' comment excluded)
}

type qtINI struct {
	b     []byte
	lines []iniLine
	eol   string // the file's line ending, for inserted lines
}

// iniGroup maps a QSettings group to its INI section name: the root group is [General].
func iniGroup(g string) string {
	if g == "" {
		return "General"
	}
	return g
}

func parseQtINI(b []byte) (*qtINI, error) {
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, errors.New("it is not a text file")
	}
	f := &qtINI{b: b}
	section := "General"
	for pos, n := 0, 1; pos < len(b); n++ {
		l := iniLine{start: pos}
		end := pos
		for end < len(b) && b[end] != '\n' && b[end] != '\r' {
			end++
		}
		l.end = end
		switch {
		case end+1 < len(b) && b[end] == '\r' && b[end+1] == '\n':
			l.eol = "\r\n"
		case end < len(b):
			l.eol = string(b[end])
		}
		pos = end + len(l.eol)
		if f.eol == "" {
			f.eol = l.eol
		}

		textStart := l.start
		if n == 1 && bytes.HasPrefix(b, []byte("\ufeff")) {
			textStart += 3
		}
		text := string(b[textStart:l.end])
		t := strings.Trim(text, " \t")
		switch {
		case t == "":
			l.kind = iniBlank
		case t[0] == ';' || t[0] == '#':
			l.kind = iniComment
		case t[0] == '[':
			if !strings.HasSuffix(t, "]") || len(t) < 3 {
				return nil, fmt.Errorf("line %d starts a [section] but does not end with ]", n)
			}
			l.kind = iniSection
			section = t[1 : len(t)-1]
			l.section = section
		default:
			eq := strings.IndexByte(text, '=')
			if eq < 0 {
				return nil, fmt.Errorf("line %d is neither a [section], a key=value line nor a comment", n)
			}
			l.kind = iniKey
			l.section = section
			l.key = strings.Trim(text[:eq], " \t")
			if l.key == "" {
				return nil, fmt.Errorf("line %d has a value but no key", n)
			}
			vs := textStart + eq + 1
			for vs < l.end && (b[vs] == ' ' || b[vs] == '\t') {
				vs++
			}
			ve, quoted := vs, false
		scan:
			for ; ve < l.end; ve++ {
				switch {
				case b[ve] == '"':
					quoted = !quoted
				case b[ve] == '\\' && quoted && ve+1 < l.end:
					ve++
				case b[ve] == ';' && !quoted:
					break scan
				}
			}
			for ve > vs && (b[ve-1] == ' ' || b[ve-1] == '\t') {
				ve--
			}
			l.valStart, l.valEnd = vs, ve
		}
		f.lines = append(f.lines, l)
	}
	if f.eol == "" {
		f.eol = "\n"
	}
	return f, nil
}

// get returns the last value of key in group (Qt lets a later duplicate win).
func (f *qtINI) get(group, key string) (string, bool) {
	group = iniGroup(group)
	var v string
	ok := false
	for _, l := range f.lines {
		if l.kind == iniKey && l.section == group && l.key == key {
			v, ok = unquoteQtValue(string(f.b[l.valStart:l.valEnd])), true
		}
	}
	return v, ok
}

// entries lists every key line as section, key, value.
func (f *qtINI) entries() [][3]string {
	var out [][3]string
	for _, l := range f.lines {
		if l.kind == iniKey {
			out = append(out, [3]string{l.section, l.key, string(f.b[l.valStart:l.valEnd])})
		}
	}
	return out
}

func unquoteQtValue(v string) string {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return v
	}
	var sb strings.Builder
	for i := 1; i < len(v)-1; i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v)-1 {
			i++
			switch v[i] {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			case 'r':
				c = '\r'
			default:
				c = v[i]
			}
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// setQtINI returns old with group's keys set to values: existing lines get their value
// bytes replaced (every occurrence, so duplicates agree), missing keys go after the last
// key line of the group's last [section], a missing section goes at the end of the file.
func setQtINI(old []byte, group string, values map[string]string) ([]byte, error) {
	f, err := parseQtINI(old)
	if err != nil {
		return nil, fmt.Errorf("%w: %v; fix that line or move the file away (CuePoint then starts from its defaults), then try again", ErrUnparseable, err)
	}
	section := iniGroup(group)
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	type edit struct {
		at, cut int
		text    string
	}
	var edits []edit
	var missing []string
	for _, k := range keys {
		found := false
		for _, l := range f.lines {
			if l.kind == iniKey && l.section == section && l.key == k {
				found = true
				if string(old[l.valStart:l.valEnd]) != values[k] {
					edits = append(edits, edit{l.valStart, l.valEnd - l.valStart, values[k]})
				}
			}
		}
		if !found {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		// The group's last [section] and its last key line.
		header, after, inTarget := -1, -1, false
		for i, l := range f.lines {
			switch {
			case l.kind == iniSection:
				inTarget = l.section == section
				if inTarget {
					header, after = i, i
				}
			case l.kind == iniKey && inTarget:
				after = i
			}
		}
		var sb strings.Builder
		if header >= 0 {
			l := f.lines[after]
			at := l.end + len(l.eol)
			trailing := l.eol != "" // keep a file without a final line break that way
			for i, k := range missing {
				if i > 0 || !trailing {
					sb.WriteString(f.eol)
				}
				sb.WriteString(k + "=" + values[k])
				if i == len(missing)-1 && trailing {
					sb.WriteString(f.eol)
				}
			}
			edits = append(edits, edit{at: at, text: sb.String()})
		} else {
			if n := len(f.lines); n > 0 {
				if f.lines[n-1].eol == "" {
					sb.WriteString(f.eol)
				}
				if f.lines[n-1].kind != iniBlank {
					sb.WriteString(f.eol) // Qt separates sections with a blank line
				}
			}
			sb.WriteString("[" + section + "]" + f.eol)
			for _, k := range missing {
				sb.WriteString(k + "=" + values[k] + f.eol)
			}
			edits = append(edits, edit{at: len(old), text: sb.String()})
		}
	}
	if len(edits) == 0 {
		return old, nil
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].at < edits[j].at })
	out := make([]byte, 0, len(old)+64)
	pos := 0
	for _, e := range edits {
		out = append(out, old[pos:e.at]...)
		out = append(out, e.text...)
		pos = e.at + e.cut
	}
	out = append(out, old[pos:]...)
	if err := verifyINIEdit(f, out, section, values); err != nil {
		return nil, fmt.Errorf("%w: editing it in place would have changed more than the intended keys (%v); change them in CuePoint instead", ErrUnparseable, err)
	}
	return out, nil
}

// verifyINIEdit checks the edited text parses, holds the new values, and holds every other
// key line exactly as before, in the same order.
func verifyINIEdit(before *qtINI, out []byte, section string, values map[string]string) error {
	after, err := parseQtINI(out)
	if err != nil {
		return fmt.Errorf("the result would not parse: %v", err)
	}
	others := func(es [][3]string) [][3]string {
		var o [][3]string
		for _, e := range es {
			if _, target := values[e[1]]; e[0] == section && target {
				continue
			}
			o = append(o, e)
		}
		return o
	}
	a, b := others(before.entries()), others(after.entries())
	if len(a) != len(b) {
		return errors.New("other keys would change")
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Errorf("[%s] %s would change", a[i][0], a[i][1])
		}
	}
	for k, v := range values {
		n := 0
		for _, e := range after.entries() {
			if e[0] == section && e[1] == k {
				n++
				if e[2] != v {
					return fmt.Errorf("[%s] %s would not be %s", section, k, v)
				}
			}
		}
		if n == 0 {
			return fmt.Errorf("[%s] %s would be missing", section, k)
		}
	}
	return nil
}
