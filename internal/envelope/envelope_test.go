package envelope

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
)

func TestRoundTrip(t *testing.T) {
	ev := &sentry.Event{EventID: "0123456789abcdef0123456789abcdef", Message: "line1\nline2", Level: sentry.LevelFatal,
		Attachments: []*sentry.Attachment{{Filename: "a.txt", ContentType: "text/plain", Payload: []byte("x\ny")}}}
	env, err := FromEvent(ev, Header{SDK: &SDK{Name: "n", Version: "v"}, SentAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	b := env.Encode()
	lines := strings.SplitN(string(b), "\n", 2)
	if lines[0] != `{"event_id":"0123456789abcdef0123456789abcdef","sent_at":"2026-01-02T03:04:05Z","sdk":{"name":"n","version":"v"}}` {
		t.Fatalf("header %s", lines[0])
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 2 || got.Items[0].Type != "event" || !bytes.Equal(got.Items[1].Payload, []byte("x\ny")) {
		t.Fatalf("items %+v", got.Items)
	}
	if !bytes.Equal(got.Encode(), b) {
		t.Fatal("decode+encode is not the identity")
	}
}

func TestDecodeRejectsBadLengths(t *testing.T) {
	for _, in := range []string{
		"",
		"not json\n",
		"{}\n{\"type\":\"event\",\"length\":50}\n{}\n",
		"{}\n{\"type\":\"event\",\"length\":1}\n{}\n",
		"{}\n{\"length\":2}\n{}\n",
	} {
		if _, err := Decode([]byte(in)); err == nil {
			t.Errorf("Decode(%q) accepted", in)
		}
	}
	// Items without a length run to the newline.
	e, err := Decode([]byte("{}\n{\"type\":\"event\"}\n{\"a\":1}\n"))
	if err != nil || string(e.Items[0].Payload) != `{"a":1}` {
		t.Fatalf("implicit length: %v %+v", err, e)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("{}\n{\"type\":\"event\",\"length\":2}\n{}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Decode(b)
		if err == nil {
			if _, err := Decode(e.Encode()); err != nil {
				t.Fatalf("re-encoded envelope does not decode: %v", err)
			}
		}
	})
}

func TestReadableKeepsTheValue(t *testing.T) {
	for _, in := range []string{`{"a":"<user> & <email-1>"}`, `{"a":"\\u003c literal"}`, `{"a":"x\\\\"}`, `["\"<\""]`} {
		var want any
		json.Unmarshal([]byte(in), &want)
		out, err := Readable([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		var got any
		if err := json.Unmarshal(out, &got); err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s -> %s: %v (%v vs %v)", in, out, err, got, want)
		}
	}
	out, _ := Readable([]byte(`{"a":"\u003cuser\u003e"}`))
	if !strings.Contains(string(out), `"<user>"`) {
		t.Errorf("still escaped: %s", out)
	}
}
