package ui

import "fyne.io/fyne/v2"

// minHeightLayout gives its objects (stacked) at least a fixed height. A widget.Table or
// List inside a scrolling page would otherwise shrink to a single row.
type minHeightLayout struct{ height float32 }

func (l minHeightLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l minHeightLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, l.height)
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

// centeredColumnLayout centres its objects (stacked) in a column at most maxWidth wide,
// so long text stays readable in a wide window.
type centeredColumnLayout struct{ maxWidth float32 }

func (l centeredColumnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.maxWidth)
	x := (size.Width - w) / 2
	for _, o := range objs {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (l centeredColumnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}
