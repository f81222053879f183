package bench

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/shopspring/decimal"
)

// ozonPosting is the part of an Ozon FBS posting the mapping reads.
type ozonPosting struct {
	PostingNumber string `json:"posting_number"`
	Status        string `json:"status"`
	InProcessAt   string `json:"in_process_at"`
	Products      []struct {
		Name     string      `json:"name"`
		Price    string      `json:"price"`
		Quantity json.Number `json:"quantity"`
	} `json:"products"`
}

// MapOzonByHand is the mapping of the ozon-fbs pack with its default
// parameters, written in Go: what a developer would write without rule
// packs. It returns the same JSON lines the pack produces.
func MapOzonByHand(input []byte) ([]byte, error) {
	var in struct {
		Result struct {
			ozonPosting
			Postings []ozonPosting `json:"postings"`
		} `json:"result"`
	}
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return nil, err
	}
	postings := in.Result.Postings
	if postings == nil {
		postings = []ozonPosting{in.Result.ozonPosting}
	}
	var out bytes.Buffer
	for _, p := range postings {
		if p.Status == "cancelled" || p.Status == "cancelled_from_split_pending" {
			continue
		}
		ts, err := model.ParseTimestamp(p.InProcessAt)
		if err != nil {
			return nil, err
		}
		r := &model.Receipt{
			Client: &model.Client{Email: "none"},
			Company: model.Company{INN: "5544332219", SNO: "usn_income",
				Email: "shop@example.com", PaymentAddress: "https://www.ozon.ru"},
		}
		total := decimal.Zero
		for _, pr := range p.Products {
			price, err := decimal.NewFromString(pr.Price)
			if err != nil {
				return nil, err
			}
			qty, err := model.ParseQuantity(string(pr.Quantity))
			if err != nil {
				return nil, err
			}
			pm := model.NewMoney(price.Round(2))
			sum := compute.ItemSum(pm, qty)
			total = total.Add(sum.Decimal())
			r.Items = append(r.Items, model.Item{Name: strings.TrimSpace(pr.Name), Price: pm,
				Quantity: qty, Sum: sum, PaymentMethod: model.FullPayment,
				PaymentObject: model.ObjectGoods, Vat: model.ItemVat{Type: model.VatNone}})
		}
		r.Total = model.NewMoney(total)
		r.Payments = []model.Payment{{Type: model.PaymentElectronic, Sum: r.Total}}
		doc := model.Document{Operation: model.Sell, Request: &model.Request{
			Timestamp: ts, ExternalID: p.PostingNumber, Receipt: r}}
		line, err := model.Marshal(doc)
		if err != nil {
			return nil, err
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes(), nil
}
