"""Identity codes: resident IDs, organisation credit codes, mobile numbers, and masking."""
