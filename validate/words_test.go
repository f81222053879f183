package validate

import "testing"

func TestLocalize(t *testing.T) {
	for _, tc := range []struct{ in, ru string }{
		{"absent", "отсутствует"},
		{"10 or 12 digits", "10 или 12 цифр"},
		{"exactly 13 characters", "ровно 13 символов"},
		{"sell, sell_refund or their corrections", "sell, sell_refund или их коррекции"},
		{"279.00", "279.00"},
		{"≤ 128 characters", "≤ 128 символов"},
		{"200 characters", "200 символов"},
		{"empty email and phone", "пустые email и телефон"},
		// The caller's own text is never translated.
		{"Apple or Orange", "Apple or Orange"},
		{"", ""},
	} {
		if got := localize(tc.in, Russian); got != tc.ru {
			t.Errorf("localize(%q, ru) = %q, want %q", tc.in, got, tc.ru)
		}
		if got := localize(tc.in, English); got != tc.in {
			t.Errorf("localize(%q, en) = %q, want it unchanged", tc.in, got)
		}
	}
}
