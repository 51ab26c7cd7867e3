package cuepoint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// config.yaml is edited as text: go.yaml.in/yaml/v3 parses it into nodes with line/column
// positions, the one value is located in the original bytes and spliced, and the result is
// parsed again and compared with the original (everything equal except telemetry.enabled)
// before anything is written.

const (
	yamlTelemetry = "telemetry"
	yamlEnabled   = "enabled"
)

// readTelemetryEnabled reads telemetry.enabled from config.yaml the way CuePoint (PyYAML,
// YAML 1.1 booleans) would. A missing file, section or key is nil without a problem.
func readTelemetryEnabled(path string) (*bool, *Problem) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Problem{path, "cannot be read: " + plainErr(err)}
	}
	doc, err := parseConfigYAML(data)
	if err != nil {
		return nil, &Problem{path, err.Error() + "; the telemetry switch could not be read"}
	}
	if doc.root == nil {
		return nil, nil
	}
	ti, err := uniqueKey(doc.root, yamlTelemetry, yamlTelemetry)
	if err != nil || ti < 0 {
		return nil, problemOrNil(path, err)
	}
	tele := doc.root.Content[ti+1]
	if tele.Kind != yaml.MappingNode {
		if isYAMLNull(tele) {
			return nil, nil
		}
		return nil, &Problem{path, "telemetry is not a section (a mapping of keys)"}
	}
	ei, err := uniqueKey(tele, yamlEnabled, "telemetry.enabled")
	if err != nil || ei < 0 {
		return nil, problemOrNil(path, err)
	}
	v, set, err := yamlBoolValue(tele.Content[ei+1])
	if err != nil {
		return nil, &Problem{path, err.Error() + "; CuePoint treats it as its default"}
	}
	if !set {
		return nil, nil
	}
	return &v, nil
}

func problemOrNil(path string, err error) *Problem {
	if err == nil {
		return nil
	}
	return &Problem{path, err.Error()}
}

// setTelemetryEnabled returns data with telemetry.enabled set to on, every other byte kept.
// It returns data itself when the value already means on.
func setTelemetryEnabled(data []byte, on bool) ([]byte, error) {
	doc, err := parseConfigYAML(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v; fix the file or move it away (CuePoint then uses its defaults), then try again", ErrUnparseable, err)
	}
	var before any
	if err := yaml.Unmarshal(data, &before); err != nil {
		return nil, fmt.Errorf("%w: it is not valid YAML (%v); fix the file or move it away (CuePoint then uses its defaults), then try again",
			ErrUnparseable, yamlErrText(err))
	}
	value := "false"
	if on {
		value = "true"
	}
	e, err := doc.telemetryEdit(on, value)
	if err != nil {
		return nil, fmt.Errorf("%w: %v; set telemetry.enabled in CuePoint or by hand instead", ErrUnparseable, err)
	}
	if e == nil {
		return data, nil
	}
	out := make([]byte, 0, len(data)+len(e.text))
	out = append(out, data[:e.at]...)
	out = append(out, e.text...)
	out = append(out, data[e.at+e.cut:]...)
	if err := verifyTelemetryEdit(before, out, on); err != nil {
		return nil, fmt.Errorf("%w: editing it in place would have changed more than telemetry.enabled (%v); set the value in CuePoint or by hand instead", ErrUnparseable, err)
	}
	return out, nil
}

// yamlEdit replaces cut bytes at offset at with text.
type yamlEdit struct {
	at, cut int
	text    string
}

type configYAML struct {
	b         []byte
	root      *yaml.Node // the top-level mapping; nil for an empty document
	lineStart []int      // byte offset of each line (index 0 = line 1)
	bom       int        // length of a UTF-8 byte order mark (not counted in columns)
	eol       string     // the file's line ending, for inserted lines
}

var docEndMarker = regexp.MustCompile(`(?m)^\.\.\.([ \t]|\r?$)`)

// parseConfigYAML parses config.yaml into its top-level mapping and a line table.
func parseConfigYAML(data []byte) (*configYAML, error) {
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, errors.New("it is not UTF-8 text")
	}
	for _, odd := range []string{"\u0085", "\u2028", "\u2029"} {
		if bytes.Contains(data, []byte(odd)) {
			return nil, errors.New("it contains unusual Unicode line breaks (U+0085/U+2028/U+2029)")
		}
	}
	d := &configYAML{b: data, eol: "\n"}
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		d.bom = 3
	}
	d.lineStart = []int{0}
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\r':
			if i+1 >= len(data) || data[i+1] != '\n' {
				return nil, errors.New("it has line breaks that are a lone carriage return")
			}
		case '\n':
			if len(d.lineStart) == 1 && i > 0 && data[i-1] == '\r' {
				d.eol = "\r\n"
			}
			if i+1 < len(data) {
				d.lineStart = append(d.lineStart, i+1)
			}
		}
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	err := dec.Decode(&n)
	if err == io.EOF {
		return d, nil
	}
	if err != nil {
		return nil, fmt.Errorf("it is not valid YAML (%s)", yamlErrText(err))
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		return nil, errors.New("it holds more than one YAML document")
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) != 1 {
		return nil, errors.New("it is not a YAML document")
	}
	root := n.Content[0]
	switch {
	case root.Kind == yaml.MappingNode:
		d.root = root
	case root.Kind == yaml.ScalarNode && root.Tag == "!!null" && root.Value == "" && root.Style == 0:
		// "---" alone: an empty document.
	default:
		return nil, errors.New("its top level is not a mapping of sections")
	}
	return d, nil
}

// yamlErrText is a yaml.v3 error on one line, without its "yaml: " prefix.
func yamlErrText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.Replace(s, "unmarshal errors:\n", "", 1)
	return strings.Join(strings.Fields(s), " ")
}

// uniqueKey finds key in mapping m: the index of the key node, -1 when absent.
func uniqueKey(m *yaml.Node, key, what string) (int, error) {
	found := -1
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind == yaml.ScalarNode && k.Value == key {
			if found >= 0 {
				return -1, fmt.Errorf("%s appears twice (lines %d and %d)", what, m.Content[found].Line, k.Line)
			}
			found = i
		}
	}
	return found, nil
}

func isYAMLNull(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return false
	}
	if n.Tag == "!!null" {
		return true
	}
	switch n.Value {
	case "", "~", "null", "Null", "NULL":
		return n.Style&yaml.TaggedStyle == 0
	}
	return false
}

// yamlBoolValue reads a scalar with PyYAML's (YAML 1.1) booleans; set is false for null.
func yamlBoolValue(n *yaml.Node) (value, set bool, err error) {
	if n.Kind == yaml.AliasNode {
		return false, false, errors.New("telemetry.enabled is an alias (*name), not true or false")
	}
	if n.Kind != yaml.ScalarNode {
		return false, false, errors.New("telemetry.enabled is not a single value")
	}
	if isYAMLNull(n) {
		return false, false, nil
	}
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 ||
		(n.Style&yaml.TaggedStyle != 0 && n.Tag != "!!bool") {
		return false, false, fmt.Errorf("telemetry.enabled is the text %q, not true or false", n.Value)
	}
	switch n.Value {
	case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON":
		return true, true, nil
	case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF":
		return false, true, nil
	}
	return false, false, fmt.Errorf("telemetry.enabled is %q, not true or false", n.Value)
}

// offset converts a yaml.v3 position (1-based line, 1-based column counted in characters)
// into a byte offset.
func (d *configYAML) offset(line, col int) (int, error) {
	if line < 1 || line > len(d.lineStart)+1 {
		return 0, fmt.Errorf("position line %d is outside the file", line)
	}
	if line == len(d.lineStart)+1 { // just past a final line break
		if col != 1 {
			return 0, fmt.Errorf("position %d:%d is outside the file", line, col)
		}
		return len(d.b), nil
	}
	off := d.lineStart[line-1]
	if line == 1 {
		off += d.bom
	}
	for c := 1; c < col; c++ {
		if off >= len(d.b) || d.b[off] == '\n' {
			return 0, fmt.Errorf("position %d:%d is outside its line", line, col)
		}
		_, size := utf8.DecodeRune(d.b[off:])
		off += size
	}
	return off, nil
}

// lineContent returns line (1-based) without its line break.
func (d *configYAML) lineContent(line int) string {
	start := d.lineStart[line-1]
	end := len(d.b)
	if line < len(d.lineStart) {
		end = d.lineStart[line]
	}
	return strings.TrimRight(string(d.b[start:end]), "\r\n")
}

// afterLine is the offset just after line's line break and the prefix an inserted line
// needs there (a line break when the file's last line has none).
func (d *configYAML) afterLine(line int) (int, string) {
	if line < len(d.lineStart) {
		return d.lineStart[line], ""
	}
	if len(d.b) > 0 && d.b[len(d.b)-1] != '\n' {
		return len(d.b), d.eol
	}
	return len(d.b), ""
}

// scalarSpan finds the bytes of a one-line scalar value in the original text.
func (d *configYAML) scalarSpan(n *yaml.Node, flow bool) (int, int, error) {
	where := fmt.Sprintf("the value at line %d", n.Line)
	off, err := d.offset(n.Line, n.Column)
	if err != nil {
		return 0, 0, err
	}
	b := d.b
	isBlank := func(i int) bool { return i < len(b) && (b[i] == ' ' || b[i] == '\t') }
	for off < len(b) && (b[off] == '!' || b[off] == '&') { // tag or anchor before the value
		for off < len(b) && !isBlank(off) && b[off] != '\n' && b[off] != '\r' {
			off++
		}
		for isBlank(off) {
			off++
		}
	}
	if off >= len(b) || b[off] == '\n' || b[off] == '\r' {
		return 0, 0, fmt.Errorf("%s starts on a later line than its tag", where)
	}
	switch c := b[off]; c {
	case '"', '\'':
		for i := off + 1; i < len(b); i++ {
			switch {
			case b[i] == '\n' || b[i] == '\r':
				return 0, 0, fmt.Errorf("%s is a quoted text spanning several lines", where)
			case c == '"' && b[i] == '\\':
				i++
			case b[i] == c && c == '\'' && i+1 < len(b) && b[i+1] == '\'':
				i++
			case b[i] == c:
				return off, i + 1, nil
			}
		}
		return 0, 0, fmt.Errorf("%s has no closing quote", where)
	case '|', '>':
		return 0, 0, fmt.Errorf("%s is a block scalar (| or >)", where)
	case '*':
		return 0, 0, fmt.Errorf("%s is an alias", where)
	}
	end := off
	for end < len(b) && b[end] != '\n' && b[end] != '\r' {
		if isBlank(end) && end+1 < len(b) && b[end+1] == '#' {
			break
		}
		if flow && (b[end] == ',' || b[end] == '}' || b[end] == ']') {
			break
		}
		end++
	}
	for end > off && isBlank(end-1) {
		end--
	}
	if string(b[off:end]) != n.Value {
		return 0, 0, fmt.Errorf("%s spans several lines", where)
	}
	return off, end, nil
}

// telemetryEdit works out the one splice that sets telemetry.enabled; nil when the value
// already means on.
func (d *configYAML) telemetryEdit(on bool, value string) (*yamlEdit, error) {
	if d.root == nil {
		return d.appendTelemetry(value)
	}
	ti, err := uniqueKey(d.root, yamlTelemetry, yamlTelemetry)
	if err != nil {
		return nil, err
	}
	if ti < 0 {
		return d.appendTelemetry(value)
	}
	key, tele := d.root.Content[ti], d.root.Content[ti+1]
	switch {
	case tele.Kind == yaml.MappingNode:
	case tele.Kind == yaml.ScalarNode && tele.Tag == "!!null" && tele.Value == "" && tele.Style == 0:
		// "telemetry:" with nothing under it: add the key on the next line.
		if d.root.Style&yaml.FlowStyle != 0 {
			return nil, errors.New("its top level is written in flow style ({...})")
		}
		at, pre := d.afterLine(key.Line)
		indent := strings.Repeat(" ", key.Column-1+d.childIndent())
		return &yamlEdit{at: at, text: pre + indent + yamlEnabled + ": " + value + d.lineBreakAfter(at)}, nil
	case isYAMLNull(tele) && tele.Style&yaml.TaggedStyle == 0 && tele.Anchor == "":
		// "telemetry: null" or "~": becomes "telemetry: {enabled: X}".
		s, e, err := d.scalarSpan(tele, d.root.Style&yaml.FlowStyle != 0)
		if err != nil {
			return nil, err
		}
		return &yamlEdit{at: s, cut: e - s, text: "{" + yamlEnabled + ": " + value + "}"}, nil
	default:
		return nil, fmt.Errorf("telemetry (line %d) is not a section (a mapping of keys)", key.Line)
	}

	flow := tele.Style&yaml.FlowStyle != 0
	ei, err := uniqueKey(tele, yamlEnabled, "telemetry.enabled")
	if err != nil {
		return nil, err
	}
	if ei >= 0 {
		n := tele.Content[ei+1]
		if cur, set, err := yamlBoolValue(n); err == nil && set && cur == on {
			return nil, nil
		}
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			return nil, fmt.Errorf("telemetry.enabled (line %d) is an alias or has an anchor", n.Line)
		}
		if n.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("telemetry.enabled (line %d) is not a single value", n.Line)
		}
		if n.Tag == "!!null" && n.Value == "" && n.Style == 0 {
			// "enabled:" with no value: the node sits just after the colon.
			at, err := d.offset(n.Line, n.Column)
			if err != nil {
				return nil, err
			}
			if at == 0 || d.b[at-1] != ':' {
				return nil, fmt.Errorf("telemetry.enabled (line %d) has an empty value in an unexpected form", n.Line)
			}
			return &yamlEdit{at: at, text: " " + value}, nil
		}
		s, e, err := d.scalarSpan(n, flow)
		if err != nil {
			return nil, err
		}
		return &yamlEdit{at: s, cut: e - s, text: value}, nil
	}

	// telemetry exists without enabled.
	if flow {
		at, err := d.offset(tele.Line, tele.Column)
		if err != nil {
			return nil, err
		}
		if d.b[at] != '{' {
			return nil, fmt.Errorf("telemetry (line %d) is a flow mapping in an unexpected form", tele.Line)
		}
		at++
		entry := yamlEnabled + ": " + value
		ws := at < len(d.b) && strings.IndexByte(" \t\r\n", d.b[at]) >= 0
		switch {
		case len(tele.Content) == 0 && ws:
			entry = " " + entry
		case len(tele.Content) == 0:
		case ws:
			entry = " " + entry + ","
		default:
			entry += ", "
		}
		return &yamlEdit{at: at, text: entry}, nil
	}
	if d.hasDocEndMarker() {
		return nil, errors.New("it has a document end marker (...)")
	}
	if len(tele.Content) == 0 {
		return nil, fmt.Errorf("telemetry (line %d) is an empty mapping in an unexpected form", key.Line)
	}
	childCol := tele.Content[0].Column
	next := len(d.lineStart) + 1
	if ti+2 < len(d.root.Content) {
		next = d.root.Content[ti+2].Line
	}
	last := next - 1
	for last > key.Line {
		l := d.lineContent(last)
		t := strings.TrimLeft(l, " \t")
		if t == "" || (strings.HasPrefix(t, "#") && len(l)-len(t) < childCol) {
			last--
			continue
		}
		break
	}
	at, pre := d.afterLine(last)
	return &yamlEdit{at: at, text: pre + strings.Repeat(" ", childCol-1) + yamlEnabled + ": " + value + d.lineBreakAfter(at)}, nil
}

// lineBreakAfter is the line break an inserted line at offset at needs: none at the very
// end of a file whose last line has no line break (the file keeps that shape).
func (d *configYAML) lineBreakAfter(at int) string {
	if at == len(d.b) && len(d.b) > 0 && d.b[len(d.b)-1] != '\n' {
		return ""
	}
	return d.eol
}

func (d *configYAML) hasDocEndMarker() bool { return docEndMarker.Match(d.b) }

// appendTelemetry adds a telemetry section at the end of the file.
func (d *configYAML) appendTelemetry(value string) (*yamlEdit, error) {
	if d.root != nil && d.root.Style&yaml.FlowStyle != 0 {
		return nil, errors.New("its top level is written in flow style ({...})")
	}
	if d.hasDocEndMarker() {
		return nil, errors.New("it has a document end marker (...)")
	}
	text := yamlTelemetry + ":" + d.eol + strings.Repeat(" ", d.childIndent()) + yamlEnabled + ": " + value + d.eol
	if len(d.b) > 0 && d.b[len(d.b)-1] != '\n' {
		text = d.eol + text
	}
	return &yamlEdit{at: len(d.b), text: text}, nil
}

// childIndent is how far the file indents a section's keys (2 when it cannot tell).
func (d *configYAML) childIndent() int {
	if d.root == nil {
		return 2
	}
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		k, v := d.root.Content[i], d.root.Content[i+1]
		if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
			if in := v.Content[0].Column - k.Column; in > 0 {
				return in
			}
		}
	}
	return 2
}

// verifyTelemetryEdit parses the edited text and checks it means exactly the original with
// telemetry.enabled = on.
func verifyTelemetryEdit(before any, after []byte, on bool) error {
	var got any
	if err := yaml.Unmarshal(after, &got); err != nil {
		return fmt.Errorf("the result would not parse: %v", err)
	}
	want, err := withTelemetryEnabled(before, on)
	if err != nil {
		return err
	}
	a, err1 := yaml.Marshal(want)
	b, err2 := yaml.Marshal(got)
	if err1 != nil || err2 != nil {
		return errors.New("the result cannot be compared")
	}
	if !bytes.Equal(a, b) {
		return errors.New("the result differs elsewhere")
	}
	return nil
}

func withTelemetryEnabled(doc any, on bool) (any, error) {
	var root map[string]any
	switch r := doc.(type) {
	case nil:
		root = map[string]any{}
	case map[string]any:
		root = make(map[string]any, len(r)+1)
		for k, v := range r {
			root[k] = v
		}
	default:
		return nil, errors.New("its top level is not a mapping with text keys")
	}
	switch t := root[yamlTelemetry].(type) {
	case nil:
		root[yamlTelemetry] = map[string]any{yamlEnabled: on}
	case map[string]any:
		c := make(map[string]any, len(t)+1)
		for k, v := range t {
			c[k] = v
		}
		c[yamlEnabled] = on
		root[yamlTelemetry] = c
	case map[any]any:
		c := make(map[any]any, len(t)+1)
		for k, v := range t {
			c[k] = v
		}
		c[yamlEnabled] = on
		root[yamlTelemetry] = c
	default:
		return nil, errors.New("telemetry is not a section")
	}
	return root, nil
}
