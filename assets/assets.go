// Package assets holds the companion's embedded icon, texts and default templates.
package assets

import _ "embed"

// Icon is the application icon (256×256 PNG): a rounded square with a cue-point flag over a
// waveform. It is used for the window, the task bar and the system tray.
//
//go:embed icon.png
var Icon []byte

// PrivacyNotice is the full privacy notice (Markdown), shown from the first-run and Privacy
// screens. Its version is consent.PolicyVersion: change both together.
//
//go:embed privacy.md
var PrivacyNotice string
