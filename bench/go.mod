module github.com/evoreceipt/evoreceipt/bench

go 1.26.0

require (
	github.com/evoreceipt/evoreceipt v0.0.0
	github.com/itchyny/gojq v0.12.20
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/shopspring/decimal v1.4.0
)

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/itchyny/timefmt-go v0.1.9 // indirect
	golang.org/x/text v0.43.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace github.com/evoreceipt/evoreceipt => ../
