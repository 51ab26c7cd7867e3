package cuepoint

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// replaceFile replaces path with data safely:
//
//   - a symlink is followed, so the file it points to is replaced and the link stays;
//   - the previous content (old, when existed) is kept in <path>.bak first, overwriting an
//     older backup, with the original's permissions (the file may hold secrets);
//   - data goes to a temp file in the same folder, is fsynced, gets the original's
//     permissions (0600 for a new file), and is renamed over the original; the folder is
//     fsynced afterwards where the OS allows it;
//   - if the file no longer holds old right before the rename (someone saved it meanwhile),
//     nothing is replaced and the error wraps ErrChangedMeanwhile.
//
// A new file's missing folders are created (0700).
func replaceFile(path string, old []byte, existed bool, data []byte) error {
	target := path
	perm := fs.FileMode(0o600)
	if existed {
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return fmt.Errorf("%s: cannot be resolved: %s; nothing was written", path, plainErr(err))
		}
		target = real
		st, err := os.Stat(target)
		if err != nil {
			return fmt.Errorf("%s: %s; nothing was written", path, plainErr(err))
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s: is not a regular file; nothing was written", path)
		}
		perm = st.Mode().Perm()
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("%s: cannot create its folder: %s", path, plainErr(err))
	}

	if existed {
		if err := writeTempAndRename(path+".bak", old, perm, nil); err != nil {
			return fmt.Errorf("%s: cannot keep a backup (%s.bak): %w; nothing was written", path, filepath.Base(path), err)
		}
	}
	check := func() error {
		now, err := os.ReadFile(target)
		switch {
		case !existed && err == nil, existed && err != nil, existed && !bytes.Equal(now, old):
			return fmt.Errorf("%s: %w; read it again and retry", path, ErrChangedMeanwhile)
		case !existed && !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%s: %s; nothing was written", path, plainErr(err))
		}
		return nil
	}
	if err := writeTempAndRename(target, data, perm, check); err != nil {
		if errors.Is(err, ErrChangedMeanwhile) {
			return err
		}
		return fmt.Errorf("%s: cannot be replaced: %w; the original is unchanged", path, err)
	}
	return nil
}

// writeTempAndRename writes data to a temp file next to target, fsyncs it, sets perm,
// runs beforeRename (when not nil; its error aborts), renames it over target and fsyncs
// the folder. The temp file never outlives a failure.
func writeTempAndRename(target string, data []byte, perm fs.FileMode, beforeRename func() error) (err error) {
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return errors.New(plainErr(err))
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return errors.New(plainErr(err))
	}
	// Windows has no Unix permissions; everywhere else a failed chmod is an error.
	if err = tmp.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return errors.New(plainErr(err))
	}
	if err = tmp.Sync(); err != nil {
		return errors.New(plainErr(err))
	}
	if err = tmp.Close(); err != nil {
		return errors.New(plainErr(err))
	}
	if beforeRename != nil {
		if err = beforeRename(); err != nil {
			return err
		}
	}
	if err = os.Rename(name, target); err != nil {
		return errors.New(plainErr(err))
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable; folders cannot be fsynced on every OS, so failures are
// ignored.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}
