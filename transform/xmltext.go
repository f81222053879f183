package transform

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/evoreceipt/evoreceipt/model"
)

// xmlText is what the XML decoder reads: the input as UTF-8, decoded from
// windows-1251 or checked as UTF-8. A byte that is not a character in the
// encoding becomes U+FFFD for the decoder, which would otherwise stop at
// it, and is kept with its place in the input and in the text, so that the
// document it falls in is refused with a located error; the documents
// around it are read as usual.
type xmlText struct {
	r      *bufio.Reader
	cp1251 bool
	buf    []byte // decoded text; buf[off:] is not returned yet
	off    int
	base   int64 // offset in the text of buf[0]
	// line and col are the place in the input of the next byte to decode.
	line, col int
	// bad holds the bytes that were not characters, in order, until the
	// document they fall in takes them; lost is set when there were more
	// than maxBadChars at once.
	bad  []badChar
	lost bool
}

// badChar is a byte of the input that is not a character in its encoding.
type badChar struct {
	at        int64 // offset of its U+FFFD in the text
	line, col int
	code, msg string
}

// maxBadChars bounds the bytes kept in xmlText.bad: past it, the input is
// plainly in another encoding, and is refused whole.
const maxBadChars = 1000

var (
	utf8Labels   = map[string]bool{"utf-8": true, "utf8": true, "us-ascii": true, "ascii": true}
	cp1251Labels = map[string]bool{"windows-1251": true, "cp1251": true, "x-cp1251": true,
		"cp-1251": true}
)

// newXMLText opens the input for the XML decoder. The encoding is the XML
// declaration's (utf-8 or windows-1251), else the pack's; a UTF-8 byte
// order mark says UTF-8 whatever either says. UTF-16 and UTF-32 input, and
// UTF-8 text read as windows-1251, are refused.
func newXMLText(r io.Reader, packEncoding string) (*xmlText, error) {
	t := &xmlText{r: bufio.NewReaderSize(r, 32<<10), line: 1, col: 1}
	start, _ := t.r.Peek(4)
	bom := bytes.HasPrefix(start, utf8BOM)
	if bom {
		t.r.Discard(len(utf8BOM))
	} else if name, why := foreignEncoding(start); name != "" {
		return nil, foreignError(name, why, "XML is read as UTF-8 or windows-1251")
	}
	declared := strings.ToLower(declaredEncoding(t.r))
	switch {
	case bom || utf8Labels[declared]:
	case cp1251Labels[declared]:
		t.cp1251 = true
	case declared == "":
		t.cp1251 = packEncoding == "windows-1251"
	}
	// Another encoding declared is refused by the decoder's CharsetReader.
	if head, _ := t.r.Peek(t.r.Buffered()); t.cp1251 && looksUTF8(head) {
		says := "the pack's input.encoding"
		if declared != "" {
			says = "its XML declaration"
		}
		line, col := offsetPos(string(head), firstHigh(head), 1)
		return nil, &InputError{Line: line, Column: col, Code: CodeBadEncoding, Msg: "the file " +
			"looks like UTF-8, and " + says + " says windows-1251, which would garble its " +
			"text: declare it as UTF-8, or convert it (iconv -f UTF-8 -t WINDOWS-1251)"}
	}
	return t, nil
}

// declaredEncoding returns the encoding named by the XML declaration at the
// start of r, or "".
func declaredEncoding(r *bufio.Reader) string {
	if b, _ := r.Peek(5); string(b) != "<?xml" {
		return ""
	}
	for n := 64; n <= 1024; n *= 2 {
		b, err := r.Peek(n)
		if end := bytes.Index(b, []byte("?>")); end >= 0 {
			return pseudoAttr(string(b[:end]), "encoding")
		}
		if err != nil {
			break
		}
	}
	return ""
}

// pseudoAttr returns the value of name="value" (or 'value') in decl.
func pseudoAttr(decl, name string) string {
	for {
		i := strings.Index(decl, name)
		if i < 0 {
			return ""
		}
		rest := strings.TrimLeft(decl[i+len(name):], " \t\r\n")
		decl = rest
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
			return ""
		}
		if end := strings.IndexByte(rest[1:], rest[0]); end >= 0 {
			return rest[1 : 1+end]
		}
		return ""
	}
}

func (t *xmlText) Read(p []byte) (int, error) {
	if t.off == len(t.buf) {
		if err := t.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, t.buf[t.off:])
	t.off += n
	return n, nil
}

// fill decodes what the input has buffered into buf.
func (t *xmlText) fill() error {
	// Four bytes, unless the input ends: a character cut at the end of the
	// buffer is then whole once more is read.
	if in, err := t.r.Peek(utf8.UTFMax); len(in) == 0 {
		return err
	}
	in, _ := t.r.Peek(t.r.Buffered())
	t.base += int64(len(t.buf))
	t.buf, t.off = t.buf[:0], 0
	i := 0
	hint := -1 // whether in looks like windows-1251, found out at the first bad byte
	for i < len(in) {
		c := in[i]
		if c < utf8.RuneSelf {
			j := i + 1
			for j < len(in) && in[j] < utf8.RuneSelf {
				j++
			}
			run := in[i:j]
			t.buf = append(t.buf, run...)
			if k := bytes.LastIndexByte(run, '\n'); k >= 0 {
				t.line += bytes.Count(run, []byte{'\n'})
				t.col = len(run) - k
			} else {
				t.col += len(run)
			}
			i = j
			continue
		}
		if t.cp1251 {
			if c == 0x98 {
				t.badChar(CodeBadEncoding, "byte 0x98 is not a character in "+
					"windows-1251: the file is damaged, or in another encoding")
			} else {
				t.buf = utf8.AppendRune(t.buf, cp1251Rune(c))
			}
			t.col++
			i++
			continue
		}
		if !utf8.FullRune(in[i:]) && i > 0 {
			break // the rest of the character comes with the next read
		}
		r, n := utf8.DecodeRune(in[i:])
		if r == utf8.RuneError && n == 1 {
			msg := ""
			if len(t.bad) < maxBadChars {
				msg = fmt.Sprintf("text is not valid UTF-8: byte 0x%02X is not a character", c)
				if hint < 0 {
					hint = 0
					if looksCP1251(in) {
						hint = 1
					}
				}
				if hint == 1 {
					msg += "; the file looks like windows-1251: declare it " +
						`(<?xml version="1.0" encoding="windows-1251"?>), or read it with a ` +
						"pack whose input.encoding is windows-1251"
				}
			}
			t.badChar(model.CodeBadUTF8, msg)
		} else {
			t.buf = append(t.buf, in[i:i+n]...)
		}
		t.col++
		i += n
	}
	t.r.Discard(i)
	return nil
}

// badChar puts U+FFFD in the text for a byte at the current place that is
// not a character, and keeps the byte's place.
func (t *xmlText) badChar(code, msg string) {
	if len(t.bad) < maxBadChars {
		t.bad = append(t.bad, badChar{at: t.base + int64(len(t.buf)), line: t.line, col: t.col,
			code: code, msg: msg})
	} else {
		t.lost = true
	}
	t.buf = utf8.AppendRune(t.buf, utf8.RuneError)
}

// take returns the first byte kept before offset end of the text, or nil,
// and forgets those before end: they are a document's, which take refuses.
func (t *xmlText) take(end int64) *badChar {
	if len(t.bad) == 0 || t.bad[0].at >= end {
		return nil
	}
	first := t.bad[0]
	k := 1
	for k < len(t.bad) && t.bad[k].at < end {
		k++
	}
	t.bad = append(t.bad[:0], t.bad[k:]...)
	return &first
}

// error returns the error of the bad byte b: a document's, stepped over,
// unless so many were found that the input is refused.
func (t *xmlText) error(b *badChar) error {
	e := &InputError{Line: b.line, Column: b.col, Code: b.code, Msg: b.msg}
	if t.lost {
		e.Msg += fmt.Sprintf("; more than %d such bytes: the input is not in the encoding "+
			"it is read in", maxBadChars)
		return e
	}
	return &steppedOver{e}
}
