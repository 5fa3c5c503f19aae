/**
 * @module Removes a bot token from text that may reach a log or an error message. Both Telegram
 * and Zalo put the token in the request path, and HTTP libraries and proxies echo that path,
 * sometimes URL-encoded (`%3A` for `:`).
 */

export function redactToken(text: string, token: string): string {
  if (!token) return text;
  const forms = new Set([token, encodeURIComponent(token), encodeURI(token)]);
  // The secret half alone (after "<bot id>:") is as sensitive as the whole token.
  const secret = token.slice(token.indexOf(':') + 1);
  if (secret.length >= 8) forms.add(secret).add(encodeURIComponent(secret));
  let out = text;
  for (const form of [...forms].sort((x, y) => y.length - x.length)) out = out.split(form).join('<redacted>');
  return out;
}
