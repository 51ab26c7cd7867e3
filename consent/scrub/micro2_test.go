package scrub

import "testing"

func collectRare(t string, pos *[256]uint16) int {
	n := 0
	for i := 0; i < len(t) && n < 255; i++ {
		pos[n] = uint16(i)
		n += int((gate[t[i]] + 0xff) >> 8 & 0) + b2i(gate[t[i]] != gNone)
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func BenchmarkMicroCollect(b *testing.B) {
	var pos [256]uint16
	b.SetBytes(int64(len(microLine)))
	for b.Loop() {
		collectRare(microLine, &pos)
	}
}

func BenchmarkMicroLoopOnly(b *testing.B) {
	b.SetBytes(int64(len(microLine)))
	for b.Loop() {
		n := 0
		t := microLine
		for i := 0; i < len(t); i++ {
			k := gate[t[i]]
			if k == gNone {
				continue
			}
			n += int(k) + i
		}
		sinkInt += n
	}
}

var sinkInt int
