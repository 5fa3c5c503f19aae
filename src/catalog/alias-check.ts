/**
 * @module Guards that the words citizens use reach the right procedure: every alias of every entry
 * must make the finder put that entry first, and each phrase of `content/distinct-procedures.yaml`
 * must find the entry it names (`finds`) or not the look-alike it was once sent to (`not`).
 */
import { z } from 'zod';
import type { CatalogEntry, Finder } from './types.js';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'expected an entry id' });

export const distinctProceduresSchema = z.strictObject({
  distinct: z.array(
    z
      .strictObject({ phrase: z.string().trim().min(1), finds: slug.optional(), not: slug.optional(), why: z.string().trim().min(1) })
      .refine((d) => (d.finds === undefined) !== (d.not === undefined), { message: 'give exactly one of `finds` or `not`' }),
  ),
});

export type DistinctProcedures = z.infer<typeof distinctProceduresSchema>;

export interface AliasWarning {
  /** The entry whose alias is wrong, or undefined for a phrase of the distinct table. */
  entry?: string;
  path: PropertyKey[];
  message: string;
}

/** Aliases that do not find their own entry first. */
export function aliasWarnings(entries: readonly CatalogEntry[], finder: Finder): AliasWarning[] {
  const found: AliasWarning[] = [];
  for (const entry of entries) {
    entry.aliases.forEach((alias, i) => {
      const first = finder.search(alias, 1)[0];
      if (first?.id === entry.id) return;
      const what = first ? `the finder puts ${first.id} first` : 'the finder finds nothing';
      found.push({ entry: entry.id, path: ['aliases', i], message: `alias "${alias}": ${what} (an alias must lead to its own entry: remove it, or fix the entry that takes it)` });
    });
  }
  return found;
}

/** Phrases of the distinct table that reach the wrong entry. */
export function distinctWarnings(table: DistinctProcedures, finder: Finder, ids: ReadonlySet<string>): AliasWarning[] {
  const found: AliasWarning[] = [];
  table.distinct.forEach((rule, i) => {
    const first = finder.search(rule.phrase, 1)[0]?.id;
    const id = (rule.finds ?? rule.not) as string;
    if (!ids.has(id)) {
      found.push({ path: ['distinct', i], message: `"${rule.phrase}": no entry ${id} in the catalog` });
    } else if (rule.finds !== undefined && first !== rule.finds) {
      found.push({ path: ['distinct', i], message: `"${rule.phrase}" should find ${rule.finds} first, the finder puts ${first ?? 'nothing'} first (${rule.why})` });
    } else if (rule.not !== undefined && first === rule.not) {
      found.push({ path: ['distinct', i], message: `"${rule.phrase}" must not lead to ${rule.not} (${rule.why})` });
    }
  });
  return found;
}
