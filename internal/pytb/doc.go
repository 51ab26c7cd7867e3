// Package pytb parses Python tracebacks as CuePoint (a frozen Python 3.13
// application) writes them into its crash files.
//
// Contract:
//
//   - Parse never fails and never panics. It finds the first traceback in the
//     text (leading junk is skipped), follows its exception chain ("During
//     handling of the above exception ..." = "context", "The above exception
//     was the direct cause ..." = "cause") and stops at the end of the last
//     exception, ignoring anything after it.
//   - Exceptions are oldest first; the last one is what ended the program.
//     Frames are oldest call first, as Python prints them.
//   - Caret/tilde marker lines, "...<N lines>..." elisions and
//     "[Previous line repeated N more times]" lines are skipped.
//   - When the text is truncated (no final exception line, a chain sentence
//     with nothing after it) or contains something that does not belong in a
//     traceback, Parse returns what it parsed so far and sets Partial. An
//     exception whose exception line is missing has Type "".
//   - An exception value may span several lines; it ends at the first blank
//     line (unless a chain sentence follows, which continues the chain).
//
// ModuleFromPath maps a frame's file path to a dotted module name where that
// can be done from the path alone (PyInstaller _MEI/_internal dirs,
// site-packages, the stdlib dir, relative paths, "<frozen ...>").
package pytb
