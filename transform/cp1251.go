package transform

import (
	"bufio"
	"io"
	"unicode/utf8"
)

// cp1251High maps the bytes 0x80–0xBF of windows-1251 to Unicode. The bytes
// 0xC0–0xFF are А–я in order (U+0410–U+044F), and 0x00–0x7F are ASCII. 0x98
// is unassigned and reads as U+FFFD, which no other byte gives: the readers
// refuse the document it is in (see csvReader.badText, xmlText).
var cp1251High = [64]rune{
	'Ђ', 'Ѓ', '‚', 'ѓ', '„', '…', '†', '‡', '€', '‰', 'Љ', '‹', 'Њ', 'Ќ', 'Ћ', 'Џ',
	'ђ', '‘', '’', '“', '”', '•', '–', '—',
	utf8.RuneError, '™', 'љ', '›', 'њ', 'ќ', 'ћ', 'џ',
	'\u00a0', 'Ў', 'ў', 'Ј', '¤', 'Ґ', '¦', '§', 'Ё', '©', 'Є', '«', '¬', '\u00ad', '®', 'Ї',
	'°', '±', 'І', 'і', 'ґ', 'µ', '¶', '·', 'ё', '№', 'є', '»', 'ј', 'Ѕ', 'ѕ', 'ї',
}

// cp1251Rune returns the character of one windows-1251 byte.
func cp1251Rune(b byte) rune {
	switch {
	case b < 0x80:
		return rune(b)
	case b < 0xC0:
		return cp1251High[b-0x80]
	}
	return 0x0410 + rune(b-0xC0)
}

// cp1251Reader decodes windows-1251 into UTF-8 as it is read. It is written
// here rather than taken from golang.org/x/text to keep the module's
// dependencies as they are; the table is the whole of the encoding.
type cp1251Reader struct {
	r   *bufio.Reader
	buf []byte // decoded bytes
	off int    // of them, already returned
}

func newCP1251Reader(r io.Reader) io.Reader {
	return &cp1251Reader{r: bufio.NewReaderSize(r, 32<<10)}
}

func (c *cp1251Reader) Read(p []byte) (int, error) {
	if c.off == len(c.buf) {
		if _, err := c.r.Peek(1); err != nil {
			return 0, err
		}
		// A byte decodes to at most three; read what fits p once decoded.
		in, _ := c.r.Peek(min(c.r.Buffered(), max(1, len(p)/3)))
		c.buf, c.off = c.buf[:0], 0
		for _, b := range in {
			if b < 0x80 {
				c.buf = append(c.buf, b)
				continue
			}
			c.buf = utf8.AppendRune(c.buf, cp1251Rune(b))
		}
		c.r.Discard(len(in))
	}
	n := copy(p, c.buf[c.off:])
	c.off += n
	return n, nil
}
