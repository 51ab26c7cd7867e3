// Package cuepoint reads what CuePoint leaves on disk: where its folders are on each OS,
// its crash file pairs and its two log formats (see ../shared/cuepoint/ARTIFACTS.md of the
// project). It never writes and never sends; it reports unreadable inputs as Problems
// (which file, what was wrong) and goes on with the rest.
package cuepoint
