// Command cuepoint-companion runs next to CuePoint: with no arguments it opens the window
// (and tray); with a subcommand it does the same work headless, for support staff, beta
// testers and scripts. Run `cuepoint-companion help` for the commands.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
