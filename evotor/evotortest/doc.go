// Package evotortest is an in-process sandbox of the Evotor cloud cash
// register API v5, for tests and demonstrations.
//
// A [Handler] answers as the service does: getToken by GET and POST, the
// eight operations, report and callbacks, with the service's statuses,
// codes and error shapes. Bodies are decoded strictly and checked with the
// validate package; what fails comes back as code 32 with the failing
// fields in the service's form ("Ошибочные поля : PropertyRequired:
// #/receipt.total"). A repeated external_id gets code 33 with the original
// uuid and status wait; a report asked for too early gets code 34. A
// processed document gets fiscal attributes (receipt, shift and fiscal
// document numbers, fiscal drive number, fiscal sign, total) in its
// report payload.
//
// Options inject faults — latency, HTTP 5xx, dropped connections, short
// token lifetimes, callbacks delivered twice — drawn from a seed, per
// document and attempt, so a run can be repeated. [Handler.Stats] and
// [Handler.Registered] count what was registered, to check that a client
// never registers a document twice.
//
// [NewServer] starts the handler on 127.0.0.1, like httptest.NewServer;
// [Listen] starts it at a given loopback address. The sandbox never
// contacts another machine: callbacks go only to loopback IP addresses.
package evotortest
