// The GS1 mod-10 check digit (GS1 General Specifications 7.9.1), shared by GTIN, GLN, SSCC, GRAI,
// GDTI, GCN, GSRN, GSIN and ITIP. It reads UTF-16 code units straight from memory so the same loop
// serves input strings and the scratch buffer the canonical form is built in, without copies.

/**
 * Check digit (0-9) for `count` ASCII digits starting at `ptr` (UTF-16 code units).
 * Unmanaged read: the caller guarantees the range lies inside a live string or buffer and holds digits.
 */
export function gs1CheckDigit(ptr: usize, count: i32): i32 {
  let sum = 0;
  let weight = 3;
  for (let i = count - 1; i >= 0; i--) {
    sum += (<i32>load<u16>(ptr + ((<usize>i) << 1)) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of the all-digit range `s[start..end)` is the check digit of the others. */
export function checkDigitMatches(s: string, start: i32, end: i32): bool {
  if (start < 0 || end > s.length || end - start < 2) return false;
  const expected = gs1CheckDigit(changetype<usize>(s) + ((<usize>start) << 1), end - start - 1);
  return s.charCodeAt(end - 1) - 48 == expected;
}
