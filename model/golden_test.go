package model_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evoreceipt/evoreceipt/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden reads each request in testdata strictly and writes it back.
// The output must mean what the input meant (numbers compared as decimals,
// ISO times as the times they name) and match the golden file byte for byte.
//
// The inputs:
//   - seed-receipt.json and seed-correction.json: the request example of
//     Evotor's API page, whose one body holds both roots (invalid), split in
//     two, with its "text" placeholders replaced by valid values. Where the
//     example's own values break the format (measure 1, a mark code of nine
//     kinds, mark_quantity 1/1) they are replaced too. Its ISO timestamps
//     are kept, as that page shows them.
//   - evotor-v5-sell.json: the example of the v5 reference, §6, as printed;
//     evotor-v5-sell-correction.json is the correction variant it describes.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) < 4 {
		t.Fatalf("found %d inputs in testdata, want at least 4", len(inputs))
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			req, err := model.DecodeRequest(data, model.DecodeOptions{})
			if err != nil {
				t.Fatalf("strict decode: %v", err)
			}
			if (req.Receipt == nil) == (req.Correction == nil) {
				t.Fatalf("want exactly one of receipt and correction")
			}
			got, err := model.MarshalIndent(req, "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')

			diffs, err := jsonDiff(data, got)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diffs {
				t.Errorf("round trip changed %s", d)
			}

			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./model -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update if intended):\n%s", golden, got)
			}

			// The output is a fixed point: read again, it writes itself.
			again, err := model.DecodeRequest(got, model.DecodeOptions{})
			if err != nil {
				t.Fatalf("strict decode of the output: %v", err)
			}
			third, err := model.MarshalIndent(again, "  ")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(append(third, '\n'), got) {
				t.Errorf("second round trip differs:\n%s", third)
			}

			// Wrapped as a document, the request reads the same.
			wrapped := append([]byte(`{"operation":"sell","request":`), data...)
			wrapped = append(wrapped, '}')
			doc, err := model.DecodeDocument(wrapped, model.DecodeOptions{})
			if err != nil {
				t.Fatalf("wrapped: %v", err)
			}
			fromDoc, err := model.MarshalIndent(doc.Request, "  ")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(append(fromDoc, '\n'), got) {
				t.Errorf("wrapped request differs:\n%s", fromDoc)
			}
		})
	}
}

// TestGoldenSeedTimes pins what the seed's ISO times become.
func TestGoldenSeedTimes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "seed-correction.json"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := model.DecodeRequest(data, model.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, want := req.Timestamp.String(), "31.05.2025 15:56:26"
	if got != want || !req.Timestamp.ISO() {
		t.Errorf("timestamp = %s (ISO %v), want %s read from ISO", got, req.Timestamp.ISO(), want)
	}
	bd := req.Correction.CorrectionInfo.BaseDate
	if got, want := bd.String(), "31.05.2025"; got != want || !bd.ISO() {
		t.Errorf("base_date = %s (ISO %v), want %s read from ISO", got, bd.ISO(), want)
	}
}
