package compute_test

import (
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
)

func TestCompleteSharesNothing(t *testing.T) {
	_, req := caseRequest(t, "bug01")
	it := &req.Receipt.Items[0]
	it.Vat.Sum = ptr(m("1"))
	it.SupplierInfo = &model.SupplierInfo{INN: "7709364346", Phones: []string{"+70000000000"}}
	it.AgentInfo = &model.AgentInfo{Type: model.AgentPaying,
		PayingAgent:             &model.PayingAgent{Phones: []string{"+7"}},
		ReceivePaymentsOperator: &model.ReceivePaymentsOperator{Phones: []string{"+7"}},
		MoneyTransferOperator:   &model.MoneyTransferOperator{Phones: []string{"+7"}}}
	it.SectoralItemProps = []model.SectoralProps{{FederalID: "030"}}
	req.Receipt.Vats = []model.Vat{{Type: model.Vat22, Sum: m("1")}}
	req.Receipt.CashlessPayments = []model.CashlessPayment{{ID: "1"}}
	req.Service = &model.Service{CallbackURL: "https://example.test/cb"}
	before := jsonString(req)
	out, _, err := compute.Complete(model.Sell, req, compute.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Scribble over every value of the result.
	o := out.Receipt
	o.Client.Email = "changed"
	o.Items[0].Vat.Sum = ptr(m("9"))
	*o.Items[0].Vat.Sum = m("9")
	o.Items[0].SupplierInfo.Phones[0] = "changed"
	o.Items[0].AgentInfo.PayingAgent.Phones[0] = "changed"
	o.Items[0].AgentInfo.ReceivePaymentsOperator.Phones[0] = "changed"
	o.Items[0].AgentInfo.MoneyTransferOperator.Phones[0] = "changed"
	o.Items[0].SectoralItemProps[0].FederalID = "changed"
	o.Vats[0].Type = "changed"
	o.Payments[0].Type = 9
	o.CashlessPayments[0].ID = "changed"
	out.Service.CallbackURL = "changed"
	if after := jsonString(req); after != before {
		t.Errorf("the input changed with the result:\n%s\n%s", before, after)
	}
}
