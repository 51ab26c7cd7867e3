// Package perf will hold CuePoint's performance targets, the probes that measure them,
// process-tree sampling, statistics, history and regression verdicts (issue #7). It must
// not import Fyne.
//
// It is empty in this version: the walking skeleton ships crash reports only.
package perf
