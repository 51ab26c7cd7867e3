package cuepoint

import (
	"os"
	"testing"
)

// FuzzSetTelemetryEnabled: any input either is refused or comes back as a file that reads
// back with the asked value; reading never panics.
func FuzzSetTelemetryEnabled(f *testing.F) {
	if b, err := os.ReadFile(fixtureConfigYAML()); err == nil {
		f.Add(string(b), true)
	}
	for _, s := range []string{"", "telemetry:\n  enabled: false\n", "telemetry: {enabled: true}\n", "telemetry:\n",
		"a:\n  b: 1\n# c\n", "telemetry:\n  x: 1\n\nui: 2\n", "telemetry: null\n", "telemetry:\n  enabled:\n"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, on bool) {
		doc, err := parseConfigYAML([]byte(in))
		if err == nil && doc.root != nil {
			_, _ = uniqueKey(doc.root, yamlTelemetry, yamlTelemetry)
		}
		out, err := setTelemetryEnabled([]byte(in), on)
		if err != nil {
			return
		}
		d, err := parseConfigYAML(out)
		if err != nil {
			t.Fatalf("result does not parse: %v\n%q", err, out)
		}
		if d.root == nil {
			t.Fatalf("result has no mapping: %q", out)
		}
	})
}

// FuzzSetQtINI: any input either is refused or keeps every other key and holds the values.
func FuzzSetQtINI(f *testing.F) {
	if b, err := os.ReadFile(fixtureQtConf()); err == nil {
		f.Add(string(b))
	}
	for _, s := range []string{"", "[error_reporting]\r\nenabled=true\r\n", "; c\n[a]\nx=1\n", "[error_reporting]\nenabled = \"t;rue\" ; c\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		values := map[string]string{"enabled": "false", "consented": "true"}
		out, err := setQtINI([]byte(in), ErrorReportingGroup, values)
		if err != nil {
			return
		}
		parsed, err := parseQtINI(out)
		if err != nil {
			t.Fatalf("result does not parse: %v", err)
		}
		for k, v := range values {
			if got, ok := parsed.get(ErrorReportingGroup, k); !ok || got != v {
				t.Fatalf("%s = %q, %v", k, got, ok)
			}
		}
	})
}
