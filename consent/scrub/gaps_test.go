package scrub

import "testing"

func TestLowerCaseAuth(t *testing.T) {
	check(t, New(Identity{}), []stringCase{
		{"bearer dotted", "sent bearer abc.def.ghi to api", "sent bearer <redacted> to api"},
		{"basic base64", "auth: basic dXNlcjpwYXNz", "auth: basic <redacted>"},
		{"basic base64 in prose", "retrying with basic dXNlcjpwYXNzd29yZA== now", "retrying with basic <redacted> now"},
		{"basic url", "basic Zm9v/YmFy in header", "basic <redacted> in header"},
		{"bearer digits", "using bearer abcd1234efgh", "using bearer <redacted>"},
		{"bearer long", "bearer abcdefghijklmnopqrstuvwxyz", "bearer <redacted>"},
		{"bearer tab", "bearer\tabc.def.ghi", "bearer\t<redacted>"},
		{"capitalized dotted", "Bearer abc.def.ghi", "Bearer <redacted>"},
		{"prose bearer", "the bearer of bad news", "the bearer of bad news"},
		{"prose basic", "basic setup done", "basic setup done"},
		{"prose basic long word", "basic functionality works", "basic functionality works"},
		{"short credential", "bearer abc.d", "bearer abc.d"},
		{"inside word", "cabbearer abc.def.ghi", "cabbearer abc.def.ghi"},
		{"already redacted", "sent bearer <redacted> to api", "sent bearer <redacted> to api"},
	})
}

func TestFourPartVersions(t *testing.T) {
	check(t, New(Identity{}), []stringCase{
		{"qt", "Qt 5.15.2.0", "Qt 5.15.2.0"},
		{"windows five parts", "Windows 10.0.19045.3803", "Windows 10.0.19045.3803"},
		{"windows four parts", "Windows 10.0.190.38", "Windows 10.0.190.38"},
		{"pyside6", "PySide6 6.7.2.1", "PySide6 6.7.2.1"},
		{"python dash", "Python-3.11.4.0", "Python-3.11.4.0"},
		{"cuepoint v", "CuePoint v1.2.3.4 started", "CuePoint v1.2.3.4 started"},
		{"cuepoint slash", "CuePoint/1.2.3.4", "CuePoint/1.2.3.4"},
		{"build underscore", "build_1.2.3.4", "build_1.2.3.4"},
		{"libc", "libc 2.35.0.1", "libc 2.35.0.1"},
		{"driver", "driver 31.0.15.3", "driver 31.0.15.3"},
		{"firmware colon", "firmware: 1.0.2.3", "firmware: 1.0.2.3"},
		{"release", "release 2.0.1.4", "release 2.0.1.4"},
		{"ver", "ver 2.0.1.4", "ver 2.0.1.4"},
		{"suffix", "1.2.3.4-beta", "1.2.3.4-beta"},
		{"suffix rc", "got 10.2.3.4-rc done", "got 10.2.3.4-rc done"},
		{"bare", "10.0.0.1", "<ip-1>"},
		{"bare private", "192.168.1.23", "<ip-1>"},
		{"from", "from 192.168.1.23", "from <ip-1>"},
		{"host quoted", "host='10.1.2.3'", "host='<ip-1>'"},
		{"host", "host=10.1.2.3", "host=<ip-1>"},
		{"to", "connecting to 10.0.0.1:8080", "connecting to <ip-1>:8080"},
		{"ip", "ip 10.0.0.1", "ip <ip-1>"},
		{"product word on another line", "Qt\n10.0.0.1", "Qt\n<ip-1>"},
		{"product word inside a word", "myqt 10.0.0.1", "myqt <ip-1>"},
		{"suffix digits", "10.0.0.1-2", "<ip-1>-2"},
		{"product word is a home", "/home/qt/x Qt 5.15.2.0", "~/x Qt 5.15.2.0"},
	})
}

func TestPercentEncodedHomes(t *testing.T) {
	check(t, New(Identity{}), []stringCase{
		{"posix", "path=%2Fhome%2Fbob%2FMusic", "path=~%2FMusic"},
		{"posix learns name", "open %2Fhome%2Fbob%2FMusic failed for bob", "open ~%2FMusic failed for <user>"},
		{"mac", "p=%2FUsers%2Fbob", "p=~"},
		{"mac lower", "p=%2fUsers%2fbob%2fx", "p=~%2fx"},
		{"windows", "C%3A%5CUsers%5Cbob", "~"},
		{"windows rest", "C%3A%5CUsers%5Cbob%5CMusic and bob", "~%5CMusic and <user>"},
		{"windows drive slash", "C%3A%2FUsers%2Fbob%2FMusic", "~%2FMusic"},
		{"windows colon", "C:%5CUsers%5Cbob%5CMusic", "~%5CMusic"},
		{"windows space in name", "C%3A%5CUsers%5CBob%20Smith%5CMusic", "~%5CMusic"},
		{"in a query", "GET /open?path=%2Fhome%2Fbob%2FMusic%2Fa.xml HTTP/1.1", "GET /open?path=~%2FMusic%2Fa.xml HTTP/1.1"},
		{"plain and escaped", "/home/bob/x and %2Fhome%2Fbob%2Fy", "~/x and ~%2Fy"},
		{"generic account", "%2Fhome%2Froot%2Fx by root", "~%2Fx by root"},
		{"not a home", "a%2Fhomework%2Fbob", "a%2Fhomework%2Fbob"},
		{"inside a path", "x%2Fhome%2Fbob", "x%2Fhome%2Fbob"},
		{"already scrubbed", "%2Fhome%2F<user>%2Fx", "%2Fhome%2F<user>%2Fx"},
		{"not a home keyword", "%2Fhome", "%2Fhome"},
	})
}
