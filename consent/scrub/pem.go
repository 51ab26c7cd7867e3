package scrub

import "strings"

const (
	pemBegin   = "-----BEGIN "
	pemDashes  = "-----"
	maxPEMSpan = 64 << 10 // bytes searched for the END line of a private key
)

// privateKeys replaces every PEM private-key block (-----BEGIN … PRIVATE KEY----- to its
// END line) by "<private-key>". The block may span lines, or sit on one line with escaped
// newlines (\n) as in a JSON string or a Python repr. A block cut short (a truncated log)
// ends after the last line of base64.
func (r *run) privateKeys(t string) string {
	e := editor{t: t}
	for from := 0; ; {
		k := strings.Index(t[from:], pemBegin)
		if k < 0 {
			break
		}
		k += from
		ls := k + len(pemBegin)
		from = ls
		le := strings.Index(t[ls:min(len(t), ls+64)], pemDashes)
		if le < 0 {
			continue
		}
		label := t[ls : ls+le]
		if !strings.Contains(label, "PRIVATE KEY") || strings.ContainsAny(label, "\r\n") {
			continue
		}
		body := ls + le + len(pemDashes)
		endLine := "-----END " + label + pemDashes
		end := -1
		if j := strings.Index(t[body:min(len(t), body+maxPEMSpan)], endLine); j >= 0 {
			end = body + j + len(endLine)
		} else {
			end = pemBodyEnd(t, body)
		}
		e.put(k, end, tokPrivateKey)
		r.counts[kKey]++
		from = end
	}
	return e.result()
}

// pemBodyEnd returns the end of the base64 lines (and RFC 1421 headers) that follow a BEGIN
// line at t[i:], lines being split by newlines or escaped newlines.
func pemBodyEnd(t string, i int) int {
	end := i
	for p := i; ; {
		// separators: blanks, newlines, escaped newlines
		for p < len(t) {
			switch {
			case t[p] == '\n' || t[p] == '\r' || t[p] == ' ' || t[p] == '\t':
				p++
				continue
			case t[p] == '\\':
				q := p
				for q < len(t) && t[q] == '\\' {
					q++
				}
				if q < len(t) && (t[q] == 'n' || t[q] == 'r') {
					p = q + 1
					continue
				}
			}
			break
		}
		q := p
		if strings.HasPrefix(t[p:], "Proc-Type:") || strings.HasPrefix(t[p:], "DEK-Info:") {
			for q < len(t) && t[q] != '\n' && t[q] != '\\' {
				q++
			}
		} else {
			for q < len(t) && (isAlnum(t[q]) || t[q] == '+' || t[q] == '/' || t[q] == '=') {
				q++
			}
			// a base64 line ends at a separator and is long, or is the padded last line
			if q == p || (q < len(t) && !strings.ContainsRune("\n\r \t\\\"'", rune(t[q]))) ||
				(q-p < 16 && t[q-1] != '=') {
				return end
			}
		}
		end, p = q, q
	}
}
