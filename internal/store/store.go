// Package store is the companion's one bbolt file: opened once, by one process, with a lock
// timeout, a schema version and a quarantine path.
//
// Open never hangs: when another process holds the file it fails after the timeout with
// ErrLocked. A file that bbolt cannot open (corrupt, truncated, not a bbolt file, or from a
// newer schema this build does not know) is renamed to "<name>.corrupt-<time>" and a fresh
// file is created in its place; DB.Quarantined says what happened so the app can tell the
// user. Values are JSON documents in named buckets; every write is one fsynced transaction,
// so a caller that got a nil error from Update knows the data is on disk.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout of buckets this build reads and writes.
const SchemaVersion = 1

// Buckets the store creates. Each package owns its own.
const (
	BucketMeta           = "meta"
	BucketOutbox         = "outbox"
	BucketLedger         = "ledger"
	BucketCrashState     = "crash_state"
	BucketConsent        = "consent"
	BucketConsentHistory = "consent_history"
)

var allBuckets = []string{BucketMeta, BucketOutbox, BucketLedger, BucketCrashState, BucketConsent, BucketConsentHistory}

// ErrLocked means another process (most likely a running companion) holds the file.
var ErrLocked = errors.New("the companion's data file is in use by another process")

// DB is the open store.
type DB struct {
	bolt *bolt.DB
	path string
	// Quarantined is set when Open found an unusable file and moved it aside.
	Quarantined *Quarantine
}

// Quarantine says which file was moved aside and why.
type Quarantine struct {
	From, To string
	Reason   string
}

func (q *Quarantine) String() string {
	return fmt.Sprintf("the data file %s could not be opened (%s); it was moved to %s and a new, empty one was started — items that were waiting to be sent are in the moved file", q.From, q.Reason, q.To)
}

// Open opens (creating if needed) the store at path. It waits at most lockTimeout for
// another process to let go of the file, then returns an error wrapping ErrLocked.
func Open(path string, lockTimeout time.Duration) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	db, err := openBolt(path, lockTimeout)
	if err == nil {
		err = db.init()
		if err == nil {
			return db, nil
		}
		_ = db.bolt.Close()
	}
	if !isCorruption(err) {
		return nil, err
	}
	// Unusable file: move it aside, start fresh.
	q := &Quarantine{From: path, To: fmt.Sprintf("%s.corrupt-%s", path, time.Now().UTC().Format("20060102T150405Z")), Reason: err.Error()}
	if rerr := os.Rename(path, q.To); rerr != nil {
		return nil, fmt.Errorf("open %s: %v; moving it aside failed too: %w", path, err, rerr)
	}
	db, err = openBolt(path, lockTimeout)
	if err != nil {
		return nil, err
	}
	if err := db.init(); err != nil {
		_ = db.bolt.Close()
		return nil, err
	}
	db.Quarantined = q
	return db, nil
}

// isCorruption tells a damaged file (quarantine it) from a problem of the machine — lock
// held, permissions, read-only or full disk — where the file may be fine and must be kept.
func isCorruption(err error) bool {
	if errors.Is(err, ErrLocked) {
		return false
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return false
	}
	var perr *os.PathError
	return !errors.As(err, &perr)
}

func openBolt(path string, lockTimeout time.Duration) (db *DB, err error) {
	// A file cut short makes bbolt's memory map fault (SIGBUS, which no recover catches)
	// when it touches a page past the end: check the size against the meta pages first.
	if err := checkSize(path); err != nil {
		return nil, err
	}
	// bbolt panics on some malformed files instead of returning an error; treat that as corrupt.
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("file is damaged: %v", r)
		}
	}()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%w (%s): close the other CuePoint Companion window or wait for its command to finish", ErrLocked, path)
		}
		if errors.Is(err, os.ErrPermission) {
			return nil, fmt.Errorf("open %s: %w: check the folder's permissions or choose another with --data-dir", path, err)
		}
		return nil, err
	}
	return &DB{bolt: b, path: path}, nil
}

// checkSize reads bbolt's two meta pages and fails when the file is shorter than the
// newest valid one says it is (a truncated copy, a disk that filled up mid-write).
func checkSize(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return err // an empty file is a new store
	}
	const magic = 0xED0CDAED
	var best struct{ txid, pgid, pageSize uint64 }
	found := false
	buf := make([]byte, 128)
	for _, off := range []int64{0, 4096, 8192, 16384, 32768, 65536} { // the second meta sits at one page size
		if n, _ := f.ReadAt(buf, off); n < 96 {
			continue
		}
		m := buf[16:] // after the page header
		if binary.LittleEndian.Uint32(m[0:]) != magic {
			continue
		}
		pageSize := uint64(binary.LittleEndian.Uint32(m[8:]))
		if off != 0 && uint64(off) != pageSize {
			continue
		}
		pgid := binary.LittleEndian.Uint64(m[40:])
		txid := binary.LittleEndian.Uint64(m[48:])
		if !found || txid > best.txid {
			best.txid, best.pgid, best.pageSize, found = txid, pgid, pageSize, true
		}
	}
	if !found {
		return errors.New("not a bbolt file (no valid meta page)")
	}
	if need := best.pgid * best.pageSize; uint64(st.Size()) < need {
		return fmt.Errorf("file is cut short: %d bytes, its own header says %d", st.Size(), need)
	}
	return nil
}

func (db *DB) init() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("file is damaged: %v", r)
		}
	}()
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		meta := tx.Bucket([]byte(BucketMeta))
		if v := meta.Get([]byte("schema")); v != nil {
			var got int
			if err := json.Unmarshal(v, &got); err != nil {
				return fmt.Errorf("schema version unreadable: %w", err)
			}
			if got != SchemaVersion {
				return fmt.Errorf("schema version %d, this build reads %d", got, SchemaVersion)
			}
			return nil
		}
		v, _ := json.Marshal(SchemaVersion)
		return meta.Put([]byte("schema"), v)
	})
}

// Path is the file's location.
func (db *DB) Path() string { return db.path }

// Close releases the file lock.
func (db *DB) Close() error { return db.bolt.Close() }

// Tx is one transaction, read-only inside View.
type Tx struct{ tx *bolt.Tx }

// Update runs fn in a read-write transaction and commits (with fsync) when fn returns nil.
func (db *DB) Update(fn func(*Tx) error) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(*Tx) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// Put stores v as JSON under key in bucket.
func (t *Tx) Put(bucket, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", bucket, key, err)
	}
	return t.tx.Bucket([]byte(bucket)).Put([]byte(key), b)
}

// Get decodes the value under key into v; found is false when there is none.
func (t *Tx) Get(bucket, key string, v any) (found bool, err error) {
	raw := t.tx.Bucket([]byte(bucket)).Get([]byte(key))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("decode %s/%s: %w", bucket, key, err)
	}
	return true, nil
}

// Delete removes key from bucket (no error when absent).
func (t *Tx) Delete(bucket, key string) error {
	return t.tx.Bucket([]byte(bucket)).Delete([]byte(key))
}

// ForEach calls fn for every key in bucket in byte order; raw is valid only during the call.
func (t *Tx) ForEach(bucket string, fn func(key string, raw []byte) error) error {
	return t.tx.Bucket([]byte(bucket)).ForEach(func(k, v []byte) error { return fn(string(k), v) })
}

// NextSequence returns a new, increasing number for bucket; keys made with SeqKey sort in
// the order they were made.
func (t *Tx) NextSequence(bucket string) (uint64, error) {
	return t.tx.Bucket([]byte(bucket)).NextSequence()
}

// SeqKey formats a sequence number as a key that sorts numerically.
func SeqKey(n uint64) string { return fmt.Sprintf("%020d", n) }
