/**
 * @module Recognises what the phrasebook (`content/phrasebook.yaml`) describes in a citizen's
 * message: small talk ("cảm ơn bạn nhé", "alo", "bạn là ai"), a vague topic word ("đất", "xe"),
 * asking to file in person. A message counts only when it is made of such phrases and filler
 * words alone, so "chào em, cho hỏi làm căn cước" is a question, not a greeting. Accents are
 * optional, words may be typed together ("camon") and one typo is forgiven in longer phrases.
 */
import type { Catalog } from './load-catalog.js';
import type { Phrasebook } from './load-phrasebook.js';
import { foldSyllable, segmentSyllables } from './normalise-vietnamese.js';
import type { CatalogEntry } from './types.js';

/** Messages longer than this many words are never small talk or a bare topic. */
const MAX_WORDS = 10;
/** A phrase this long (letters, spaces removed) may be matched with one typo. */
const FUZZY_FROM = 5;
const FILLER = '';

export interface TopicMatch {
  id: string;
  label: string;
  /** The topic's entries that exist in the catalog, in the phrasebook's order. */
  entries: CatalogEntry[];
}

export interface PhrasebookMatcher {
  /** The small-talk kind the whole message is (thanks, greeting, who…), if it is small talk. */
  smallTalk(text: string): string | undefined;
  /** The topic the whole message names (besides filler), if exactly one. */
  topic(text: string): TopicMatch | undefined;
  /** Whether the message only asks to file in person. */
  inPerson(text: string): boolean;
}

interface Phrase {
  /** Letters of the folded phrase without spaces ("cam on" → "camon"). */
  joined: string;
  /** The kind, topic id, or FILLER. */
  tag: string;
}

/** A list of phrases, indexed once: the tags of each exact spelling, and the phrases a typo may reach by length. */
interface PhraseSet {
  exact: Map<string, string[]>;
  /** Phrases of at least FUZZY_FROM letters by length, each with its place in the list (tags keep the list's order). */
  fuzzy: Map<number, Array<{ joined: string; tag: string; at: number }>>;
}

function indexPhrases(phrases: Phrase[]): PhraseSet {
  const exact = new Map<string, string[]>();
  const fuzzy: PhraseSet['fuzzy'] = new Map();
  phrases.forEach((p, at) => {
    const tags = exact.get(p.joined);
    if (tags) tags.push(p.tag);
    else exact.set(p.joined, [p.tag]);
    if (p.joined.length < FUZZY_FROM) return;
    const same = fuzzy.get(p.joined.length);
    if (same) same.push({ ...p, at });
    else fuzzy.set(p.joined.length, [{ ...p, at }]);
  });
  return { exact, fuzzy };
}

export function createPhrasebookMatcher(phrasebook: Phrasebook, catalog: Pick<Catalog, 'byId' | 'synonyms'>): PhrasebookMatcher {
  const phrasesOf = (words: string[], tag: string): Phrase[] => words.map((w) => ({ joined: words_(w).join(''), tag })).filter((p) => p.joined.length > 0);
  const filler = phrasesOf(phrasebook.filler, FILLER);
  const stopwords = phrasesOf(catalog.synonyms.stopwords, FILLER);
  const kinds = Object.keys(phrasebook.small_talk);
  const smallTalk = indexPhrases([...Object.entries(phrasebook.small_talk).flatMap(([kind, words]) => phrasesOf(words, kind)), ...filler]);
  const topicPhrases = indexPhrases([...Object.entries(phrasebook.topics).flatMap(([id, t]) => phrasesOf(t.words, id)), ...filler, ...stopwords]);
  const inPersonPhrases = indexPhrases([...phrasesOf(phrasebook.in_person, 'in_person'), ...filler, ...stopwords]);
  // The finder asks all three of the same message in a row: its words are folded once.
  let last: { text: string; words: string[] } | undefined;
  const wordsOf = (text: string): string[] => {
    if (last?.text !== text) last = { text, words: words_(text) };
    return last.words;
  };

  return {
    smallTalk(text) {
      // An emoji or punctuation alone ("👍", "🙏", "???") says something, but no word of it.
      if (text.trim() && !/[\p{L}\p{N}]/u.test(text)) {
        const bare = text.replace(/\uFE0F/g, '');
        const kind = kinds.find((k) => (phrasebook.symbols[k] ?? []).some((s) => bare.includes(s.replace(/\uFE0F/g, ''))));
        return kind ?? (kinds.includes('ack') ? 'ack' : undefined);
      }
      const tags = cover(wordsOf(text), smallTalk);
      return tags && kinds.find((kind) => tags.has(kind));
    },
    topic(text) {
      const tags = cover(wordsOf(text), topicPhrases);
      if (!tags || tags.size !== 1) return undefined;
      const [id] = [...tags] as [string];
      const topic = phrasebook.topics[id];
      if (!topic) return undefined;
      const entries = topic.entries.map((e) => catalog.byId.get(e)).filter((e): e is CatalogEntry => e !== undefined);
      return entries.length >= 2 ? { id, label: topic.label, entries } : undefined;
    },
    inPerson(text) {
      return cover(wordsOf(text), inPersonPhrases)?.has('in_person') === true;
    },
  };
}

/** Folded syllables, with letters a citizen typed over and over cut down ("okkk", "alooo"). */
function words_(text: string): string[] {
  return segmentSyllables(text)
    .flat()
    .map((s) => foldSyllable(s).replace(/(\p{L})\1{2,}/gu, '$1').replace(/(\p{L})\1+$/u, '$1'))
    .filter((s) => s.length > 0);
}

/**
 * Covers every word of the message with phrases (a phrase may span several typed words or be
 * typed as one); returns the tags used besides filler, or undefined when some word is left over
 * or nothing but filler was found.
 */
function cover(words: string[], phrases: PhraseSet): Set<string> | undefined {
  if (words.length === 0 || words.length > MAX_WORDS) return undefined;
  const { exact } = phrases;
  // reach[i]: the tag sets with which the first i words can be covered (the first found is kept).
  const reach: (Set<string> | undefined)[] = [new Set()];
  for (let i = 0; i < words.length; i++) {
    const before = reach[i];
    if (!before) continue;
    let joined = '';
    for (let k = i + 1; k <= words.length; k++) {
      joined += words[k - 1];
      const tags = exact.get(joined) ?? (joined.length >= FUZZY_FROM ? nearly(joined, phrases) : []);
      if (tags.length === 0) continue;
      const tag = tags.find((t) => t !== FILLER) ?? FILLER;
      const next = new Set(before);
      if (tag !== FILLER) next.add(tag);
      const known = reach[k];
      // Prefer a cover that names something, then one naming fewer things ("giấy tờ nhà" over
      // "giấy tờ" + "nhà").
      if (!known || (next.size > 0 && (known.size === 0 || next.size < known.size))) reach[k] = next;
    }
  }
  const tags = reach[words.length];
  return tags && tags.size > 0 ? tags : undefined;
}

/** The tags of the phrases one typo away from `joined`, in the list's order. */
function nearly(joined: string, phrases: PhraseSet): string[] {
  const found: Array<{ tag: string; at: number }> = [];
  for (let length = joined.length - 1; length <= joined.length + 1; length++) {
    for (const p of phrases.fuzzy.get(length) ?? []) if (withinOneEdit(joined, p.joined)) found.push(p);
  }
  return found.sort((a, b) => a.at - b.at).map((p) => p.tag);
}

/** True when a and b differ by at most one inserted, deleted or replaced letter. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
