// Package scrub removes personal data from text and from decoded JSON/YAML trees before
// anything leaves the user's machine.
//
// Contract: every function is pure (no I/O, nothing global that changes; a Scrubber is safe
// for concurrent use), idempotent (scrubbing scrubbed output changes nothing), never panics,
// and returns valid UTF-8 (invalid input bytes become U+FFFD).
//
// What is replaced, and with what:
//
//	home folder: /home/x, /Users/x, C:\Users\x (\, / or \\),   "~", rest of the path kept
//	  file:// URLs (percent-encoded), the homes in Identity     ("file://~/..." for a URL)
//	user name: from Identity and from every home found in      "<user>"
//	  the same text or tree; any case, whole words only,
//	  also percent-encoded
//	e-mail address (also with %40)                             "<email>"
//	IPv4 address with its :port, IPv6 address                  "<ip>"
//	Sentry DSN                                                 "<sentry-dsn>"
//	JSON Web Token (eyJ….….…)                                  "<jwt>"
//	GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)   "<github-token>"
//	user info in a URL (https://user:pass@host)                "https://<redacted>@host"
//	secret URL query value (?token=…, &sig=…, &code=…)         "<redacted>"
//	credential after Bearer, Basic or token                    "<redacted>"
//	value of a secret key in text (password=…, "token": "…")   "<redacted>"
//	PyInstaller unpack folder (/tmp/_MEIxxxx/, …\_MEIxxxx\)    removed
//
// In trees (Value, JSON, YAML) the values under secret-named keys (see IsSecretKey) become
// "[redacted]" at any depth; booleans and nulls under them are kept, they hold no secret.
// Every other string, and every map key, goes through String.
//
// Left alone: version strings, timestamps, line numbers, hex ids, git SHAs, UUIDs, Python
// module paths, numbers.
package scrub
