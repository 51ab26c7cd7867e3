package pytb

import (
	"strings"
	"unicode"
)

// ModuleFromPath turns a frame's file path into a dotted Python module name where it can:
// "/tmp/_MEIx8Qz1a/cuepoint/data/beatport.py" -> "cuepoint.data.beatport";
// "/usr/lib/python3.13/re/__init__.py" -> "re"; "/usr/lib/python3.13/re/_parser.py" -> "re._parser";
// ".../site-packages/requests/sessions.py" -> "requests.sessions"; "C:\\...\\Temp\\_MEI12345\\cuepoint\\ui\\x.py" -> "cuepoint.ui.x";
// "cuepoint/data/beatport.py" (already stripped) -> "cuepoint.data.beatport"; "<frozen importlib._bootstrap>" -> "importlib._bootstrap"; unknown -> "".
//
// The module root of an absolute path is found, in this order, after the last
// site-packages, dist-packages, PyInstaller _MEI* dir or *.zip/*.egg archive;
// else after the first PyInstaller onedir "_internal" or macOS
// "Contents/Frameworks" / "Contents/Resources"; else after the first stdlib
// dir ("pythonX.Y", Windows "Lib"). Other absolute paths give "".
func ModuleFromPath(path string) string {
	p := strings.TrimSpace(path)
	if m, ok := strings.CutPrefix(p, "<frozen "); ok {
		m, ok = strings.CutSuffix(m, ">")
		if !ok {
			return ""
		}
		return dotted(strings.Split(m, "."))
	}
	p = strings.ReplaceAll(p, `\`, "/")
	var ok bool
	for _, ext := range []string{".py", ".pyw", ".pyc"} {
		var q string
		if q, ok = strings.CutSuffix(p, ext); ok {
			p = q
			break
		}
	}
	if !ok {
		return ""
	}
	parts := strings.Split(p, "/")
	dir := parts[:len(parts)-1] // anchors are directories, never the file itself
	start := anchor(dir)
	if start < 0 {
		if strings.HasPrefix(p, "/") || isDrive(parts[0]) || strings.HasPrefix(p, "~") {
			return ""
		}
		start = 0 // relative: already stripped
		for start < len(dir) && parts[start] == "." {
			start++
		}
	}
	parts = parts[start:]
	if parts[len(parts)-1] == "__init__" {
		parts = parts[:len(parts)-1]
	}
	return dotted(parts)
}

// anchor returns the index of the first component of the module path inside
// dir (the directory components of a file path), or -1.
func anchor(dir []string) int {
	for k := len(dir) - 1; k >= 0; k-- {
		c := dir[k]
		if c == "site-packages" || c == "dist-packages" ||
			(len(c) > 4 && strings.HasPrefix(c, "_MEI")) ||
			strings.HasSuffix(c, ".zip") || strings.HasSuffix(c, ".egg") {
			return k + 1
		}
	}
	for k, c := range dir {
		if c == "_internal" || (k > 0 && dir[k-1] == "Contents" && (c == "Frameworks" || c == "Resources")) {
			return k + 1
		}
	}
	for k, c := range dir {
		if c == "Lib" || isPythonDir(c) {
			return k + 1
		}
	}
	return -1
}

// isPythonDir reports "python3.13", "python3.13t", "python3".
func isPythonDir(c string) bool {
	v, ok := strings.CutPrefix(c, "python")
	if !ok || v == "" || v[0] < '0' || v[0] > '9' {
		return false
	}
	v = strings.TrimRight(v, "abcdefghijklmnopqrstuvwxyz")
	return strings.Trim(v, "0123456789.") == ""
}

func isDrive(c string) bool {
	return len(c) == 2 && c[1] == ':' && (c[0]|0x20 >= 'a' && c[0]|0x20 <= 'z')
}

// dotted joins parts with "." if each is a Python identifier, else "".
func dotted(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	for _, s := range parts {
		if !isIdent(s) {
			return ""
		}
	}
	return strings.Join(parts, ".")
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}
