// Package envelope reads and writes Sentry envelopes: a JSON header line, then items, each a
// JSON item-header line with an explicit byte length followed by that many payload bytes
// (https://develop.sentry.dev/sdk/data-model/envelopes/). sentry-go keeps its envelope
// header type internal, so the companion writes the header itself and uses sentry-go's
// Event for the payload.
package envelope

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/getsentry/sentry-go"
)

// SDK names the sender in the envelope header.
type SDK struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Header is the first line of an envelope.
type Header struct {
	EventID string    `json:"event_id,omitempty"`
	SentAt  time.Time `json:"sent_at,omitzero"`
	DSN     string    `json:"dsn,omitempty"`
	SDK     *SDK      `json:"sdk,omitempty"`
}

// Item is one item of an envelope.
type Item struct {
	Type           string
	ContentType    string
	Filename       string
	AttachmentType string
	Payload        []byte
}

type itemHeader struct {
	Type           string `json:"type"`
	Length         *int   `json:"length,omitempty"`
	ContentType    string `json:"content_type,omitempty"`
	Filename       string `json:"filename,omitempty"`
	AttachmentType string `json:"attachment_type,omitempty"`
}

// Envelope is a decoded envelope.
type Envelope struct {
	Header Header
	Items  []Item
}

// FromEvent makes a one-item envelope (type "event") from a Sentry event, plus one
// "attachment" item per ev.Attachments entry. The event JSON is indented: items carry an
// explicit length, so newlines are allowed, and the exact bytes a user is shown before
// sending are then readable.
func FromEvent(ev *sentry.Event, h Header) (*Envelope, error) {
	compact, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode event: %w", err)
	}
	payload, err := Readable(compact)
	if err != nil {
		return nil, fmt.Errorf("encode event: %w", err)
	}
	if h.EventID == "" {
		h.EventID = string(ev.EventID)
	}
	env := &Envelope{Header: h, Items: []Item{{Type: "event", ContentType: "application/json", Payload: payload}}}
	for _, a := range ev.Attachments {
		env.Items = append(env.Items, Item{Type: "attachment", ContentType: a.ContentType, Filename: a.Filename, Payload: a.Payload})
	}
	return env, nil
}

// Encode writes the envelope with an explicit length on every item.
func (e *Envelope) Encode() []byte {
	var buf bytes.Buffer
	h, _ := json.Marshal(e.Header) // plain struct: cannot fail
	buf.Write(h)
	buf.WriteByte('\n')
	for _, it := range e.Items {
		n := len(it.Payload)
		ih, _ := json.Marshal(itemHeader{Type: it.Type, Length: &n, ContentType: it.ContentType, Filename: it.Filename, AttachmentType: it.AttachmentType})
		buf.Write(ih)
		buf.WriteByte('\n')
		buf.Write(it.Payload)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// Decode parses an envelope. Items with an explicit length must have exactly that many
// bytes; items without one run to the next newline.
func Decode(b []byte) (*Envelope, error) {
	line, rest, ok := bytes.Cut(b, []byte("\n"))
	if !ok && len(line) == 0 {
		return nil, errors.New("envelope is empty")
	}
	var e Envelope
	if err := json.Unmarshal(line, &e.Header); err != nil {
		return nil, fmt.Errorf("envelope header is not JSON: %w", err)
	}
	for n := 0; len(rest) > 0; n++ {
		var ihLine []byte
		ihLine, rest, _ = bytes.Cut(rest, []byte("\n"))
		if len(bytes.TrimSpace(ihLine)) == 0 {
			continue
		}
		var ih itemHeader
		if err := json.Unmarshal(ihLine, &ih); err != nil {
			return nil, fmt.Errorf("item %d: header is not JSON: %w", n, err)
		}
		if ih.Type == "" {
			return nil, fmt.Errorf("item %d: header has no type", n)
		}
		var payload []byte
		if ih.Length != nil {
			if *ih.Length < 0 || *ih.Length > len(rest) {
				return nil, fmt.Errorf("item %d (%s): length %d but only %d bytes follow", n, ih.Type, *ih.Length, len(rest))
			}
			payload, rest = rest[:*ih.Length], rest[*ih.Length:]
			if len(rest) > 0 {
				if rest[0] != '\n' {
					return nil, fmt.Errorf("item %d (%s): payload is longer than its length %s", n, ih.Type, strconv.Itoa(*ih.Length))
				}
				rest = rest[1:]
			}
		} else {
			payload, rest, _ = bytes.Cut(rest, []byte("\n"))
		}
		e.Items = append(e.Items, Item{Type: ih.Type, ContentType: ih.ContentType, Filename: ih.Filename, AttachmentType: ih.AttachmentType, Payload: bytes.Clone(payload)})
	}
	return &e, nil
}

// Readable re-lays out JSON for people: indented, and without encoding/json's HTML escapes
// (\u003c for "<" and so on), so "<user>" reads as written. The value is unchanged.
func Readable(compact []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Indent(&buf, compact, "", "  "); err != nil {
		return nil, err
	}
	return unescapeHTML(buf.Bytes()), nil
}

// unescapeHTML turns \u003c, \u003e and \u0026 back into <, > and &, skipping escaped
// backslashes (\\u003c is a backslash followed by the text u003c).
func unescapeHTML(b []byte) []byte {
	out := b[:0:0]
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			out = append(out, b[i])
			continue
		}
		if i+5 < len(b) && b[i+1] == 'u' && b[i+2] == '0' && b[i+3] == '0' {
			switch string(b[i+4 : i+6]) {
			case "3c":
				out, i = append(out, '<'), i+5
				continue
			case "3e":
				out, i = append(out, '>'), i+5
				continue
			case "26":
				out, i = append(out, '&'), i+5
				continue
			}
		}
		if i+1 < len(b) { // any other escape: copy it whole, so \\ is never split
			out = append(out, b[i], b[i+1])
			i++
			continue
		}
		out = append(out, b[i])
	}
	return out
}
