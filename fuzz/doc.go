// Package fuzz holds the property checks that the fuzz targets of this
// module assert, and the targets themselves (in the package's tests). The
// checks are exported so that other test suites, and callers who fuzz their
// own rule packs, can assert the same properties.
//
// Run one target for a while with, for example:
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzDecodeValidate$' -fuzztime 60s
package fuzz
