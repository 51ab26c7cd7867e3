package scrub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// maxDepth bounds recursion into trees (self-referencing maps, absurd nesting).
const maxDepth = 10000

// errPanic reports an input that made a decoder or encoder panic.
var errPanic = errors.New("scrub: malformed input")

// Value scrubs a decoded JSON/YAML tree (map[string]any, []any, string, numbers, bools,
// nil) and returns a new tree; v is not modified. Values under secret-named keys (see
// IsSecretKey) become "[redacted]" at any depth, except booleans and nulls; every other
// string, and every map key, goes through String. User names found in a home path (or a
// shell prompt) anywhere in the tree are replaced in all of its strings, and numbered
// tokens are shared by the whole tree (map keys are visited in sorted order).
func (s *Scrubber) Value(v any) any {
	r := s.orDefault().newRun()
	walkStrings(v, 0, r.learn)
	return r.value(v, false, 0)
}

// learn records, before any of a tree is scrubbed, the user names of the homes and shell
// prompts in str (so that a name is replaced even before the home that gives it away) and
// the numbered tokens str already holds.
func (r *run) learn(str string) {
	r.learnHomes(str)
	if strings.IndexByte(str, '@') >= 0 {
		r.prompts(str)
	}
	r.noteExisting(str)
}

// learnHomes records the user names of the homes in str.
func (r *run) learnHomes(str string) {
	findHomes(str, func(m homeMatch) { homeNames(m, r.addFound) })
}

// redact is the value that replaces a secret in a tree.
func (r *run) redact() string {
	r.counts[kSecret]++
	return valueRedacted
}

func (r *run) value(v any, secret bool, depth int) any {
	if depth > maxDepth {
		return r.redact()
	}
	switch x := v.(type) {
	case nil:
		return nil
	case bool:
		return x
	case string:
		if secret {
			return r.redact()
		}
		return r.text(x)
	case json.Number, float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		if secret {
			return r.redact()
		}
		return x
	case time.Time:
		if secret {
			return r.redact()
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = r.value(e, secret, depth+1)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, k := range sortedKeys(x) {
			putKey(out, r.text(k), r.value(x[k], secret || IsSecretKey(k), depth+1))
		}
		return out
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return r.value(rv.String(), secret, depth)
	case reflect.Bool:
		return v
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		if secret {
			return r.redact()
		}
		return v
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return r.value(rv.Elem().Interface(), secret, depth+1)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return r.value(bytesOf(rv), secret, depth)
		}
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = r.value(rv.Index(i).Interface(), secret, depth+1)
		}
		return out
	case reflect.Map:
		if rv.IsNil() {
			return nil
		}
		keys := make([]string, 0, rv.Len())
		vals := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			k := fmt.Sprint(it.Key().Interface())
			keys = append(keys, k)
			vals[k] = it.Value().Interface()
		}
		sort.Strings(keys)
		out := make(map[string]any, len(keys))
		for _, k := range keys {
			putKey(out, r.text(k), r.value(vals[k], secret || IsSecretKey(k), depth+1))
		}
		return out
	}
	if secret {
		return valueRedacted
	}
	return r.text(fmt.Sprint(v))
}

func bytesOf(rv reflect.Value) string {
	b := make([]byte, rv.Len())
	for i := range b {
		b[i] = byte(rv.Index(i).Uint())
	}
	return string(b)
}

// putKey stores v under k; a key that two originals scrub to gets a " (2)", " (3)"... suffix.
func putKey(m map[string]any, k string, v any) {
	if _, dup := m[k]; !dup {
		m[k] = v
		return
	}
	for i := 2; ; i++ {
		kk := k + " (" + strconv.Itoa(i) + ")"
		if _, dup := m[kk]; !dup {
			m[kk] = v
			return
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// walkStrings calls fn with every string (keys included) in a tree.
func walkStrings(v any, depth int, fn func(string)) {
	if depth > maxDepth {
		return
	}
	switch x := v.(type) {
	case nil, bool, json.Number, float64, int, int64:
		return
	case string:
		fn(x)
		return
	case []any:
		for _, e := range x {
			walkStrings(e, depth+1, fn)
		}
		return
	case map[string]any:
		for k, e := range x {
			fn(k)
			walkStrings(e, depth+1, fn)
		}
		return
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		fn(rv.String())
	case reflect.Pointer, reflect.Interface:
		if !rv.IsNil() {
			walkStrings(rv.Elem().Interface(), depth+1, fn)
		}
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			fn(bytesOf(rv))
			return
		}
		for i := 0; i < rv.Len(); i++ {
			walkStrings(rv.Index(i).Interface(), depth+1, fn)
		}
	case reflect.Map:
		for it := rv.MapRange(); it.Next(); {
			fn(fmt.Sprint(it.Key().Interface()))
			walkStrings(it.Value().Interface(), depth+1, fn)
		}
	case reflect.Struct:
		fn(fmt.Sprint(v))
	}
}

// JSON decodes b (one JSON value, or several in a row as in JSON Lines), scrubs it with
// Value and encodes it again: map keys sorted, HTML characters not escaped, numbers kept
// exactly as written. A single value written over several lines comes back indented by two
// spaces; otherwise each value is written on one line.
func (s *Scrubber) JSON(b []byte) (out []byte, err error) {
	s = s.orDefault()
	defer func() {
		if recover() != nil {
			out, err = nil, errPanic
		}
	}()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var vals []any
	for {
		var v any
		if err := dec.Decode(&v); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	if len(vals) == 0 {
		return nil, io.ErrUnexpectedEOF
	}
	r := s.newRun()
	for _, v := range vals {
		walkStrings(v, 0, r.learn)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if len(vals) == 1 && bytes.ContainsRune(bytes.TrimSpace(b), '\n') {
		enc.SetIndent("", "  ")
	}
	for _, v := range vals {
		if err := enc.Encode(r.value(v, false, 0)); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// YAML scrubs a YAML stream through its node tree, so comments, key order and styles
// survive: scalar values under secret-named keys (and anchors aliased from there) become
// "[redacted]", except booleans and nulls; every other scalar, every key and every comment
// goes through String. The result is indented by two spaces.
func (s *Scrubber) YAML(b []byte) (out []byte, err error) {
	s = s.orDefault()
	defer func() {
		if recover() != nil {
			out, err = nil, errPanic
		}
	}()
	if len(bytes.TrimSpace(b)) == 0 {
		return []byte{}, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []*yaml.Node
	for {
		n := new(yaml.Node)
		if err := dec.Decode(n); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		docs = append(docs, n)
	}
	r := s.newRun()
	redact := map[*yaml.Node]bool{}
	for _, d := range docs {
		walkYAML(d, 0, func(n *yaml.Node) {
			for _, str := range []string{n.Value, n.HeadComment, n.LineComment, n.FootComment} {
				r.learn(str)
			}
		})
		markSecrets(d, false, redact, map[*yaml.Node]bool{}, 0)
	}
	for _, d := range docs {
		walkYAML(d, 0, func(n *yaml.Node) {
			n.HeadComment = r.text(n.HeadComment)
			n.LineComment = r.text(n.LineComment)
			n.FootComment = r.text(n.FootComment)
			if n.Kind != yaml.ScalarNode {
				return
			}
			if redact[n] {
				n.Value, n.Tag = r.redact(), "!!str"
				n.Style &^= yaml.LiteralStyle | yaml.FoldedStyle | yaml.TaggedStyle
				return
			}
			if v := r.text(n.Value); v != n.Value {
				n.Value, n.Tag = v, "!!str"
				n.Style &^= yaml.TaggedStyle
			}
		})
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// walkYAML visits every node of the tree once (aliases are not followed).
func walkYAML(n *yaml.Node, depth int, fn func(*yaml.Node)) {
	if n == nil || depth > maxDepth {
		return
	}
	fn(n)
	for _, c := range n.Content {
		walkYAML(c, depth+1, fn)
	}
}

// markSecrets records in redact the scalars under secret keys, following aliases.
func markSecrets(n *yaml.Node, secret bool, redact, seen map[*yaml.Node]bool, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	if secret {
		if seen[n] {
			return
		}
		seen[n] = true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if secret && n.ShortTag() != "!!bool" && n.ShortTag() != "!!null" {
			redact[n] = true
		}
	case yaml.AliasNode:
		if secret {
			markSecrets(n.Alias, true, redact, seen, depth+1)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			markSecrets(k, false, redact, seen, depth+1)
			markSecrets(v, secret || (k.Kind == yaml.ScalarNode && IsSecretKey(k.Value)), redact, seen, depth+1)
		}
	default:
		for _, c := range n.Content {
			markSecrets(c, secret, redact, seen, depth+1)
		}
	}
}
