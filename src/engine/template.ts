/**
 * @module Templates: `{{name}}` and `{{a.b.c}}` take a value from the session's variables or the
 * host's globals (`unit`), escaped so a citizen's words can never become markup; `{{{name}}}`
 * inserts trusted, pre-formatted text from content as is. No code runs: only lookups.
 */
import type { Json } from './session.js';

const TAG = /\{\{\{\s*([\w.]+)\s*\}\}\}|\{\{\s*([\w.]+)\s*\}\}/g;

/** Escapes the tiny markup (see messages.ts): a value's asterisks stay asterisks. */
export function escapeMarkup(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\*/g, '\\*');
}

export function lookup(scope: Record<string, unknown>, path: string): unknown {
  let value: unknown = scope;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'object') return '';
  return String(value);
}

export function render(template: string, scope: Record<string, unknown>): string {
  return template.replace(TAG, (_m, raw: string | undefined, escaped: string | undefined) =>
    raw !== undefined ? show(lookup(scope, raw)) : escapeMarkup(show(lookup(scope, escaped as string))),
  );
}

/** The variable paths a template reads, for the flow checker. */
export function templatePaths(template: string): string[] {
  return [...template.matchAll(TAG)].map((m) => (m[1] ?? m[2]) as string);
}

/** Renders every string inside a JSON value (service arguments). */
export function renderDeep(value: Json, scope: Record<string, unknown>): Json {
  if (typeof value === 'string') {
    // A template that is exactly one tag keeps the value's type (a number stays a number).
    const single = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(value);
    if (single) return (lookup(scope, single[1] as string) as Json | undefined) ?? null;
    return render(value, scope);
  }
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, scope));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, scope)]));
  }
  return value;
}
