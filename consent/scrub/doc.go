// Package scrub removes personal data from text and from decoded JSON/YAML trees before
// anything leaves the user's machine, and from logs people paste into public issues.
//
// Contract: every function is pure (no I/O, nothing global that changes; a Scrubber is safe
// for concurrent use), idempotent (scrubbing scrubbed output changes nothing), never panics,
// takes time linear in its input, and returns valid UTF-8 (invalid input bytes become
// U+FFFD).
//
// What is replaced, and with what:
//
//	home folder, rest of the path kept:                          "~" ("file://~/…" in a URL)
//	  /home/<n>, /Users/<n> (also under /mnt/c, /c, /cygdrive/c,
//	  /var, /Volumes/<disk>, /System/Volumes/Data); C:\Users\<n>
//	  with \, / or doubled \\ (any case, also C%3A, \Users\<n>,
//	  Documents and Settings, DOCUME~1, 8.3 names like ALICEB~1);
//	  UNC shares \\server\home$\<n>, \users\, \profiles$\ (also
//	  doubled); file:// URLs of these, percent-encoded; whole
//	  paths escaped with %2F or %5C (%2Fhome%2F<n>,
//	  C%3A%5CUsers%5C<n>); the homes of the Identity
//	user name: from the Identity, from every home and shell        "<user>"
//	  prompt (alice@laptop:~$) in the same text or tree; any
//	  case, NFC and NFD, path- and query-escaped, whole words
//	  only; 8.3 stems (ALICEB~1) of known names; one-letter
//	  names only as a whole path component (/media/a/disk)
//	e-mail address (also with %40)                               "<email-1>", "<email-2>", …
//	IPv4 address (a :port after it is kept), IPv6 address        "<ip-1>", …
//	MAC address (aa:bb:cc:dd:ee:ff, AA-BB-…)                     "<mac-1>", …
//	card number, 13-19 digits, alone or grouped by blanks or     "<card-1>", …
//	  dashes, known issuer prefix, Luhn check digit
//	IBAN, compact or in groups of four, mod-97 check             "<iban-1>", …
//	PEM private key, the whole block (also with escaped \n, or   "<private-key>"
//	  cut short)
//	GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)     "<github-token>"
//	Slack token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-,       "<slack-token>"
//	  xapp-)
//	Slack webhook URL (hooks.slack.com/services/…)               "<slack-webhook>"
//	AWS access key ID (AKIA…, ASIA…)                             "<aws-key>"
//	JSON Web Token (eyJ….….…)                                    "<jwt>"
//	Sentry DSN                                                   "<sentry-dsn>"
//	user info in a URL (https://user:pass@host)                  "https://<redacted>@host"
//	secret URL query value (?token=…, &sig=…, &code=…)           "<redacted>"
//	credential after Bearer, Basic or token (any case) that      "<redacted>"
//	  looks like one: 8 characters or more with a digit (or,
//	  after Bearer and Basic, a . = + or /), or 20 or more
//	value of a secret key in text (password=…, "token": "…",     "<redacted>"
//	  aws_secret_access_key = …)
//	PyInstaller unpack folder (/tmp/_MEIxxxx/, …\_MEIxxxx\)      removed, with the path
//	                                                             before it
//
// Numbered tokens are consistent inside one call (String, StringWithCounts, Value, JSON,
// YAML): the same address always gets the same number, so a reader can follow the story,
// and the mapping is dropped when the call returns. Numbers already in the input are never
// given again, so scrubbed text can be scrubbed again, alone or mixed with new text. Home
// folders and user names are not numbered: they belong to one person.
//
// In trees (Value, JSON, YAML) the values under secret-named keys (see IsSecretKey) become
// "[redacted]" at any depth; booleans and nulls under them are kept, they hold no secret.
// Every other string, and every map key, is scrubbed as text.
//
// Left alone: version strings (also four-part ones after a product word on the same line,
// like version, build, release, Qt, Python, PySide6, Windows, CuePoint, libc, driver or
// firmware, and ones with a suffix like 1.2.3.4-beta), timestamps
// (10:15:00,112, ISO 8601), line numbers, git SHAs and other hex ids, UUIDs, Python module
// paths, numbers that fail the card or IBAN checks, loopback and unspecified addresses
// (127.0.0.1, ::1, 0.0.0.0), the all-zero and broadcast MAC addresses, Python slices and
// C++ scopes (x[1::2], std::vector), generic account names (root, admin, user) outside
// their home path.
//
// Speed: each line goes through one pass that notes the few bytes worth a second look
// (separators, @, %, :, =, ., -, _) and counts digits eight bytes at a time; a detector
// runs only on lines that hold its anchor, and none uses a regular expression on a line
// without one. A typical 200-byte log line costs about a microsecond on a slow core
// (BenchmarkScrubLog: over 100 MB/s, against about 1 MB/s for chained regular expressions).
package scrub
