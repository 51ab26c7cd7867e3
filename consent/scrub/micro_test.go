package scrub

import "testing"

var microLine = "2026-11-20 10:15:01,009 - cuepoint - WARNING - Beatport search slow for 'Artist 12 - Track 12': 4210 ms run_id=a1b2c3d4e5f6 version=1.0.3 os=Linux 6.8.0-49-generic - /tmp/_MEIx8Qz1a/cuepoint/core/matcher.py:1417"

func BenchmarkMicroFeatures(b *testing.B) {
	var kc keyCache
	b.SetBytes(int64(len(microLine)))
	for b.Loop() {
		features(microLine, &kc)
	}
}
func BenchmarkMicroDigitRuns(b *testing.B) {
	b.SetBytes(int64(len(microLine)))
	for b.Loop() {
		digitRuns(microLine)
	}
}
func BenchmarkMicroLine(b *testing.B) {
	r := New(alice).newRun()
	b.SetBytes(int64(len(microLine)))
	for b.Loop() {
		r.line(microLine)
	}
}
func BenchmarkMicroMEI(b *testing.B) {
	b.SetBytes(int64(len(microLine)))
	for b.Loop() {
		stripMEI(microLine)
	}
}
func BenchmarkMicroNames(b *testing.B) {
	r := New(alice).newRun()
	nm := r.matcher()
	b.SetBytes(int64(len(microLine)))
	for b.Loop() {
		nm.replaceLine(microLine, r)
	}
}
