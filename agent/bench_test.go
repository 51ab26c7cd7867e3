package agent

import (
	"fmt"
	"testing"
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
)

// BenchmarkCrashItem measures turning one crash file pair into a scrubbed envelope.
func BenchmarkCrashItem(b *testing.B) {
	a, err := openTestAgent(b.TempDir(), &FolderSink{Dir: b.TempDir()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	crashes, _ := cuepoint.ReadCrashes(a.cfg.CuePoint.CrashDirs, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.crashItem(crashes[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnqueue measures one durable (fsynced) outbox commit.
func BenchmarkEnqueue(b *testing.B) {
	a, err := openTestAgent(b.TempDir(), &FolderSink{Dir: b.TempDir()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	payload := make([]byte, 4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		it := Item{ID: fmt.Sprintf("%032x", i), Category: consent.CrashReports, Payload: payload, CreatedAt: fixedNow}
		if err := a.outbox.Put(it, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
