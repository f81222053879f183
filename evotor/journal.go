package evotor

import (
	"context"
	"crypto/sha256"
	"sync"

	"github.com/evoreceipt/evoreceipt/model"
)

// JournalKey names one document: an external_id is unique within a group
// of cash registers, not across groups.
type JournalKey struct {
	Group      string
	ExternalID string
}

// JournalEntry is what the journal knows about one external_id.
type JournalEntry struct {
	// Digest is the SHA-256 of the operation, a zero byte and the exact
	// body that was sent; see [Digest].
	Digest [sha256.Size]byte
	// UUID is the uuid the service assigned, "" until it is known.
	UUID string
}

// Journal records, per external_id, which body the client sent. It is how
// [Client.Submit] tells a resend of the same document (safe: the service
// answers "already exists" and the existing uuid is used) from a different
// document that reuses an external_id (refused, never reported as
// success).
//
// Implementations must be safe for concurrent use. A journal that
// survives restarts extends the protection to documents sent by an
// earlier process; see [MemoryJournal] for the in-memory default.
type Journal interface {
	// Begin records digest for key unless key is already recorded. It
	// returns the stored entry and loaded = true when it was, without
	// changing it. It is called before the first send.
	Begin(ctx context.Context, key JournalKey, digest [sha256.Size]byte) (
		stored JournalEntry, loaded bool, err error)
	// Accept records the uuid the service assigned to the document with
	// this key and digest. An entry with another digest is left alone.
	Accept(ctx context.Context, key JournalKey, digest [sha256.Size]byte, uuid string) error
	// Forget removes the entry with this key and digest, after the
	// service refused the document so that its external_id is free again.
	// An entry with another digest, or with a uuid (the document is
	// registered, whatever a later refusal says), is left alone.
	Forget(ctx context.Context, key JournalKey, digest [sha256.Size]byte) error
}

// Digest returns the SHA-256 that the journal keeps for a body sent as
// operation op: the operation is part of it, because a sell and a refund
// under the same external_id are different documents.
func Digest(op model.Operation, body []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(op))
	h.Write([]byte{0})
	h.Write(body)
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

// MemoryJournal is a [Journal] in memory, the default. Its zero value is
// ready to use and it is safe for concurrent use. It grows by one entry
// per document and forgets everything when the process ends.
type MemoryJournal struct {
	mu sync.Mutex
	m  map[JournalKey]JournalEntry
}

// NewMemoryJournal returns an empty journal.
func NewMemoryJournal() *MemoryJournal { return &MemoryJournal{} }

// Begin implements [Journal].
func (j *MemoryJournal) Begin(_ context.Context, key JournalKey, digest [sha256.Size]byte) (
	JournalEntry, bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if e, ok := j.m[key]; ok {
		return e, true, nil
	}
	if j.m == nil {
		j.m = make(map[JournalKey]JournalEntry)
	}
	e := JournalEntry{Digest: digest}
	j.m[key] = e
	return e, false, nil
}

// Accept implements [Journal].
func (j *MemoryJournal) Accept(_ context.Context, key JournalKey, digest [sha256.Size]byte,
	uuid string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if e, ok := j.m[key]; ok && e.Digest == digest {
		e.UUID = uuid
		j.m[key] = e
	}
	return nil
}

// Forget implements [Journal].
func (j *MemoryJournal) Forget(_ context.Context, key JournalKey, digest [sha256.Size]byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if e, ok := j.m[key]; ok && e.Digest == digest && e.UUID == "" {
		delete(j.m, key)
	}
	return nil
}

// Lookup returns the entry for key, if there is one.
func (j *MemoryJournal) Lookup(key JournalKey) (JournalEntry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e, ok := j.m[key]
	return e, ok
}

// Len returns the number of entries.
func (j *MemoryJournal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.m)
}
