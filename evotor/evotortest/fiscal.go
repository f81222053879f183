package evotortest

import (
	"encoding/binary"
	"fmt"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

// Fiscal attributes that do not change between documents.
const (
	fnsSite    = "www.nalog.gov.ru"
	ofdINN     = "9715260691" // Платформа ОФД, Evotor's fiscal data operator
	daemonCode = "sandbox"
	deviceCode = "SANDBOX-KKT-1"
)

// process registers d on the sandbox's cash register, once, and returns
// its report: numbers in sequence, a new shift each Moscow day, and a
// fiscal sign drawn from the seed. h.mu is held.
func (h *Handler) process(d *document) *model.Report {
	if d.report != nil {
		return d.report
	}
	now := h.cfg.now().In(model.Moscow)
	if day := now.Format(model.DateLayout); day != h.shiftDay {
		h.shift++
		h.shiftDay = day
		h.receiptNo = 0
	}
	h.receiptNo++
	h.fdn++
	sign := digest(h.cfg.seed, "fiscal sign", fmt.Sprint(h.fdn))
	b := d.req.Body()
	p := &model.ReportPayload{
		FiscalReceiptNumber:     h.receiptNo,
		ShiftNumber:             h.shift,
		ReceiptDatetime:         now.Format(model.TimestampLayout),
		Total:                   compute.Total(b.Items),
		FNNumber:                h.serial("fn"),
		ECRRegistrationNumber:   h.serial("ecr"),
		FiscalDocumentNumber:    h.fdn,
		FiscalDocumentAttribute: int64(binary.BigEndian.Uint32(sign[:4])),
		FNSSite:                 fnsSite,
		OFDINN:                  ofdINN,
		MarksResult:             marks(b.Items),
	}
	cb := ""
	if d.req.Service != nil {
		cb = d.req.Service.CallbackURL
	}
	d.report = &model.Report{UUID: d.uuid, Timestamp: now.Format(model.TimestampLayout),
		Status: model.StatusDone, GroupCode: h.cfg.group, DaemonCode: daemonCode,
		DeviceCode: deviceCode, ExternalID: d.extID, CallbackURL: cb,
		Warnings: d.warnings, Payload: p}
	return d.report
}

// serial returns a 16-digit number fixed by the seed; it starts with 9999
// so that it cannot be mistaken for a real fiscal drive or register.
func (h *Handler) serial(what string) string {
	b := digest(h.cfg.seed, what)
	return fmt.Sprintf("9999%012d", binary.BigEndian.Uint64(b[:8])%1_000_000_000_000)
}

// marks answers every marking code as checked and correct (tag 2106 = 15).
func marks(items []model.Item) []model.MarkResult {
	var out []model.MarkResult
	for i := range items {
		mc := items[i].MarkCode
		if ks := mc.Kinds(); len(ks) > 0 {
			out = append(out, model.MarkResult{Position: i, MarkCode: mc.Value(ks[0]),
				Result: 15})
		}
	}
	return out
}
