package transform_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/compute"
	"github.com/evoreceipt/evoreceipt/model"
	"github.com/evoreceipt/evoreceipt/rules"
	"github.com/evoreceipt/evoreceipt/transform"
	"github.com/shopspring/decimal"
)

// ozonByHand is the ozon-fbs pack with its default parameters written as
// plain Go, as one would without packs: a typed decode, the same fields,
// the same output.
func ozonByHand(input []byte) ([]byte, error) {
	type product struct {
		Name         string      `json:"name"`
		Price        string      `json:"price"`
		Quantity     json.Number `json:"quantity"`
		CurrencyCode string      `json:"currency_code"`
	}
	type posting struct {
		PostingNumber string    `json:"posting_number"`
		Status        string    `json:"status"`
		InProcessAt   string    `json:"in_process_at"`
		Products      []product `json:"products"`
	}
	var in struct {
		Result struct {
			posting
			Postings []posting `json:"postings"`
		} `json:"result"`
	}
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return nil, err
	}
	postings := in.Result.Postings
	if postings == nil {
		postings = []posting{in.Result.posting}
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
			Company: model.Company{Email: "shop@example.com", SNO: "usn_income",
				INN: "5544332219", PaymentAddress: "https://www.ozon.ru"},
		}
		for _, pr := range p.Products {
			if pr.CurrencyCode != "" && pr.CurrencyCode != "RUB" {
				return nil, os.ErrInvalid
			}
			price, err := decimal.NewFromString(pr.Price)
			if err != nil {
				return nil, err
			}
			qty, err := decimal.NewFromString(string(pr.Quantity))
			if err != nil {
				return nil, err
			}
			it := model.Item{Name: strings.TrimSpace(pr.Name),
				Price: model.NewMoney(price.Round(2)), Quantity: model.NewQuantity(qty),
				PaymentMethod: "full_payment", PaymentObject: 1, Vat: model.ItemVat{Type: "none"}}
			it.Sum = compute.ItemSum(it.Price, it.Quantity)
			r.Items = append(r.Items, it)
		}
		r.Total = compute.Total(r.Items)
		r.Payments = []model.Payment{{Type: 1, Sum: r.Total}}
		doc := model.Document{Operation: model.Sell, Request: &model.Request{
			Timestamp: ts, ExternalID: p.PostingNumber, Receipt: r}}
		data, err := model.Marshal(&doc)
		if err != nil {
			return nil, err
		}
		out.Write(data)
		out.WriteByte('\n')
	}
	return out.Bytes(), nil
}

// byPack maps input with m and writes the documents as map does.
func byPack(m *transform.Mapper, input []byte) ([]byte, error) {
	var out bytes.Buffer
	err := m.Each(bytes.NewReader(input), func(r transform.Result) error {
		if r.Err != nil || r.Skipped {
			return r.Err
		}
		data, err := model.Marshal(r.Document)
		out.Write(data)
		out.WriteByte('\n')
		return err
	})
	return out.Bytes(), err
}

func ozonSample(tb testing.TB) ([]byte, *transform.Mapper) {
	tb.Helper()
	input, err := os.ReadFile(filepath.Join("..", "testdata", "orders", "ozon", "fbs_get_v3.json"))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := rules.Builtin("ozon-fbs")
	if err != nil {
		tb.Fatal(err)
	}
	m, err := transform.New(p, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return input, m
}

// The hand-written mapping and the pack produce the same bytes, so the
// benchmark compares equal work.
func TestHandWrittenMatchesPack(t *testing.T) {
	input, m := ozonSample(t)
	want, err := ozonByHand(input)
	if err != nil {
		t.Fatal(err)
	}
	got, err := byPack(m, input)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("pack:\n%s\nby hand:\n%s", got, want)
	}
}

// BenchmarkOzon compares mapping the Ozon FBS sample with the compiled
// ozon-fbs pack and with the same mapping written in Go:
//
//	go test ./transform -run '^$' -bench Ozon -benchmem
func BenchmarkOzon(b *testing.B) {
	input, m := ozonSample(b)
	b.Run("pack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := byPack(m, input); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ozonByHand(input); err != nil {
				b.Fatal(err)
			}
		}
	})
}
