package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/assets"
)

const noticeTitle = "Privacy notice"

// showPrivacyNotice opens the full privacy notice (assets/privacy.md) in a scrollable
// dialog over w. UI goroutine.
func showPrivacyNotice(w fyne.Window) {
	rt := widget.NewRichTextFromMarkdown(noticeMarkdown(assets.PrivacyNotice))
	rt.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(noticeTitle, "Close", container.NewVScroll(rt), w)
	size := fyne.NewSize(760, 600)
	if cs := w.Canvas().Size(); cs.Width > 0 && cs.Height > 0 {
		size = fyne.NewSize(min(size.Width, cs.Width*0.9), min(size.Height, cs.Height*0.9))
	}
	d.Resize(size)
	d.Show()
}

// noticeMarkdown adapts the notice to what Fyne's Markdown renderer draws. It has no
// tables, so each table becomes a list: one item per row, its first cell in bold and the
// others named by their column ("what: …; when: …"). And it breaks lines where the source
// was merely wrapped, so paragraphs are joined back into one line each (the dialog wraps
// them to its width). Everything else is left as it is.
func noticeMarkdown(md string) string {
	return joinSoftBreaks(tablesToLists(md))
}

func tablesToLists(md string) string {
	lines := strings.Split(md, "\n")
	var out []string
	for i := 0; i < len(lines); {
		if i+1 < len(lines) && isTableRow(lines[i]) && isTableDivider(lines[i+1]) {
			headers := tableCells(lines[i])
			i += 2
			for ; i < len(lines) && isTableRow(lines[i]); i++ {
				out = append(out, tableRowItem(headers, tableCells(lines[i])))
			}
			continue
		}
		out = append(out, lines[i])
		i++
	}
	return strings.Join(out, "\n")
}

func isTableRow(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) > 1 && strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|")
}

func isTableDivider(line string) bool {
	if !isTableRow(line) {
		return false
	}
	for _, c := range tableCells(line) {
		if strings.Trim(c, ":-") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return true
}

func tableCells(line string) []string {
	t := strings.TrimSpace(line)
	t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
	cells := strings.Split(t, "|")
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	return cells
}

func tableRowItem(headers, cells []string) string {
	if len(cells) == 0 {
		return "-"
	}
	item := "- **" + cells[0] + "**"
	var rest []string
	for j := 1; j < len(cells); j++ {
		if cells[j] == "" {
			continue
		}
		if j < len(headers) && headers[j] != "" {
			rest = append(rest, headers[j]+": "+cells[j])
		} else {
			rest = append(rest, cells[j])
		}
	}
	if len(rest) > 0 {
		item += " — " + strings.Join(rest, "; ")
	}
	return item
}

// joinSoftBreaks joins each line that merely continues the paragraph or list item above it
// onto that line. Code fences, headings, tables and hard breaks are kept.
func joinSoftBreaks(md string) string {
	var out []string
	fenced := false
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") {
			fenced = !fenced
			out = append(out, line)
			continue
		}
		if !fenced && len(out) > 0 && t != "" && !startsBlock(t) {
			prev := out[len(out)-1]
			pt := strings.TrimSpace(prev)
			hardBreak := strings.HasSuffix(prev, "  ") || strings.HasSuffix(prev, "\\")
			if pt != "" && !strings.HasPrefix(pt, "#") && !isTableRow(prev) && !strings.HasPrefix(pt, "```") && !hardBreak {
				out[len(out)-1] = strings.TrimRight(prev, " ") + " " + t
				continue
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// startsBlock says whether a (trimmed) line opens a new Markdown block.
func startsBlock(t string) bool {
	for _, p := range []string{"#", "- ", "* ", "+ ", "> ", "|", "```", "---", "***"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}
