/**
 * @module Redaction, in one place: masks personal numbers in text that is kept or shown beyond
 * the turn (12-digit CCCD numbers, 9-digit CMND numbers, Vietnamese phone numbers) — logs, staff
 * views and stored web transcripts all use it — and cuts known secrets (bot tokens, app secrets,
 * OAuth tokens) out of text that may reach a log or an error message.
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

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * Replaces every known secret in `text` with `<redacted>`. Telegram and Zalo put the bot token in
 * the request path, and HTTP libraries and proxies echo that path, sometimes URL-encoded (`%3A`
 * for `:`), so each secret's encoded forms go too; so does a token's secret half (after
 * "<bot id>:"), which is as sensitive as the whole.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    const half = secret.slice(secret.indexOf(':') + 1);
    for (const part of [secret, half]) {
      if (part.length < MIN_SECRET_LENGTH) continue;
      forms.add(part).add(encodeURIComponent(part)).add(encodeURI(part));
    }
  }
  let out = text;
  for (const form of [...forms].sort((x, y) => y.length - x.length)) out = out.split(form).join('<redacted>');
  return out;
}

// Telegram bot tokens (`123456:ABC...`) and anything that looks like `?token=`/`access_token=`.
const TOKEN = /(?<!\d)\d{6,}:[A-Za-z0-9_-]{30,}|((?:access_)?token=)[^&\s"]+/g;

/** For text whose secrets are not known (any log line): token-shaped strings and personal numbers masked. */
export function maskSecrets(text: string): string {
  return maskPersonalNumbers(text.replace(TOKEN, (_m, param: string | undefined) => (param ? `${param}***` : '***')));
}
