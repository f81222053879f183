package model

// The enumerations of goods marking (маркировка): the kinds of product code,
// the planned status of a marked good and the marking system's check result.

// The ten kinds of [MarkCode], named as its JSON keys.
const (
	MarkKindUnknown MarkCodeKind = "unknown"
	MarkKindEAN8    MarkCodeKind = "ean8"
	MarkKindEAN13   MarkCodeKind = "ean13"
	MarkKindITF14   MarkCodeKind = "itf14"
	MarkKindGS10    MarkCodeKind = "gs10"
	MarkKindGS1M    MarkCodeKind = "gs1m"
	MarkKindShort   MarkCodeKind = "short"
	MarkKindFur     MarkCodeKind = "fur"
	MarkKindEGAIS20 MarkCodeKind = "egais20"
	MarkKindEGAIS30 MarkCodeKind = "egais30"
)

type markKindInfo struct {
	tag int
	ru  string
}

var markKinds = map[MarkCodeKind]markKindInfo{
	MarkKindUnknown: {1300, "код товара, формат которого не распознан"},
	MarkKindEAN8:    {1301, "код EAN-8"},
	MarkKindEAN13:   {1302, "код EAN-13"},
	MarkKindITF14:   {1303, "код ITF-14"},
	MarkKindGS10: {1304, "код GS1 товара, не подлежащего " +
		"обязательной маркировке"},
	MarkKindGS1M:  {1305, "код GS1 маркированного товара (в Base64)"},
	MarkKindShort: {1306, "код в коротком формате"},
	MarkKindFur: {1307, "контрольно-идентификационный знак " +
		"меховых изделий"},
	MarkKindEGAIS20: {1308, "код ЕГАИС-2.0"},
	MarkKindEGAIS30: {1309, "код ЕГАИС-3.0"},
}

// Valid reports whether k is one of the ten kinds.
func (k MarkCodeKind) Valid() bool { _, ok := markKinds[k]; return ok }

// Russian returns what the kind of code is.
func (k MarkCodeKind) Russian() string { return markKinds[k].ru }

// Tag returns the fiscal tag of the kind (1300 for unknown to 1309 for
// egais30), or 0 for a kind the format does not know.
func (k MarkCodeKind) Tag() int { return markKinds[k].tag }

// PlannedStatus is the planned status of a marked good (tag 2003), the
// value of [Item].PlannedStatus.
type PlannedStatus int

// Planned statuses.
const (
	PlannedPieceSold       PlannedStatus = 1
	PlannedMeasuredSelling PlannedStatus = 2
	PlannedPieceReturned   PlannedStatus = 3
	PlannedPartReturned    PlannedStatus = 4
	PlannedPieceSelling    PlannedStatus = 5
	PlannedMeasuredSold    PlannedStatus = 6
)

var plannedStatusRU = map[PlannedStatus]string{
	PlannedPieceSold:       "штучный товар реализован",
	PlannedMeasuredSelling: "мерный товар в стадии реализации",
	PlannedPieceReturned:   "штучный товар возвращён",
	PlannedPartReturned:    "часть товара возвращена",
	PlannedPieceSelling:    "штучный товар в стадии реализации",
	PlannedMeasuredSold:    "мерный товар реализован",
}

// Valid reports whether s is 1–6.
func (s PlannedStatus) Valid() bool { _, ok := plannedStatusRU[s]; return ok }

// Russian returns the meaning of the status.
func (s PlannedStatus) Russian() string { return plannedStatusRU[s] }

// MarkCheckResult is the marking system's answer for one code (tag 2106),
// the value of [MarkResult].Result. Its bits say whether the code was
// checked by the fiscal drive, with what result, and whether the marking
// system confirmed the good's status; 16 marks a register working offline.
type MarkCheckResult int

var markCheckRU = map[MarkCheckResult]string{
	0: "код не проверен, статус товара не получен",
	1: "проверка кода в ФН отрицательная, статус товара " +
		"не получен",
	3: "проверка кода в ФН положительная, статус товара " +
		"не получен",
	5:  "проверка кода отрицательная, статус товара некорректен",
	7:  "проверка кода положительная, статус товара некорректен",
	15: "проверка кода положительная, статус товара корректен",
	16: "код не проверен, касса работает автономно",
	17: "проверка кода в ФН отрицательная, касса работает " +
		"автономно",
	19: "проверка кода в ФН положительная, касса работает " +
		"автономно",
}

// Valid reports whether r is one of the results the format defines: 0, 1,
// 3, 5, 7, 15, 16, 17 or 19.
func (r MarkCheckResult) Valid() bool { _, ok := markCheckRU[r]; return ok }

// Russian returns the meaning of the result.
func (r MarkCheckResult) Russian() string { return markCheckRU[r] }
