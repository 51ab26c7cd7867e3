// Package ui is the companion's window: the Fyne screens, the navigation between them and
// the system tray.
//
// Contract:
//
//   - ui is the only package besides cmd that imports Fyne. Everything it needs from the
//     rest of the app it asks through [Backend]; it never opens the store, reads CuePoint's
//     files or talks HTTP itself.
//   - Widgets are touched on the UI goroutine only. Every Backend call runs in a goroutine
//     with a deadline; its result is applied with fyne.Do. A failing (or panicking) call is
//     shown in the screen as what happened and what to do, never as a crash.
//   - Screens are builders that take their dependencies, one per file, registered in one
//     slice ([allScreens]) so later screens slot in beside Crashes, Outbox, What left,
//     Privacy and Clean a log. Their logic lives in pure functions with table tests.
//   - Nothing is sent without the user's say: at start, every category that needs an answer
//     (consent.NeedsPrompt) is asked on the first-run page, nothing pre-selected, and only
//     "Save my choices" records anything. The crash screen shows the exact bytes from
//     [Backend.PreviewCrashGroup] before Send is possible, and Send stays disabled until
//     the crash-reports decision allows an approved send ("always send" or "ask each
//     time"); the agent checks consent again, the UI is not the gate.
//   - What left the machine is shown from the ledger with its exact bytes while they are
//     kept; the Privacy screen exports and erases the user's data only through the Backend.
//
// [NewMainWindow] builds the window for a given app (tests pass a test app); [Run] makes the
// real app, tray included, and blocks until the user quits.
package ui
