package model

import (
	"fmt"
	"time"
)

// Moscow is the fixed UTC+3 zone the service reads timestamps in. Russia has
// kept Moscow time at UTC+3 without daylight saving since 2014, so a fixed
// zone needs no time zone database on the host.
var Moscow = time.FixedZone("MSK", 3*60*60)

// TimestampLayout is the documented form of request and response timestamps.
const TimestampLayout = "02.01.2006 15:04:05"

// DateLayout is the documented form of dates (base_date, birthdate, the date of
// sectoral props).
const DateLayout = "02.01.2006"

// Timestamp is a document time, dd.mm.yyyy HH:MM:SS in Moscow time.
//
// It reads the documented form and also ISO 8601 (RFC 3339, with or without
// fractional seconds and zone), which is converted to Moscow time; ISO reports
// whether that happened, so a validator can tell the caller. An ISO time
// without a zone is taken as Moscow time, and fractional seconds are dropped
// (2025-05-31T12:56:26.042Z is 31.05.2025 15:56:26), since the documented form
// has none. It always writes the documented form. The zero value is unset.
type Timestamp struct {
	t   time.Time
	iso bool
}

// NewTimestamp returns t as a Timestamp in Moscow time, truncated to seconds.
func NewTimestamp(t time.Time) Timestamp {
	return Timestamp{t: t.In(Moscow).Truncate(time.Second)}
}

// ParseTimestamp reads the documented form or an ISO 8601 timestamp. It
// refuses times whose year in Moscow is outside 1–9999, which the documented
// form cannot write, and the first second of year 1, which is the zero
// (unset) Timestamp.
func ParseTimestamp(s string) (Timestamp, error) {
	if t, err := time.ParseInLocation(TimestampLayout, s, Moscow); err == nil &&
		len(s) == len(TimestampLayout) && writable(t) {
		return Timestamp{t: t}, nil
	}
	for _, layout := range isoLayouts {
		if t, err := time.ParseInLocation(layout, s, Moscow); err == nil {
			t = t.In(Moscow).Truncate(time.Second)
			if !writable(t) {
				break
			}
			return Timestamp{t: t, iso: true}, nil
		}
	}
	return Timestamp{}, fmt.Errorf("model: timestamp %s is not dd.mm.yyyy HH:MM:SS",
		quoteText(s))
}

// writable reports whether t, in Moscow time, has a documented form that
// reads back as t.
func writable(t time.Time) bool { return t.Year() >= 1 && t.Year() <= 9999 && !t.IsZero() }

var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"}

// Time returns the timestamp as a time in Moscow time.
func (t Timestamp) Time() time.Time { return t.t }

// IsZero reports whether the timestamp is unset.
func (t Timestamp) IsZero() bool { return t.t.IsZero() }

// ISO reports whether the timestamp was read from the ISO 8601 form rather
// than the documented one.
func (t Timestamp) ISO() bool { return t.iso }

// Equal reports whether t and o are the same instant, whichever form each
// was read from.
func (t Timestamp) Equal(o Timestamp) bool { return t.t.Equal(o.t) }

// String writes the documented form, or "" when unset.
func (t Timestamp) String() string {
	if t.t.IsZero() {
		return ""
	}
	return t.t.Format(TimestampLayout)
}

// MarshalText writes the documented form.
func (t Timestamp) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads the documented or the ISO form.
func (t *Timestamp) UnmarshalText(b []byte) error {
	v, err := ParseTimestamp(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Date is a calendar date, dd.mm.yyyy. It reads the documented form and the
// ISO forms 2006-01-02 and full RFC 3339 timestamps (whose date in Moscow time
// is kept); ISO reports which. The zero value is unset.
type Date struct {
	t   time.Time
	iso bool
}

// NewDate returns the calendar date of t in Moscow time.
func NewDate(t time.Time) Date {
	y, m, d := t.In(Moscow).Date()
	return Date{t: time.Date(y, m, d, 0, 0, 0, 0, Moscow)}
}

// ParseDate reads dd.mm.yyyy or an ISO date, of the years 1–9999.
func ParseDate(s string) (Date, error) {
	if t, err := time.ParseInLocation(DateLayout, s, Moscow); err == nil && len(s) == 10 &&
		writable(t) {
		return Date{t: t}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, Moscow); err == nil && writable(t) {
		return Date{t: t, iso: true}, nil
	}
	if ts, err := ParseTimestamp(s); err == nil && ts.iso {
		d := NewDate(ts.t)
		d.iso = true
		return d, nil
	}
	return Date{}, fmt.Errorf("model: date %s is not dd.mm.yyyy", quoteText(s))
}

// Time returns midnight of the date in Moscow time.
func (d Date) Time() time.Time { return d.t }

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// ISO reports whether the date was read from an ISO form.
func (d Date) ISO() bool { return d.iso }

// Equal reports whether d and o are the same date, whichever form each was
// read from.
func (d Date) Equal(o Date) bool { return d.t.Equal(o.t) }

// String writes dd.mm.yyyy, or "" when unset.
func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// MarshalText writes dd.mm.yyyy.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads dd.mm.yyyy or an ISO date.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
