package compute

import (
	"slices"

	"github.com/evoreceipt/evoreceipt/model"
)

// The clone functions copy every pointer and slice that a request holds, so
// that what this package returns shares no memory with what it was given
// and a caller who edits the result cannot reach back into the input.

func ptr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneItem(it *model.Item) model.Item {
	c := *it
	c.Vat.Sum = ptr(it.Vat.Sum)
	c.Excise = ptr(it.Excise)
	c.MarkQuantity = ptr(it.MarkQuantity)
	c.SectoralItemProps = slices.Clone(it.SectoralItemProps)
	c.MarkCode = ptr(it.MarkCode)
	c.Wholesale = ptr(it.Wholesale)
	c.PlannedStatus = ptr(it.PlannedStatus)
	if a := it.AgentInfo; a != nil {
		ca := *a
		if a.PayingAgent != nil {
			pa := *a.PayingAgent
			pa.Phones = slices.Clone(pa.Phones)
			ca.PayingAgent = &pa
		}
		if a.ReceivePaymentsOperator != nil {
			op := *a.ReceivePaymentsOperator
			op.Phones = slices.Clone(op.Phones)
			ca.ReceivePaymentsOperator = &op
		}
		if a.MoneyTransferOperator != nil {
			op := *a.MoneyTransferOperator
			op.Phones = slices.Clone(op.Phones)
			ca.MoneyTransferOperator = &op
		}
		c.AgentInfo = &ca
	}
	if s := it.SupplierInfo; s != nil {
		cs := *s
		cs.Phones = slices.Clone(s.Phones)
		c.SupplierInfo = &cs
	}
	return c
}

func cloneItems(items []model.Item) []model.Item {
	if items == nil {
		return nil
	}
	out := make([]model.Item, len(items))
	for i := range items {
		out[i] = cloneItem(&items[i])
	}
	return out
}

func cloneReceipt(r *model.Receipt) model.Receipt {
	c := *r
	c.Client = ptr(r.Client)
	c.Items = cloneItems(r.Items)
	c.Payments = slices.Clone(r.Payments)
	c.Vats = slices.Clone(r.Vats)
	c.AdditionalUserProps = ptr(r.AdditionalUserProps)
	c.OperatingCheckProps = ptr(r.OperatingCheckProps)
	c.SectoralCheckProps = slices.Clone(r.SectoralCheckProps)
	c.Internet = ptr(r.Internet)
	c.Timezone = ptr(r.Timezone)
	c.CashlessPayments = slices.Clone(r.CashlessPayments)
	return c
}

// cloneRequest returns a deep copy of req.
func cloneRequest(req *model.Request) *model.Request {
	c := *req
	c.Service = ptr(req.Service)
	c.ISMOptional = ptr(req.ISMOptional)
	if req.Receipt != nil {
		r := cloneReceipt(req.Receipt)
		c.Receipt = &r
	}
	if req.Correction != nil {
		cr := *req.Correction
		cr.Receipt = cloneReceipt(&req.Correction.Receipt)
		c.Correction = &cr
	}
	return &c
}
