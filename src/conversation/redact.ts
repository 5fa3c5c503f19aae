/**
 * @module Masks personal numbers in text that is kept or shown beyond the turn: 12-digit CCCD
 * numbers, 9-digit CMND numbers and Vietnamese phone numbers. The one redaction helper: logs,
 * staff views and stored web transcripts all use it.
 *
 * Two styles, the same patterns. `maskPersonalNumbers` (logs, what staff see before they ask):
 * `*********789` and `09******78`. `maskPersonalNumbersForCitizen` (what citizens see again of
 * their own numbers, e.g. the web chat transcript after a reload): `079 ****** 789` and
 * `0912 *** 678`, enough to recognise the number, not enough to recover it.
 */
const CCCD = /(?<!\d)\d{12}(?!\d)/g;
const PHONE = /(?<![\d+])(?:\+?84|0)(?:[\s.-]?\d){9}(?![\d])/g;
const CMND = /(?<!\d)\d{9}(?!\d)/g;

/** `keep`: numbers (digits only, e.g. the ward's hotlines) left as written. */
export function maskPersonalNumbersForCitizen(text: string, keep: ReadonlySet<string> = new Set()): string {
  const kept = (m: string, masked: string) => (keep.has(m.replace(/\D/g, '')) ? m : masked);
  return text
    .replace(CCCD, (m) => kept(m, `${m.slice(0, 3)} ****** ${m.slice(-3)}`))
    .replace(PHONE, (m) => {
      // +84 912 345 678 and 0912.345.678 are both shown in the national form.
      const national = `0${m.replace(/\D/g, '').slice(-9)}`;
      return keep.has(national) || keep.has(m.replace(/\D/g, '')) ? m : `${national.slice(0, 4)} *** ${national.slice(-3)}`;
    })
    .replace(CMND, (m) => kept(m, '*********'));
}

export function maskPersonalNumbers(text: string): string {
  return text
    .replace(CCCD, (m) => `${'*'.repeat(9)}${m.slice(-3)}`)
    .replace(PHONE, (m) => `${m.slice(0, 2)}******${m.replace(/\D/g, '').slice(-2)}`)
    .replace(CMND, '*********');
}
