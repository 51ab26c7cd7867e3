package scrub

import "strings"

// stripMEI removes the folder a frozen (PyInstaller) app unpacks to, and everything before
// it in the same path, so that only the module path stays:
// C:\Users\x\AppData\Local\Temp\_MEI12\cuepoint\x.py -> cuepoint\x.py.
func stripMEI(t string) string {
	e := editor{t: t}
	for from := 0; ; {
		k := strings.Index(t[from:], "_MEI")
		if k < 0 {
			break
		}
		k += from
		from = k + 4
		if k == 0 || (t[k-1] != '/' && t[k-1] != '\\') {
			continue
		}
		end := k + 4
		for end < len(t) && isAlnum(t[end]) {
			end++
		}
		if end == k+4 || end == len(t) || (t[end] != '/' && t[end] != '\\') {
			continue
		}
		for end++; end < len(t) && t[end] == '\\'; end++ {
		}
		sep := k - 1
		for sep > e.last && t[sep-1] == '\\' {
			sep--
		}
		if root := meiRoot(t, e.last, sep); root >= e.last {
			if !e.changed && !strings.Contains(t[end:], "_MEI") {
				return t[:root] + t[end:] // the usual case: one frozen path in the line
			}
			e.put(root, end, "")
			from = end
		}
	}
	return e.result()
}

// meiStop are the characters no Windows path holds.
var meiStop = func() (s [256]bool) {
	for _, c := range []byte(":*?\"'<>|\r\n\t") {
		s[c] = true
	}
	return s
}()

// maxMEIBack bounds the bytes read backwards from _MEI to the root of its path.
const maxMEIBack = 1024

// meiRoot returns the start (from or later) of the path whose separator before _MEI is at
// t[sep], or -1.
func meiRoot(t string, from, sep int) int {
	// POSIX, or Windows with forward slashes, no spaces.
	q := sep
	for q > from && sep-q < maxMEIBack && !isPathBoundary(t[q-1]) && t[q-1] != '\\' {
		q--
	}
	if t[sep] == '/' && (t[q] == '/' || (t[q] == '~' && t[q+1] == '/')) {
		if q-2 >= from && t[q-1] == ':' && isLetter(t[q-2]) && (q == 2 || !isWordByte(t[q-3])) {
			return q - 2
		}
		return q
	}
	// Drive-rooted, spaces allowed: back to the nearest "X:" with only path characters between.
	p := sep
	for p > from && sep-p < maxMEIBack && !meiStop[t[p-1]] {
		p--
	}
	if p-2 >= from && t[p-1] == ':' && isLetter(t[p-2]) && (t[p] == '/' || t[p] == '\\') && (p == 2 || !isWordByte(t[p-3])) {
		return p - 2
	}
	// Home-rooted (~\AppData\...): the first "~\" or "~/" of that stretch.
	for i := p; i < sep; i++ {
		if t[i] == '~' && (t[i+1] == '\\' || t[i+1] == '/') && (i == 0 || !isWordByte(t[i-1])) {
			return i
		}
	}
	return -1
}
