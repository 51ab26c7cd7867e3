package store

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "companion.db")
	db, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

func TestPutGetSurvivesReopen(t *testing.T) {
	db, path := openTemp(t)
	type rec struct{ N int }
	if err := db.Update(func(tx *Tx) error { return tx.Put(BucketOutbox, "a", rec{7}) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got rec
	err = db.View(func(tx *Tx) error {
		found, err := tx.Get(BucketOutbox, "a", &got)
		if !found {
			t.Error("record lost after reopen")
		}
		return err
	})
	if err != nil || got.N != 7 {
		t.Fatalf("got %+v, %v", got, err)
	}
	if db.Quarantined != nil {
		t.Fatalf("healthy file quarantined: %v", db.Quarantined)
	}
}

func TestSecondOpenerGetsErrLockedNotAHang(t *testing.T) {
	db, path := openTemp(t)
	defer db.Close()
	_, err := Open(path, 200*time.Millisecond)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: got %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "close the other") {
		t.Errorf("message does not say what to do: %v", err)
	}
}

func TestDamagedFilesAreQuarantined(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rnd.IntN(256))
	}
	cases := map[string]func(t *testing.T, path string){
		"random bytes": func(t *testing.T, path string) { os.WriteFile(path, garbage, 0o600) },
		"truncated": func(t *testing.T, path string) {
			db, err := Open(path, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			os.Truncate(path, 1000)
		},
		// Cut at a page boundary inside the data: bbolt's map would fault (SIGBUS).
		"truncated at a page boundary": func(t *testing.T, path string) {
			db, err := Open(path, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *Tx) error {
				for i := range 200 {
					if err := tx.Put(BucketOutbox, SeqKey(uint64(i)), strings.Repeat("x", 500)); err != nil {
						return err
					}
				}
				return nil
			})
			db.Close()
			st, _ := os.Stat(path)
			if st.Size() <= 8192 {
				t.Fatalf("store too small to cut: %d", st.Size())
			}
			os.Truncate(path, 8192)
		},
		"newer schema": func(t *testing.T, path string) {
			db, err := Open(path, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *Tx) error { return tx.Put(BucketMeta, "schema", SchemaVersion+1) })
			db.Close()
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "companion.db")
			damage(t, path)
			db, err := Open(path, time.Second)
			if err != nil {
				t.Fatalf("open after damage: %v", err)
			}
			defer db.Close()
			q := db.Quarantined
			if q == nil {
				t.Fatal("damaged file not reported as quarantined")
			}
			if _, err := os.Stat(q.To); err != nil {
				t.Errorf("quarantined copy missing: %v", err)
			}
			if !strings.Contains(q.To, ".corrupt-") {
				t.Errorf("quarantine name %q", q.To)
			}
			if err := db.Update(func(tx *Tx) error { return tx.Put(BucketOutbox, "x", 1) }); err != nil {
				t.Errorf("fresh store unusable: %v", err)
			}
		})
	}
}

func TestEmptyFileIsTakenAsNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "companion.db")
	os.WriteFile(path, nil, 0o600)
	db, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Quarantined != nil {
		t.Fatalf("an empty file holds nothing to lose but was quarantined: %v", db.Quarantined)
	}
}

func TestReadOnlyFolderIsAnErrorNotAQuarantine(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores folder permissions")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	_, err := Open(filepath.Join(dir, "companion.db"), time.Second)
	if err == nil {
		t.Fatal("open in read-only folder succeeded")
	}
}
