package cuepoint

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/shirou/gopsutil/v4/process"
)

// Process is a running CuePoint process.
type Process struct {
	PID  int32  `json:"pid"`
	Name string `json:"name"`
}

// FindProcesses lists running CuePoint processes: the packaged app (named CuePoint, also the
// PyInstaller bootloader and its child) or CuePoint run from source (a Python process whose
// command line runs CuePoint's main.py from a folder named cuepoint). It blocks for as long
// as listing the machine's processes takes (a few ms) or until ctx ends.
func FindProcesses(ctx context.Context) ([]Process, error) {
	procs, err := process.ProcessesWithContext(ctx)
	if err != nil {
		return nil, err
	}
	var out []Process
	for _, p := range procs {
		name, err := p.NameWithContext(ctx)
		if err != nil {
			continue // gone, or not ours to look at
		}
		if isCuePoint(name, func() []string { args, _ := p.CmdlineSliceWithContext(ctx); return args }) {
			out = append(out, Process{PID: p.Pid, Name: name})
		}
	}
	return out, nil
}

func isCuePoint(name string, args func() []string) bool {
	base := strings.TrimSuffix(strings.ToLower(name), ".exe")
	if base == "cuepoint" {
		return true
	}
	if !strings.HasPrefix(base, "python") {
		return false
	}
	for _, a := range args() {
		a = strings.ToLower(filepath.ToSlash(a))
		if strings.HasSuffix(a, "cuepoint/main.py") || strings.HasSuffix(a, "cuepoint/src/main.py") {
			return true
		}
	}
	return false
}
