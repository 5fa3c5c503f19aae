/**
 * Issue 15: an entry as an English conversation reads it. Papers are named in English with their
 * Vietnamese name in square brackets; facts come from the entry's own `en:` fields; a text `en:`
 * lacks stays Vietnamese and marks the answers that show it (so they carry the note), and nothing
 * else.
 */
import { describe, expect, it } from 'vitest';
import { entryIn } from '../../src/catalog/entry-language.js';
import type { CatalogEntry } from '../../src/catalog/types.js';
import { realAssistant } from '../helpers/assistant.js';

const khaiSinh = () => structuredClone(realAssistant().catalog.byId.get('khai-sinh') as CatalogEntry);

describe('an entry in English', () => {
  it('names papers in English with the Vietnamese in brackets, and takes every text from en:', () => {
    const entry = khaiSinh();
    const { entry: view, untranslated, title } = entryIn(entry, 'en');
    expect(untranslated.size).toBe(0);
    expect(title).toBe('Birth registration (Đăng ký khai sinh)');
    expect(view.documents[0]?.name).toBe('Birth registration form [Tờ khai đăng ký khai sinh]');
    expect(view.documents[1]?.id).toBe('giay-chung-sinh');
    expect(view.fee.summary).toBe(entry.en?.fee_summary);
    expect(view.fee.items).toEqual(entry.fee.items);
    expect(view.online.url).toBe(entry.online.url);
    expect(view.legal_basis).toEqual(entry.legal_basis);
    expect(view.conditions?.find((c) => c.id === 'mang-thai-ho')?.ask).toBe('Was the baby born through surrogacy?');
  });

  it('keeps the Vietnamese of a missing text and marks only the answers that show it', () => {
    const entry = khaiSinh();
    delete entry.en!.documents![1]!.explain;
    const one = entryIn(entry, 'en');
    expect([...one.untranslated]).toEqual(['checklist']);
    expect(one.entry.documents[1]?.explain).toBe(entry.documents[1]?.explain);
    delete entry.en!.fee_summary;
    delete entry.en!.online!.steps;
    const more = entryIn(entry, 'en');
    expect([...more.untranslated].sort()).toEqual(['card', 'checklist', 'online']);
    expect(more.entry.fee.summary).toBe(entry.fee.summary);
    expect(more.entry.online.steps).toEqual(entry.online.steps);
  });

  it('is the entry itself in Vietnamese', () => {
    const entry = khaiSinh();
    expect(entryIn(entry, 'vi').entry).toBe(entry);
  });
});
