package agent

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/internal/sentrytest"
)

// TestMain lets the test binary act as a companion process that queues a crash report
// and is then killed before it can send it.
func TestMain(m *testing.M) {
	if dir := os.Getenv("AGENT_TEST_QUEUE_AND_HANG"); dir != "" {
		queueAndHang(dir)
		return
	}
	os.Exit(m.Run())
}

func queueAndHang(dataDir string) {
	// A sink that is never reached: the context is cancelled before draining.
	a, err := openTestAgent(dataDir, &FolderSink{Dir: dataDir + "/unused"}, nil)
	if err != nil {
		panic(err)
	}
	if err := a.SetDecision(consent.CrashReports, consent.Granted, consent.FromCLI); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := a.SendCrashGroup(ctx, "af1dcb1dd2c13a0e")
	if err != nil || res.Queued != 1 {
		panic(err)
	}
	os.Stdout.WriteString("QUEUED\n") // the item is committed: the producer was told
	time.Sleep(time.Hour)
}

func TestQueuedItemSurvivesKillAndIsSentOnce(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AGENT_TEST_QUEUE_AND_HANG="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "QUEUED" {
		cmd.Process.Kill()
		t.Fatalf("child said %q", line)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown code runs
		t.Fatal(err)
	}
	cmd.Wait()

	srv := sentrytest.New()
	defer srv.Close()
	a := newAgent(t, dir, sentrySink(t, srv), nil)
	items, err := a.OutboxItems(context.Background())
	if err != nil || len(items) != 1 {
		t.Fatalf("after kill: %d items, %v", len(items), err)
	}
	for range 3 {
		if _, _, err := a.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.Envelopes()
	if len(got) != 1 || got[0].Envelope.Header.EventID != items[0].ID {
		t.Fatalf("server got %d envelopes", len(got))
	}
	if items, _ := a.OutboxItems(context.Background()); len(items) != 0 {
		t.Fatalf("%d items left after delivery", len(items))
	}
}
