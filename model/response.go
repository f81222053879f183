package model

// TokenRequest is the body of POST getToken.
type TokenRequest struct {
	Login  string `json:"login"`
	Pass   string `json:"pass"`
	Source string `json:"source,omitempty"`
}

// String hides the password, so that a request printed by mistake does not
// leak it.
func (t TokenRequest) String() string {
	return "TokenRequest{Login: " + t.Login + ", Pass: [hidden], Source: " + t.Source + "}"
}

// TokenResponse is the answer of getToken. Token is empty when Error is set.
//
// The error and payload of the service's answers are null on success; their
// fields carry the tag model:"nullable" so that [Decode] reads them strictly
// too. Timestamps of answers stay strings: they are the service's to format,
// and [ParseTimestamp] reads them when needed.
type TokenResponse struct {
	Error     *ServiceError `json:"error" model:"nullable"`
	Token     string        `json:"token,omitempty"`
	Timestamp string        `json:"timestamp,omitempty"`
}

// GoString hides the password from %#v too.
func (t TokenRequest) GoString() string { return "model." + t.String() }

// String hides the token.
func (t TokenResponse) String() string {
	s := "TokenResponse{Token: "
	if t.Token != "" {
		s += "[hidden]"
	}
	s += ", Timestamp: " + t.Timestamp
	if t.Error != nil {
		s += ", Error: " + t.Error.String()
	}
	return s + "}"
}

// GoString hides the token from %#v too.
func (t TokenResponse) GoString() string { return "model." + t.String() }

// ServiceError is the error object of every service answer.
type ServiceError struct {
	ErrorID string    `json:"error_id,omitempty"`
	Code    int       `json:"code"`
	Text    string    `json:"text,omitempty"`
	Type    ErrorType `json:"type,omitempty"`
}

// String returns the code, type and text of the error, for logs.
func (e *ServiceError) String() string {
	if e == nil {
		return "<nil>"
	}
	return "code " + itoa(e.Code) + " (" + string(e.Type) + "): " + e.Text
}

// RegisterResponse is the answer to POST /{group_code}/{operation}.
type RegisterResponse struct {
	UUID      string        `json:"uuid,omitempty"`
	Status    ReportStatus  `json:"status,omitempty"`
	Error     *ServiceError `json:"error" model:"nullable"`
	Timestamp string        `json:"timestamp,omitempty"`
}

// Report is the result of processing a document, from GET report/{uuid} or
// from the callback.
type Report struct {
	UUID        string            `json:"uuid,omitempty"`
	Timestamp   string            `json:"timestamp,omitempty"`
	Status      ReportStatus      `json:"status,omitempty"`
	Error       *ServiceError     `json:"error" model:"nullable"`
	GroupCode   string            `json:"group_code,omitempty"`
	DaemonCode  string            `json:"daemon_code,omitempty"`
	DeviceCode  string            `json:"device_code,omitempty"`
	ExternalID  string            `json:"external_id,omitempty"`
	CallbackURL string            `json:"callback_url,omitempty"`
	Warnings    map[string]string `json:"warnings,omitempty"`
	Payload     *ReportPayload    `json:"payload" model:"nullable"`
}

// ReportPayload holds the fiscal attributes of a registered document.
type ReportPayload struct {
	FiscalReceiptNumber     int64        `json:"fiscal_receipt_number"`
	ShiftNumber             int64        `json:"shift_number"`
	ReceiptDatetime         string       `json:"receipt_datetime"`
	Total                   Money        `json:"total"`
	FNNumber                string       `json:"fn_number"`
	ECRRegistrationNumber   string       `json:"ecr_registration_number"`
	FiscalDocumentNumber    int64        `json:"fiscal_document_number"`
	FiscalDocumentAttribute int64        `json:"fiscal_document_attribute"`
	FNSSite                 string       `json:"fns_site"`
	OFDINN                  string       `json:"ofd_inn,omitempty"`
	OFDReceiptURL           string       `json:"ofd_receipt_url,omitempty"`
	MarksResult             []MarkResult `json:"marks_result,omitempty"`
}

// MarkResult is the marking system's answer for one marking code (tag 2106).
type MarkResult struct {
	// Position is the index of the item in the receipt, from 0.
	Position int `json:"position"`
	// MarkCode is the code as it was sent.
	MarkCode string `json:"mark_code"`
	// Result is the check's outcome; [MarkCheckResult] names the values.
	Result int `json:"result"`
}
