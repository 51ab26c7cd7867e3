package scrub

import (
	"math/bits"
	"strings"
)

// Line features: what a line holds, learned in one pass, so that a detector runs only when
// it can match. The pass branches only on the few bytes that may start or end something
// worth finding (separators, @, %, :, =, ., -, _ …); digits, letters and blanks are counted
// eight at a time. Most log lines skip every detector but the cheap ones.
const (
	fAt         = 1 << iota // @
	fPct40                  // %40
	fSep                    // / or \
	fScheme                 // ://
	fDouble                 // ::
	fEq                     // =
	fQuery                  // ? & ;
	fIPv4                   // three dots between digits close together
	fToken                  // the start of a GitHub, Slack, AWS or JSON Web Token
	fAuth                   // Bearer, Basic or token before a blank
	fUpperDigit             // an upper-case letter followed by a digit (IBAN, AWS)
	fMEI                    // _MEI
	fHook                   // hooks.
	fHome                   // a home keyword after a separator (/home/, \Users\ …)
	fSecretKey              // a key that may be secret before a ':' or '='
	fPctHome                // a home keyword between escaped separators (%2Fhome%2F …)
)

// Byte kinds for the features pass; gNone bytes are not looked at one by one.
const (
	gNone = iota
	gAt
	gPct
	gSep
	gColon
	gEq
	gQuery
	gDot
	gDash
	gUnder
	gJ // eyJ
	gI // AKIA, ASIA
	gB // Bearer, Basic (any case)
	gK // token
)

var gate = func() (g [256]uint8) {
	g['@'], g['%'], g['/'], g['\\'] = gAt, gPct, gSep, gSep
	g[':'], g['='], g['.'], g['-'], g['_'] = gColon, gEq, gDot, gDash, gUnder
	g['?'], g['&'], g[';'] = gQuery, gQuery, gQuery
	g['J'], g['I'] = gJ, gI
	g['B'], g['b'], g['k'], g['K'] = gB, gB, gK, gK
	return g
}()

// lineFeatures is what the features pass learns about a line.
type lineFeatures struct {
	f         uint16
	colons    int // number of ':'
	macColons int // hex pairs on both sides of a ':'
	macDashes int // hex pairs on both sides of a '-'
	numberRun int // most digits in one run of digits, blanks and dashes (card numbers)
}

// keyCache remembers whether the last keys seen before a ':' or '=' may be secret: log
// lines repeat the same few (run_id=, version=, logger:).
type keyCache struct {
	keys [4]string
	may  [4]bool
	next int
}

// secretBefore is the package-level secretBefore, remembered.
func (c *keyCache) secretBefore(t string, i int) bool {
	k, ke := keyBefore(t, i)
	if ke-k < 3 {
		return false
	}
	key := t[k:ke]
	for j := range c.keys {
		if c.keys[j] == key {
			return c.may[j]
		}
	}
	may := maySecret(key)
	c.keys[c.next], c.may[c.next] = key, may
	c.next = (c.next + 1) % len(c.keys)
	return may
}

func features(t string, kc *keyCache) lineFeatures {
	var lf lineFeatures
	var f uint16
	chain, lastDot := 0, -8
	for i := 0; i < len(t); i++ {
		k := gate[t[i]]
		if k == gNone {
			continue
		}
		switch k {
		case gAt:
			f |= fAt
		case gPct:
			if i+2 < len(t) && t[i+1] == '4' && t[i+2] == '0' {
				f |= fPct40
			} else if f&fPctHome == 0 {
				if kw, _ := pctKeywordAt(t, i); kw != kwNone {
					f |= fPctHome
				}
			}
		case gSep:
			f |= fSep
			if f&fHome == 0 && i+1 < len(t) {
				if kw, _ := keywordAt(t, i+1); kw != kwNone {
					f |= fHome
				}
			}
		case gColon:
			lf.colons++
			if hexPairs(t, i) {
				lf.macColons++
			}
			if i > 0 && t[i-1] == ':' {
				f |= fDouble
			}
			if i+2 < len(t) && t[i+1] == '/' && t[i+2] == '/' {
				f |= fScheme
			}
			if f&fSecretKey == 0 && kc.secretBefore(t, i) {
				f |= fSecretKey
			}
		case gEq:
			f |= fEq
			if f&fSecretKey == 0 && kc.secretBefore(t, i) {
				f |= fSecretKey
			}
		case gQuery:
			f |= fQuery
		case gDot:
			if i > 0 && i+1 < len(t) && isDigit(t[i-1]) && isDigit(t[i+1]) {
				if i-lastDot <= 4 {
					chain++
				} else {
					chain = 1
				}
				lastDot = i
				if chain >= 3 {
					f |= fIPv4
				}
			}
			if i >= 5 && t[i-5:i] == "hooks" {
				f |= fHook
			}
		case gDash:
			if hexPairs(t, i) {
				lf.macDashes++
			}
			if i >= 4 && t[i-4] == 'x' && (t[i-3] == 'o' && t[i-2] == 'x' || t[i-3] == 'a' && t[i-2] == 'p' && t[i-1] == 'p') {
				f |= fToken
			}
		case gUnder:
			if i >= 3 && t[i-3] == 'g' && t[i-2] == 'h' && strings.IndexByte("pousr", t[i-1]) >= 0 ||
				i >= 6 && t[i-6:i] == "github" {
				f |= fToken
			}
			if i+3 < len(t) && t[i+1:i+4] == "MEI" {
				f |= fMEI
			}
		case gJ:
			if i >= 2 && t[i-2] == 'e' && t[i-1] == 'y' {
				f |= fToken
			}
		case gI:
			if i >= 2 && i+1 < len(t) && t[i-2] == 'A' && (t[i-1] == 'K' || t[i-1] == 'S') && t[i+1] == 'A' {
				f |= fToken
			}
		case gB:
			if (i == 0 || !isWordByte(t[i-1])) && (hasFoldAt(t, i, "bearer ") || hasFoldAt(t, i, "basic ") ||
				hasFoldAt(t, i, "bearer\t") || hasFoldAt(t, i, "basic\t")) {
				f |= fAuth
			}
		case gK:
			if i >= 2 && (i == 2 || !isWordByte(t[i-3])) && hasFoldAt(t, i-2, "token") && i+3 < len(t) && (t[i+3] == ' ' || t[i+3] == '\t') {
				f |= fAuth
			}
		}
	}
	var upperDigit bool
	lf.numberRun, upperDigit = digitRuns(t)
	if upperDigit {
		f |= fUpperDigit
	}
	lf.f = f
	return lf
}

// hexPairs reports whether two hex digits come before and after t[i].
func hexPairs(t string, i int) bool {
	return i >= 2 && i+2 < len(t) && isHex(t[i-1]) && isHex(t[i-2]) && isHex(t[i+1]) && isHex(t[i+2])
}

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// load64 reads t[i:i+8] as a little-endian word.
func load64(t string, i int) uint64 {
	_ = t[i+7]
	return uint64(t[i]) | uint64(t[i+1])<<8 | uint64(t[i+2])<<16 | uint64(t[i+3])<<24 |
		uint64(t[i+4])<<32 | uint64(t[i+5])<<40 | uint64(t[i+6])<<48 | uint64(t[i+7])<<56
}

// zeroBytes marks (with the high bit) the bytes of x that are zero.
func zeroBytes(x uint64) uint64 { return ^(((x &^ hi8) + (hi8 - lo8)) | x) & hi8 }

// digitRuns returns the most digits in one run of digits, blanks and dashes, and whether an
// upper-case letter is followed by a digit, eight bytes at a time.
func digitRuns(t string) (best int, upperDigit bool) {
	cur := 0
	var prevUpper uint64 // high bit set when the last byte of the previous word is upper case
	i := 0
	for ; i+8 <= len(t); i += 8 {
		w := load64(t, i)
		x := w ^ (0x30 * lo8)
		d := ^(((x &^ hi8) + (0x76 * lo8)) | x) & hi8 // '0'..'9'
		y := w &^ hi8
		u := (y + (0x80-'A')*lo8) &^ (y + (0x80-'Z'-1)*lo8) &^ w & hi8 // 'A'..'Z'
		if (u<<8|prevUpper)&d != 0 {
			upperDigit = true
		}
		prevUpper = u >> 56
		keep := d | zeroBytes(w^(' '*lo8)) | zeroBytes(w^('-'*lo8))
		other := ^keep & hi8
		if other == 0 {
			cur += bits.OnesCount64(d)
			continue
		}
		cur += bits.OnesCount64(d & (other&-other - 1)) // digits before the first other byte
		best = max(best, cur)
		cur = bits.OnesCount64(d >> uint(63-bits.LeadingZeros64(other))) // after the last
	}
	for ; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c):
			cur++
			if i > 0 && isUpper(t[i-1]) {
				upperDigit = true
			}
		case c == ' ' || c == '-':
		default:
			best = max(best, cur)
			cur = 0
		}
	}
	return max(best, cur), upperDigit
}
