// Package cuepoint reads what CuePoint leaves on disk: where its folders are on each OS,
// its crash file pairs and its two log formats (see ../shared/cuepoint/ARTIFACTS.md of the
// project). It never sends. It writes only CuePoint's two consent switches (switches*.go:
// telemetry.enabled in config.yaml and [error_reporting] in the Qt settings), byte for byte
// except the intended value, with a backup, and never into a file it cannot parse. It
// reports unreadable inputs as Problems (which file, what was wrong) and goes on with the rest.
package cuepoint
