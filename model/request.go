package model

// Request is the body of POST /{group_code}/{operation}. Exactly one of
// Receipt and Correction is set: Receipt for sell, sell_refund, buy and
// buy_refund, Correction for the four correction operations.
type Request struct {
	Timestamp   Timestamp   `json:"timestamp"`
	ExternalID  string      `json:"external_id"`
	Service     *Service    `json:"service,omitempty"`
	ISMOptional *bool       `json:"ism_optional,omitempty"`
	Receipt     *Receipt    `json:"receipt,omitempty"`
	Correction  *Correction `json:"correction,omitempty"`
}

// Body returns the receipt part of the request: Receipt, or the embedded
// receipt of Correction. It returns nil when neither is set.
func (r *Request) Body() *Receipt {
	switch {
	case r == nil:
		return nil
	case r.Receipt != nil:
		return r.Receipt
	case r.Correction != nil:
		return &r.Correction.Receipt
	}
	return nil
}

// RootKey returns "receipt" or "correction", whichever the request carries
// (receipt when it carries neither), for building JSON paths.
func (r *Request) RootKey() string {
	if r != nil && r.Receipt == nil && r.Correction != nil {
		return "correction"
	}
	return "receipt"
}

// Service holds the callback address for the report.
type Service struct {
	CallbackURL string `json:"callback_url,omitempty"`
}

// Receipt is the document of sell, sell_refund, buy and buy_refund, and, with
// [CorrectionInfo] beside it, of the corrections.
type Receipt struct {
	Client               *Client              `json:"client,omitempty"`
	Company              Company              `json:"company"`
	Items                []Item               `json:"items"`
	Payments             []Payment            `json:"payments"`
	Vats                 []Vat                `json:"vats,omitempty"`
	Total                Money                `json:"total"`
	Cashier              string               `json:"cashier,omitempty"`
	CashierINN           string               `json:"cashier_inn,omitempty"`
	AdditionalCheckProps string               `json:"additional_check_props,omitempty"`
	AdditionalUserProps  *AdditionalUserProps `json:"additional_user_props,omitempty"`
	OperatingCheckProps  *OperatingCheckProps `json:"operating_check_props,omitempty"`
	SectoralCheckProps   []SectoralProps      `json:"sectoral_check_props,omitempty"`
	DeviceNumber         string               `json:"device_number,omitempty"`
	// Internet marks a settlement made over the Internet (tag 1125). It
	// comes from protocol versions after 3.5.
	Internet *bool `json:"internet,omitempty"`
	// Timezone is the settlement's time zone, 1 (MSK−1) to 11 (MSK+9),
	// tag 1011; [Timezone] names the values. From protocol versions after
	// 3.5.
	Timezone *int `json:"timezone,omitempty"`
	// CashlessPayments details non-cash payments (tag 1235). From protocol
	// versions after 3.5.
	CashlessPayments []CashlessPayment `json:"cashless_payments,omitempty"`
}

// Correction is the document of the four correction operations: a full
// receipt plus the correction's basis.
type Correction struct {
	Receipt
	CorrectionInfo CorrectionInfo `json:"correction_info"`
}

// CorrectionInfo says why and for which settlement a correction is made.
type CorrectionInfo struct {
	Type       CorrectionType `json:"type"`
	BaseDate   Date           `json:"base_date"`
	BaseNumber string         `json:"base_number,omitempty"`
}

// Client is the buyer (tags 1008, 1227, 1228, 1243–1246, 1254).
type Client struct {
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
	Name        string `json:"name,omitempty"`
	INN         string `json:"inn,omitempty"`
	Birthdate   *Date  `json:"birthdate,omitempty"`
	Citizenship string `json:"citizenship,omitempty"`
	// DocumentCode is the kind of identity document; [DocumentCode]
	// names the values.
	DocumentCode string `json:"document_code,omitempty"`
	DocumentData string `json:"document_data,omitempty"`
	Address      string `json:"address,omitempty"`
}

// Company is the seller.
type Company struct {
	Email          string `json:"email"`
	SNO            SNO    `json:"sno"`
	INN            string `json:"inn"`
	PaymentAddress string `json:"payment_address"`
	Location       string `json:"location,omitempty"`
}

// Item is one line of the receipt (tag 1059).
type Item struct {
	Name              string        `json:"name"`
	Price             Money         `json:"price"`
	Quantity          Quantity      `json:"quantity"`
	Measure           Measure       `json:"measure"`
	Sum               Money         `json:"sum"`
	PaymentMethod     PaymentMethod `json:"payment_method"`
	PaymentObject     PaymentObject `json:"payment_object"`
	Vat               ItemVat       `json:"vat"`
	UserData          string        `json:"user_data,omitempty"`
	Excise            *Money        `json:"excise,omitempty"`
	CountryCode       string        `json:"country_code,omitempty"`
	DeclarationNumber string        `json:"declaration_number,omitempty"`
	MarkQuantity      *MarkQuantity `json:"mark_quantity,omitempty"`
	// MarkProcessingMode is "0" for a good subject to mandatory marking,
	// the only value the format defines (tag 2102); it is a string in JSON.
	MarkProcessingMode string          `json:"mark_processing_mode,omitempty"`
	SectoralItemProps  []SectoralProps `json:"sectoral_item_props,omitempty"`
	MarkCode           *MarkCode       `json:"mark_code,omitempty"`
	AgentInfo          *AgentInfo      `json:"agent_info,omitempty"`
	SupplierInfo       *SupplierInfo   `json:"supplier_info,omitempty"`
	// Wholesale marks volume-sort accounting of marked goods (ОСУ). From
	// protocol versions after 3.5.
	Wholesale *bool `json:"wholesale,omitempty"`
	// PlannedStatus is the planned status of a marked good (tag 2003), 1–6;
	// [PlannedStatus] names the values. From protocol versions after 3.5.
	PlannedStatus *int `json:"planned_status,omitempty"`
}

// ItemVat is the VAT of one item: the rate and, optionally, the amount.
type ItemVat struct {
	Type VatType `json:"type"`
	Sum  *Money  `json:"sum,omitempty"`
}

// Vat is one receipt-level VAT sum.
type Vat struct {
	Type VatType `json:"type"`
	Sum  Money   `json:"sum"`
}

// Payment is one payment of the receipt.
type Payment struct {
	Type PaymentType `json:"type"`
	Sum  Money       `json:"sum"`
}

// MarkQuantity is the fraction of a marked pack sold (tag 1291).
type MarkQuantity struct {
	Numerator   int `json:"numerator"`
	Denominator int `json:"denominator"`
}

// MarkCode is a product code (tag 1163). Exactly one field is set.
type MarkCode struct {
	Unknown string `json:"unknown,omitempty"`
	EAN8    string `json:"ean8,omitempty"`
	EAN13   string `json:"ean13,omitempty"`
	ITF14   string `json:"itf14,omitempty"`
	GS10    string `json:"gs10,omitempty"`
	// GS1M is the full GS1 DataMatrix code of a marked good, Base64-encoded.
	GS1M    string `json:"gs1m,omitempty"`
	Short   string `json:"short,omitempty"`
	Fur     string `json:"fur,omitempty"`
	EGAIS20 string `json:"egais20,omitempty"`
	EGAIS30 string `json:"egais30,omitempty"`
}

// MarkCodeKind names one kind of [MarkCode], as its JSON key (MarkKindGS1M
// is "gs1m").
type MarkCodeKind string

// Kinds lists the kinds that are set in c, in the protocol's order, with
// their values. A valid code has exactly one.
func (c *MarkCode) Kinds() []MarkCodeKind {
	if c == nil {
		return nil
	}
	var ks []MarkCodeKind
	for _, f := range c.fields() {
		if f.v != "" {
			ks = append(ks, f.k)
		}
	}
	return ks
}

// Value returns the code of kind k, or "".
func (c *MarkCode) Value(k MarkCodeKind) string {
	if c == nil {
		return ""
	}
	for _, f := range c.fields() {
		if f.k == k {
			return f.v
		}
	}
	return ""
}

type markField struct {
	k MarkCodeKind
	v string
}

func (c *MarkCode) fields() [10]markField {
	return [10]markField{
		{MarkKindUnknown, c.Unknown}, {MarkKindEAN8, c.EAN8}, {MarkKindEAN13, c.EAN13},
		{MarkKindITF14, c.ITF14}, {MarkKindGS10, c.GS10}, {MarkKindGS1M, c.GS1M},
		{MarkKindShort, c.Short}, {MarkKindFur, c.Fur}, {MarkKindEGAIS20, c.EGAIS20},
		{MarkKindEGAIS30, c.EGAIS30},
	}
}

// SectoralProps is one sectoral requisite (tags 1260/1261).
type SectoralProps struct {
	FederalID string `json:"federal_id"`
	Date      Date   `json:"date"`
	Number    string `json:"number"`
	Value     string `json:"value"`
}

// AgentInfo is the agent sign of an item and its operators.
type AgentInfo struct {
	Type                    AgentType                `json:"type"`
	PayingAgent             *PayingAgent             `json:"paying_agent,omitempty"`
	ReceivePaymentsOperator *ReceivePaymentsOperator `json:"receive_payments_operator,omitempty"`
	MoneyTransferOperator   *MoneyTransferOperator   `json:"money_transfer_operator,omitempty"`
}

// PayingAgent is the paying agent's operation and phones (tags 1044, 1073).
type PayingAgent struct {
	Operation string   `json:"operation,omitempty"`
	Phones    []string `json:"phones"`
}

// ReceivePaymentsOperator holds the payment receiving operator's phones (1074).
type ReceivePaymentsOperator struct {
	Phones []string `json:"phones"`
}

// MoneyTransferOperator is the money transfer operator (tags 1005, 1016,
// 1026, 1075).
type MoneyTransferOperator struct {
	Phones  []string `json:"phones,omitempty"`
	Name    string   `json:"name,omitempty"`
	Address string   `json:"address,omitempty"`
	INN     string   `json:"inn,omitempty"`
}

// SupplierInfo is the supplier of an agent's item (tag 1224).
type SupplierInfo struct {
	Phones []string `json:"phones,omitempty"`
	Name   string   `json:"name,omitempty"`
	INN    string   `json:"inn"`
}

// AdditionalUserProps is the additional user requisite (tag 1084).
type AdditionalUserProps struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// OperatingCheckProps is the operating requisite of the receipt (tag 1270).
type OperatingCheckProps struct {
	Name      string    `json:"name"`
	Value     string    `json:"value"`
	Timestamp Timestamp `json:"timestamp"`
}

// CashlessPayment details one non-cash payment (tag 1235).
type CashlessPayment struct {
	Sum            Money  `json:"sum"`
	Method         int    `json:"method"`
	ID             string `json:"id"`
	AdditionalInfo string `json:"additional_info,omitempty"`
}
