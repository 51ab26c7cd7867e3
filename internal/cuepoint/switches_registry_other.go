//go:build !windows

package cuepoint

// newRegistrySettings: the Windows registry exists only on Windows.
func newRegistrySettings(where string) QtSettings {
	return &unavailableSettings{where: where, why: "the Windows registry can be read and written only on Windows"}
}
