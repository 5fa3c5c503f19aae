/**
 * @module The procedure finder: BM25+ over name, aliases, keywords and summary (`term-index.ts`)
 * fed with Vietnamese terms from `text-analyser.ts`, then re-ranked by how much of the query an
 * entry explains, which is also what tells an out-of-scope query ("kết quả xổ số") from a real one.
 */
import type { Catalog, LabelledQuestion } from './load-catalog.js';
import { questionModelFor, type QuestionModel } from './question-model.js';
import { accentKey, foldSyllable, foldText, segmentSyllables } from './normalise-vietnamese.js';
import { englishSynonyms, englishWithVietnameseWords, looksEnglish, stemEnglishText, VIETNAMESE_LETTER, withoutLoanwordAccents } from './english-query.js';
import { createTermIndex, type TermIndex } from './term-index.js';
import { BIGRAM_JOINER, createTextAnalyser, type QueryTerm } from './text-analyser.js';
import { notWhenCases, type CatalogEntry, type FindAnswer, type Finder, type FinderResult, type NotWhen } from './types.js';

const BODY_BOOST = 0.25;
const FIELDS = ['name', 'aliases', 'keywords', 'summary', 'body'] as const;
/**
 * Field weights: citizens' words (aliases, keywords) count nearly as much as the official name;
 * the body (documents, cases, conditions) adds context a long question shares.
 */
const FIELD_BOOST = [3, 2.5, 2.5, 0.6, BODY_BOOST];
const SUMMARY = FIELDS.indexOf('summary');
const BODY = FIELDS.indexOf('body');
const ALIASES = FIELDS.indexOf('aliases');
/** How much a match in an alias counts towards coverage (name and keywords 1, summary 0.5). */
const ALIAS_MARK = 0.9;
/** Term-kind weights: a two-syllable word matched whole is worth more than its syllables apart. */
const KIND_BOOST = { word: 1, accent: 0.4, bigram: 1.6 } as const;
/** From this many counted words a query is a long message (see `inScope`). */
const LONG_MESSAGE_WORDS = 8;
/**
 * From this many counted words a message tells a story, and an outside topic it names is often
 * context ("lãnh sự quán yêu cầu…"): the best entry's word pairs can keep it in scope.
 */
const STORY_WORDS = 15;
/** What a match only in the body counts towards coverage. */
const BODY_MARK = 0.35;
/** The coverage gate for English queries (see `createFinder`). */
const ENGLISH_MIN_COVERAGE = 0.2;
/** English questions drop more filler; from this many counted words one is a long message. */
const ENGLISH_LONG_MESSAGE_WORDS = 5;
/**
 * English questions tell their story in words the catalog's short English never has ("nephew",
 * "travelling", "accident"); from this many counted words those weigh as the rarest known word.
 */
const ENGLISH_STORY_WORDS = 1;
/**
 * English counts fewer words than Vietnamese (five for eight, as for a long message): from these
 * many a question naming an outside or a beyond topic is a story (round 9: stories of six or
 * seven counted words, "A monkey grabbed my bag in Cat Ba and my Vietnamese motorbike licence was
 * inside", were rejected whatever the model said).
 */
const ENGLISH_OUTSIDE_STORY_WORDS = 5;
const ENGLISH_BEYOND_STORY_WORDS = 7;
/** A typo match scores this share of an exact one. */
const FUZZY_WEIGHT = 0.6;
/**
 * The blended score is the model's probability times this plus the lexical score relative to the
 * best one: the smaller, the more the lexical ranking counts.
 */
const LEXICAL_FLOOR = 0.5;
/** Entries the question model gives less than this probability are not candidates. */
const MODEL_FLOOR = 0.001;
/** A combined service ranks behind a single procedure scoring at least this share of it. */
const COMBINED_YIELDS = 0.7;
/** How far ahead of the second a best entry must score to be accepted on little coverage. */
const DOMINANT_RATIO = 2;

export interface FinderOptions {
  /**
   * Share of the query (weighted by how rare each word is in the catalog) the best entry must
   * explain for the query to count as in scope. Below it the finder answers nothing.
   */
  minCoverage?: number;
  /** Results scoring under this share of the best one are dropped as noise. */
  minRelativeScore?: number;
  /** From this many counted words a query is a long message (see `inScope`). */
  longMessageWords?: number;
  /** From this many counted words, words the catalog has never seen weigh as the rarest known one. */
  storyWords?: number;
  /** Word pairs skip filler words (English: "copy of a diploma" → "copy diploma"). */
  pairsSkipFiller?: boolean;
  /** A word pair in the best entry's aliases, not only its name or keywords, exempts from an outside topic. */
  aliasPairsExempt?: boolean;
  /**
   * The question model's probability for its best entry that keeps a question of several words
   * naming an outside or beyond topic in scope (default 0.5; above 1, content's topics always win).
   */
  modelOverOutside?: number;
  /**
   * From how many counted words a question naming an outside or a beyond topic is a story the
   * model may keep in scope (see `blend`; English drops more filler, so it counts fewer).
   */
  outsideStoryWords?: { outside: number; beyond: number };
  /**
   * The model's "out of scope" probability that overrules a story's lexical best when that is
   * the model's first entry too (default 0.75; 0: the model's veto at 0.5 always stands).
   */
  modelOutsideSure?: number;
}

interface Scored {
  entry: CatalogEntry;
  score: number;
  coverage: number;
  /** A two-syllable word of the query matched the entry's name, aliases or keywords. */
  phraseMatched: boolean;
  /** How many word pairs of the query the entry's name or keywords hold. */
  namePairs: number;
  /** Query terms the entry matched, for `explain`. */
  matched: string[];
  /** The question model's probability for the entry, when the model ranked it. */
  p?: number;
  /**
   * Ranked with the model: the lexical finder alone was confident of this entry, or found nothing
   * while the model gives the entry at least `MODEL_SURE`.
   */
  sure?: boolean;
}

/** What `rank` tells besides its ranking. */
interface Why {
  outside: 'beyond' | 'outside' | false;
  terms: QueryTerm[];
}

/** A finder that can also say why it ranked as it did (for `eval:finder --verbose` and tests). */
export interface ExplainingFinder extends Finder {
  explain(query: string): { id: string; score: number; coverage: number; matched: string[] }[];
}

/**
 * Builds the index once (about 0.1 ms per entry); `search` and `find` are then synchronous and
 * cheap enough to run on every message (well under a millisecond for a 5,000-entry catalog).
 */
export function createFinder(catalog: Catalog, options: FinderOptions = {}): ExplainingFinder {
  const abbreviations = new Set(Object.keys(catalog.synonyms.abbreviations).map(foldText));
  /**
   * A text as the finders read it: French loanwords' accents dropped, and whether it reads as
   * English; an English question carrying a few Vietnamese words ("move his hộ khẩu") is read
   * as English with those words plain (`english`), and as typed by the Vietnamese finder (`text`).
   */
  const reading = (typed: string) => {
    const text = withoutLoanwordAccents(typed, abbreviations);
    if (looksEnglish(text, abbreviations)) return { text, english: text };
    return { text, english: englishWithVietnameseWords(text, abbreviations) };
  };
  // The labelled questions teach each language's model its own questions; split once, when the
  // first model is trained (not at build). The few English ones mixing in Vietnamese words (8 in
  // round 11) stay with the Vietnamese model: moved, they changed the English model more than
  // they taught it (five fewer found first in heldout8–11).
  let split: { vi: LabelledQuestion[]; en: LabelledQuestion[] } | undefined;
  const labelled = (language: 'vi' | 'en') => {
    if (!split) {
      split = { vi: [], en: [] };
      for (const q of catalog.questions ?? []) {
        const text = withoutLoanwordAccents(q.text, abbreviations);
        if (looksEnglish(text, abbreviations)) split.en.push({ ...q, text: stemEnglishText(text) });
        else split.vi.push(q);
      }
    }
    return split[language];
  };
  const vietnamese = createLanguageFinder(catalog, options, () => labelled('vi'));
  // English questions carry more words the catalog's short English never has ("grandmother",
  // "factory"), and are out of scope far more often by topic than by wording: a lower gate.
  // Built on the first English query: a ward whose citizens write Vietnamese never pays for it.
  const englishOptions: FinderOptions = { minCoverage: ENGLISH_MIN_COVERAGE, longMessageWords: ENGLISH_LONG_MESSAGE_WORDS, storyWords: ENGLISH_STORY_WORDS, pairsSkipFiller: true, aliasPairsExempt: true, outsideStoryWords: { outside: ENGLISH_OUTSIDE_STORY_WORDS, beyond: ENGLISH_BEYOND_STORY_WORDS }, ...options };
  let englishEntries: Catalog | undefined;
  const english = lazyFinder(() => createLanguageFinder((englishEntries ??= englishCatalog(catalog)), englishOptions, () => labelled('en')));
  // A query that does not read as English and that the Vietnamese finder left (out of scope, or
  // not found) is looked up in the entries' English words only: the English model learnt English
  // questions, and must not take a Vietnamese one ("kinh doanh karaoke") the Vietnamese side refused.
  const englishWords = lazyFinder(() => createLanguageFinder((englishEntries ??= englishCatalog(catalog)), englishOptions));
  const nameOf = (r: FinderResult): FinderResult => ({ ...r, name: catalog.byId.get(r.id)?.name ?? r.name });
  // An English question naming a topic the catalog does not hold ("renew my passport at the
  // consulate in Paris", "open an account with just a passport") is not asked again in
  // Vietnamese when the English finder refused it: the Vietnamese entries' English keywords
  // ("passport") would take it, whatever the English side decided.
  let englishTopic: ReturnType<typeof createOutsideCheck> | undefined;
  // An English question saying when an entry does not apply ("a Scottish driving licence") was
  // decided by the English finder: the Vietnamese entries hold no such phrase.
  let englishNotWhen: ReturnType<typeof createContradictionCheck> | undefined;
  const englishContradicts = (stemmed: string) => {
    const entries = (englishEntries ??= englishCatalog(catalog)).entries;
    return (englishNotWhen ??= createContradictionCheck(entries))(stemmed, entries).size > 0;
  };
  // A `beyond:` phrase of two syllables or more ("giam can", "dang kiem"), or of one in a query
  // of three words at most ("homestay bhyt"): in an English sentence "homestay" is English.
  let vietnameseBeyond: ReturnType<typeof createOutsideCheck> | undefined;
  let vietnameseBeyondWord: ReturnType<typeof createOutsideCheck> | undefined;
  const holdsVietnameseBeyond = (plain: string) =>
    (vietnameseBeyond ??= createOutsideCheck(catalog, { beyondOnly: true, minSyllables: 2 }))(plain, []) === 'beyond' ||
    (plain.trim().split(/\s+/).length <= 3 && (vietnameseBeyondWord ??= createOutsideCheck(catalog, { beyondOnly: true }))(plain, []) === 'beyond');
  const namesOutsideTopic = (stemmed: string) => (englishTopic ??= createOutsideCheck((englishEntries ??= englishCatalog(catalog))))(stemmed, []) !== false;
  /**
   * The finder for the query's language first; the other one when it finds nothing (English is
   * tried only for a query without Vietnamese letters, or one read as English with a few
   * Vietnamese words; Vietnamese not after an English refusal for an outside topic).
   */
  function* order(typed: string): Generator<{ finder: ExplainingFinder; query: string }> {
    const { text: query, english: asEnglish } = reading(typed);
    // Typed plain, a Vietnamese topic no entry answers may read as English ("giam can bhyt": "can"
    // is an English word); the English model knows the abbreviation, not the topic.
    if (asEnglish === query && holdsVietnameseBeyond(query)) {
      yield { finder: vietnamese, query };
      return;
    }
    if (asEnglish !== undefined) {
      const stemmed = stemEnglishText(asEnglish);
      yield { finder: english, query: stemmed };
      // Checked only once the English finder found nothing, not for every English question.
      if (!namesOutsideTopic(stemmed) && !englishContradicts(stemmed)) yield { finder: vietnamese, query };
      return;
    }
    yield { finder: vietnamese, query };
    if (!VIETNAMESE_LETTER.test(query)) yield { finder: englishWords, query: stemEnglishText(query) };
  }
  const first = <T>(query: string, run: (finder: ExplainingFinder, query: string) => T[] | FindAnswer) => {
    let answer: T[] | FindAnswer = [];
    for (const { finder, query: q } of order(query)) {
      answer = run(finder, q);
      if ((Array.isArray(answer) ? answer.length : answer.results.length) > 0) return answer;
    }
    return answer;
  };
  return {
    search: (query, limit) => (first(query, (f, q) => f.search(q, limit)) as FinderResult[]).map(nameOf),
    explain: (query) => first(query, (f, q) => f.explain(q)) as ReturnType<ExplainingFinder['explain']>,
    find(query) {
      const answer = first(query, (f, q) => f.find(q)) as FindAnswer;
      return { ...answer, results: answer.results.map(nameOf) };
    },
    prepare() {
      vietnamese.prepare?.();
      english.prepare?.();
    },
  };
}

/** A finder built on its first use. */
function lazyFinder(make: () => ExplainingFinder): ExplainingFinder {
  let made: ExplainingFinder | undefined;
  const finder = () => (made ??= make());
  return {
    search: (query, limit) => finder().search(query, limit),
    explain: (query) => finder().explain(query),
    find: (query) => finder().find(query),
    prepare: () => finder().prepare?.(),
  };
}

/**
 * The catalog as the English finder reads it: each entry's `en:` name, aliases, keywords and
 * summary in place of the Vietnamese ones, stemmed, with English filler and synonyms.
 */
function englishCatalog(catalog: Catalog): Catalog {
  const entries = catalog.entries.map(
    (entry): CatalogEntry => ({
      ...entry,
      name: stemEnglishText(entry.en?.name ?? ''),
      aliases: (entry.en?.aliases ?? []).map(stemEnglishText),
      keywords: (entry.en?.keywords ?? []).map(stemEnglishText),
      // The English phrases go with the first case's entry instead.
      not_when: entry.en?.not_when?.length ? englishCase(entry.en.not_when, notWhenCases(entry)[0]?.see) : undefined,
      summary: stemEnglishText(entry.en?.summary ?? ''),
      documents: (entry.en?.documents ?? []).map((d) => ({ name: stemEnglishText(d.name ?? '') })),
      cases: (entry.en?.cases ?? []).map((c) => ({ id: c.id, name: stemEnglishText(c.name ?? '') })),
      conditions: (entry.en?.conditions ?? []).map((c) => ({ id: c.id, ask: stemEnglishText(c.ask) })),
      // Notes and online steps stay out: long, and they found nothing the rest does not.
      notes: [],
      online: { ...entry.online, steps: [] },
    }),
  );
  return { ...catalog, entries, byId: new Map(entries.map((e) => [e.id, e])), synonyms: englishSynonyms() };
}

/** An entry's English `not_when` phrases, stemmed, with the entry its first case names instead. */
function englishCase(says: readonly string[], see: string | undefined): NotWhen {
  return { says: says.map(stemEnglishText), ...(see ? { see } : {}) };
}

/** `labelled`: the labelled questions of this language (for its question model), asked for once. */
function createLanguageFinder(catalog: Catalog, options: FinderOptions, labelled: () => readonly LabelledQuestion[] = () => []): ExplainingFinder {
  const minCoverage = options.minCoverage ?? 0.4;
  const minRelativeScore = options.minRelativeScore ?? 0.15;
  const longMessageWords = options.longMessageWords ?? LONG_MESSAGE_WORDS;
  const storyWords = options.storyWords ?? longMessageWords;
  const analyser = createTextAnalyser(catalog.synonyms, { pairsSkipFiller: options.pairsSkipFiller === true });
  const entries = catalog.entries;
  const outside = createOutsideCheck(catalog);
  const modelOverOutside = options.modelOverOutside ?? MODEL_OVER_OUTSIDE;
  const outsideStory = options.outsideStoryWords ?? { outside: OUTSIDE_STORY_WORDS, beyond: BEYOND_STORY_WORDS };
  const modelOutsideSure = options.modelOutsideSure ?? MODEL_OUTSIDE_SURE;
  // The word pairs that exempt from an outside topic: the name's and keywords' (mark 1), and in
  // English the aliases' too, since English keywords are few and the aliases carry the wording.
  const exemptMark = options.aliasPairsExempt === true ? Math.fround(ALIAS_MARK) : 1;

  const FIELD_MARK = FIELDS.map((_, field) => (field === SUMMARY ? 0.5 : field === BODY ? BODY_MARK : field === ALIASES ? ALIAS_MARK : 1));
  const index = createTermIndex(
    // The summary, long and of secondary weight, is indexed by its words only.
    entries.map((entry) => FIELDS.map((field) => analyser.indexTerms(fieldText(entry, field), field === 'summary' || field === 'body' ? { pairs: false, accents: false } : {}))),
    // Only single words are looked up for typos; a pair is corrected through its words.
    { fieldCount: FIELDS.length, fieldWeight: FIELD_BOOST, fieldMark: FIELD_MARK, fuzzyLookup: (term) => /^[a-z]+$/.test(term) },
  );

  const entryCount = Math.max(1, entries.length);
  // A word the catalog has never seen is the strongest sign a query is about something else
  // ("xổ số", "taxi"), so it weighs more than the rarest known word.
  const idf = (term: string) => {
    const df = index.documentFrequency(term);
    return df === 0 ? 1.5 * Math.log(1 + 2 * entryCount) : Math.log(1 + entryCount / df);
  };
  const isKnown = (term: string) => index.documentFrequency(term) > 0;

  // Buffers reused by every query (a finder answers one query at a time: JavaScript is single-threaded).
  const n = entries.length;
  const scores = new Float64Array(n);
  let marks = new Float32Array(0);
  const finalScore = new Float64Array(n);
  const coverageOf = new Float64Array(n);
  const phraseOf = new Uint8Array(n);
  const namePairsOf = new Uint8Array(n);

  // The words of each entry's name, built when an entry is first the best one (for `outside`).
  const nameWordsCache = new Map<number, Set<string>>();
  const nameWordsOf = (doc: number) => {
    let words = nameWordsCache.get(doc);
    if (!words) nameWordsCache.set(doc, (words = new Set(analyser.indexTerms(entries[doc]!.name, { pairs: false, accents: false }))));
    return words;
  };

  /**
   * `why.outside` is set when the query was rejected for naming an outside or beyond topic;
   * `why.terms` are the query's terms (the question model reads them too).
   */
  const rank = (query: string, all = false, why?: Why): Scored[] => {
    const { terms, groups } = analyser.analyseQuery(query, isKnown);
    if (why) why.terms = terms;
    const words = terms.filter((t) => t.kind === 'word');
    if (words.length === 0) return [];
    // Bare numbers and filler never make a request ("1" is a menu choice, not a procedure).
    const counted = words.filter((t) => t.counts);
    if (counted.length === 0 && groups.length === 0) return [];

    // scores[doc]; marks[termIndex * n + doc]: 1 matched in the name or keywords, 0.9 in an
    // alias, 0.5 only in the summary, halved for a typo match.
    if (marks.length < terms.length * n) marks = new Float32Array(terms.length * n);
    const touched: number[] = [];
    const common: [term: string, weight: number, ti: number][] = [];
    terms.forEach((t, ti) => {
      const boost = KIND_BOOST[t.kind] * (t.kind === 'word' && !t.counts ? 0.5 : 1) * (t.expansion ? 0.6 : 1);
      if (index.isCommon(t.term)) common.push([t.term, boost, ti]);
      else if (index.documentFrequency(t.term) > 0) index.accumulate(t.term, boost, 1, scores, marks, ti * n, touched);
      else for (const typo of typoVariants(t, index)) index.accumulate(typo, boost * FUZZY_WEIGHT, 0.5, scores, marks, ti * n, touched);
    });
    // Common terms only add to entries the rarer ones found; if there were none, score them all.
    for (const [term, boost, ti] of common) {
      if (touched.length === 0) index.accumulate(term, boost, 1, scores, marks, ti * n, touched);
      else index.fill(term, boost, 1, scores, marks, ti * n, touched);
    }

    // Everything about the query that does not depend on the entry, computed once.
    const termIndex = new Map(terms.map((t, ti) => [t.term, ti]));
    const wordIndex = new Map(words.map((t, wi) => [t.term, wi]));
    const wordTerm = words.map((t) => termIndex.get(t.term)! * n);
    const wordAccent = words.map((t) => (t.accent && termIndex.has(t.accent) ? termIndex.get(t.accent)! * n : -1));
    const countedSet = new Set(counted);
    // In a long message the words the catalog has never seen are mostly the citizen's story
    // ("đi công tác Singapore"), not another topic: they weigh as the rarest known word.
    const story = counted.length >= storyWords;
    const wordWeight = words.map((t) => (countedSet.has(t) ? (story && !isKnown(t.term) ? Math.log(1 + entryCount) : idf(t.term)) : 0));
    const weighted = (list: string[]) =>
      list.flatMap((term) => (wordIndex.has(term) ? [{ wi: wordIndex.get(term)!, weight: idf(term) }] : []));
    const phraseGroups = groups.map((g) => {
      const typed = weighted(g.typed);
      const added = weighted(g.added);
      const sum = (list: { weight: number }[]) => list.reduce((total, x) => total + x.weight, 0);
      return { typed, added, typedWeight: sum(typed), addedWeight: sum(added) };
    });
    const totalWeight = wordWeight.reduce((a, b) => a + b, 0) + phraseGroups.reduce((a, g) => a + g.typedWeight, 0);
    const severalWords = counted.length + groups.length > 1;
    const bigrams = terms.flatMap((t, ti) =>
      t.kind === 'bigram' && t.parts ? [{ at: ti * n, weak: t.weak === true, typed: t.expansion !== true, parts: t.parts.map((p) => wordIndex.get(p) ?? -1) }] : [],
    );
    const wordValue = new Float64Array(words.length);

    for (const doc of touched) {
      for (let wi = 0; wi < words.length; wi++) {
        let value = marks[wordTerm[wi]! + doc]!;
        // A word typed with diacritics that matched only without them is another word ("số"
        // is not "sơ"), or a wrong accent: half.
        const accentAt = wordAccent[wi]!;
        if (value > 0 && accentAt >= 0 && marks[accentAt + doc] === 0) value *= 0.5;
        wordValue[wi] = value;
      }
      // A matched bigram covers its words, so "khai sin" (matched as "khai sinh") covers "sin".
      // Phrase evidence: one word pair found in the name or keywords, or two in the aliases (an
      // alias is a whole sentence, "mở tiệm cà phê đăng ký kinh doanh": one pair of it, "cà phê",
      // says little).
      let namePairs = 0;
      let aliasPairs = 0;
      for (const b of bigrams) {
        const value = marks[b.at + doc]!;
        if (value === 0) continue;
        if (!b.weak && value === 1) namePairs++;
        else if (!b.weak && value === Math.fround(ALIAS_MARK)) aliasPairs++;
        for (const wi of b.parts) if (wi >= 0 && value > wordValue[wi]!) wordValue[wi] = value;
      }
      let covered = 0;
      for (let wi = 0; wi < words.length; wi++) covered += wordWeight[wi]! * wordValue[wi]!;
      // An everyday phrase of synonyms.yaml whose official words the entry's name, aliases or
      // keywords hold whole ("quá ngày hẹn" → "tra cứu hồ sơ") is as good as a word pair of them.
      let phrasePairs = 0;
      for (const g of phraseGroups) {
        let typed = 0;
        let added = 0;
        let whole = g.added.length >= 2 && g.typed.length >= 2;
        for (const x of g.typed) typed += x.weight * wordValue[x.wi]!;
        for (const x of g.added) {
          added += x.weight * wordValue[x.wi]!;
          if (wordValue[x.wi]! < 1) whole = false;
        }
        if (whole) phrasePairs++;
        const share = Math.max(g.typedWeight > 0 ? typed / g.typedWeight : 0, g.addedWeight > 0 ? added / g.addedWeight : 0);
        covered += g.typedWeight * share;
      }
      const phraseMatched = namePairs >= 1 || aliasPairs >= 2 || phrasePairs >= 1;
      let coverage = totalWeight > 0 ? covered / totalWeight : 0;
      // A query of several words is about an entry only if some two-syllable word of it matches
      // the entry's own name, aliases or keywords: "dự báo thời tiết" shares three common
      // syllables with a summary somewhere, but no word.
      if (severalWords && !phraseMatched) coverage *= 0.5;
      coverageOf[doc] = coverage;
      phraseOf[doc] = phraseMatched ? 1 : 0;
      namePairsOf[doc] = namePairs;
      finalScore[doc] = scores[doc]! * (0.2 + coverage) ** 2;
    }

    // Only the best few become objects; a common word can touch every entry of the catalog.
    const keep = all ? touched.length : 8;
    const top: number[] = [];
    const better = (a: number, b: number) => finalScore[a]! > finalScore[b]! || (finalScore[a] === finalScore[b] && entries[a]!.id < entries[b]!.id);
    for (const doc of touched) {
      if (top.length === keep && !better(doc, top[top.length - 1]!)) continue;
      let at = top.length === keep ? keep - 1 : top.length;
      top[at] = doc;
      while (at > 0 && better(doc, top[at - 1]!)) {
        top[at] = top[at - 1]!;
        top[at - 1] = doc;
        at--;
      }
    }
    const scored = top.map(
      (doc): Scored => ({
        entry: entries[doc]!,
        score: finalScore[doc]!,
        coverage: coverageOf[doc]!,
        phraseMatched: phraseOf[doc] === 1,
        namePairs: namePairsOf[doc]!,
        matched: all ? terms.filter((_, ti) => marks[ti * n + doc]! > 0).map((t) => t.term) : [],
      }),
    );
    // The word pairs the best entry holds in its name, aliases or keywords (for `outside`).
    const bestPairs: string[][] =
      top[0] === undefined
        ? []
        : bigrams.filter((b) => !b.weak && b.typed && b.parts.every((wi) => wi >= 0) && marks[b.at + top[0]!]! >= exemptMark).map((b) => terms[b.at / n]!.parts!);
    // An everyday phrase the citizen typed whose official words are the best entry's own name
    // ("chung sổ" → "tách hộ") is its evidence too.
    if (top[0] !== undefined) {
      const nameWords = nameWordsOf(top[0]);
      groups.forEach((g) => {
        if (g.typed.length >= 2 && g.added.length >= 2 && g.added.every((w) => nameWords.has(w))) bestPairs.push(g.typed);
      });
    }
    // A form code only the best entry's name or keywords hold names that entry, whatever the
    // question says besides ("xin tờ CT07 cho con nộp hồ sơ thi vào lớp 10", "ngân hàng đòi CT07").
    const formCode = top[0] !== undefined && terms.some((t, ti) => t.kind === 'word' && FORM_CODE.test(t.term) && marks[ti * n + top[0]!]! >= exemptMark && index.documentFrequency(t.term) === 1);

    // Reset the shared buffers for the next query.
    for (const doc of touched) scores[doc] = 0;
    marks.fill(0, 0, terms.length * n);

    if (all) return scored;
    // A combined service ("Liên thông: khai sinh – thường trú – thẻ BHYT") holds the words of
    // each of its parts; a question one single procedure answers nearly as well ("thẻ cho con 10
    // tuổi", "dùng thẻ bảo hiểm y tế trên điện thoại") is about that procedure, and the combined
    // service is offered beside it.
    if (scored[1] && combined(scored[0]!.entry) && !combined(scored[1].entry) && scored[1].score >= scored[0]!.score * COMBINED_YIELDS && scored[1].coverage >= minCoverage) {
      const [a, b] = [scored[0]!, scored[1]];
      scored[0] = b;
      scored[1] = a;
    }
    const best = scored[0];
    // A query naming an outside topic ("mã số thuế") stays with the best entry only when that
    // entry holds a word pair of the query and explains enough of it on its own (the plain
    // coverage gate): a shared verb pair ("tra cứu", "thanh toán") under a weak match is not it.
    // A long message ("Chào anh chị, nhà em mới sinh em bé, làm giấy khai sinh cần gì ạ…") says
    // much besides its request, so its coverage is low; several of its word pairs in one entry's
    // name or keywords are evidence enough, and they also keep it in scope when the story names
    // an outside topic in passing ("lãnh sự quán yêu cầu giấy xác nhận cư trú").
    const longMessage = counted.length >= longMessageWords;
    const ownEvidence = best !== undefined && (best.coverage >= minCoverage || (counted.length >= STORY_WORDS && best.namePairs >= 2 && best.coverage >= minCoverage * 0.3));
    const topic = formCode ? false : outside(query, best && ownEvidence ? bestPairs : []);
    if (topic) {
      // Also with no entry at all; the question model then decides whether a longer question
      // is about an entry all the same (`blend`).
      if (why) why.outside = topic;
      return [];
    }
    const runnerUp = scored[1]?.score ?? 0;
    const inScope = (s: Scored) =>
      s.coverage >= minCoverage ||
      (s.phraseMatched && s.coverage >= minCoverage * 0.6) ||
      (longMessage && s.namePairs >= 2 && s.coverage >= minCoverage * 0.3) ||
      // One entry far ahead of every other, holding a word pair of the query in its name or
      // keywords ("ở thuê" → tạm trú), while the rest is the citizen's own words ("hết 2 năm,
      // kéo dài thêm"): the ranking itself is the evidence.
      (s.namePairs >= 1 && s.score >= runnerUp * DOMINANT_RATIO && s.coverage >= minCoverage * 0.35);
    if (!best || !inScope(best)) return [];
    // One everyday word ("tên", "nhà") found in many entries is not a request for any of them:
    // without a matched word pair, a one-word query must point clearly at one entry.
    const second = scored[1];
    const third = scored[2];
    // Two entries that both explain the whole word ("marry": marriage, marriage with a
    // foreigner) are a choice to offer; a word spread over three or more is not a request.
    const pair = best.coverage >= 1 && second !== undefined && second.coverage >= 1 && !(third && third.score * 2 > best.score);
    if (!severalWords && !best.phraseMatched && second && second.score * 2 > best.score && !pair) return [];
    return scored.filter((s) => s === best || (s.coverage >= minCoverage * 0.5 && s.score >= best.score * minRelativeScore));
  };

  const toResult = (s: Scored): FinderResult => ({ id: s.entry.id, name: s.entry.name, score: Math.round(s.score * 100) / 100 });
  const names = createNameMatcher(catalog);

  // The question model, trained on the first query (see `question-model.ts`): the labelled
  // questions of this language, and the names, aliases and keywords of the entries they name.
  let model: QuestionModel | null | undefined;
  const termsOf = (terms: readonly QueryTerm[]) => terms.flatMap((t) => (t.kind === 'accent' ? [] : [t.term]));
  const modelTerms = (text: string) => termsOf(analyser.queryTerms(text, isKnown));
  const questionModel = (): QuestionModel | null => {
    if (model !== undefined) return model;
    const questions = labelled();
    const known = new Set(questions.flatMap((q) => q.ids));
    if (questions.length === 0 || known.size === 0) return (model = null);
    const own = entries.filter((e) => known.has(e.id)).flatMap((e) => [e.name, ...e.aliases, ...e.keywords].map((text) => ({ text, ids: [e.id] })));
    return (model = questionModelFor([...questions, ...own].map((q) => ({ terms: modelTerms(q.text), ids: q.ids }))));
  };

  /**
   * The lexical ranking weighed with the question model's: each entry's probability times
   * `LEXICAL_FLOOR` plus its lexical score relative to the lexical best. Out of scope when the
   * query names an outside or beyond topic of `synonyms.yaml`, unless it is a longer question
   * the model is clearly for an entry in (content that says so outranks a model); when the
   * model finds "out of scope" more likely than not; or when the lexical finder found nothing and
   * the model is not clearly for an entry (it knows fewer than two of the query's terms, finds
   * "out of scope" likelier, or gives its best entry under `MODEL_ALONE`).
   * When the lexical best is an entry the model was never taught (no labelled question names
   * it), the lexical ranking stands.
   */
  const blend = (terms: readonly QueryTerm[], counted: number, list: Scored[], outsideTopic: Why['outside'], learned: QuestionModel, bestNamed: boolean): Scored[] => {
    const best = list[0];
    if (best && !learned.ids.has(best.entry.id)) return list;
    const lexicalSure = outcomeOf(list.slice(0, 5)) === 'confident';
    const { outside: pOutside, entries: likely, known } = learned.classify(termsOf(terms), MODEL_FLOOR);
    const topP = likely[0]?.p ?? 0;
    // An outside topic named in a question that is about an entry all the same ("quán karaoke
    // cạnh nhà hát tới 2 giờ sáng, báo lên phường thế nào") stays with the entry when the model
    // is for it: a question of OUTSIDE_STORY_WORDS words or more, the entry at least
    // `modelOverOutside` and likelier than "out of scope". A beyond topic (on an entry's own
    // ground: "mức hưởng bảo hiểm y tế") takes a story of BEYOND_STORY_WORDS ("mua căn hộ trả
    // góp… muốn chuyển hộ khẩu về"). A bare topic ("khám bệnh ở đâu") is always out.
    const storyWords = outsideTopic === 'beyond' ? outsideStory.beyond : outsideStory.outside;
    // A shorter question naming an outside topic, from OUTSIDE_SHORT_WORDS, when the model is
    // all but sure ("sao y hộ chiếu để nộp hồ sơ xin visa").
    const allButSure = outsideTopic === 'outside' && counted >= OUTSIDE_SHORT_WORDS && topP >= MODEL_SURE_OVER_OUTSIDE;
    if (outsideTopic && !((counted >= storyWords || allButSure) && topP >= modelOverOutside && topP > pOutside)) return [];
    // A story (STORY_WORDS counted words) whose lexical best holds a word pair of it in its name
    // or keywords, and is the model's first entry too, is about that entry unless the model is
    // sure it is not: long stories of near-domain questions taught it that many everyday words
    // ("công ty", "lán trại") lean out of scope ("kỹ sư … ở lán trại của công ty … có phải đăng
    // ký tạm trú không" was rejected at 0.70). At 0.75, not 0.8: see question-model.test.ts.
    const storyForBest = best !== undefined && counted >= STORY_WORDS && best.namePairs >= 1 && likely[0]?.id === best.entry.id && pOutside < modelOutsideSure;
    if (!lexicalSure && ((pOutside > 0.5 && !bestNamed && !storyForBest) || (list.length === 0 && (known < MODEL_ALONE_TERMS || pOutside >= topP || topP < MODEL_ALONE)))) return [];
    const lexical = new Map(list.map((s) => [s.entry.id, s]));
    const top = best?.score ?? 0;
    const blended = likely.flatMap(({ id, p }): Scored[] => {
      const entry = catalog.byId.get(id);
      if (!entry) return [];
      const s = lexical.get(id);
      return [{ entry, score: 100 * p * (LEXICAL_FLOOR + (s && top > 0 ? s.score / top : 0)), coverage: s?.coverage ?? 0, phraseMatched: s?.phraseMatched ?? false, namePairs: s?.namePairs ?? 0, matched: [], p, sure: s !== undefined ? s === best && lexicalSure : best === undefined && p >= MODEL_SURE }];
    });
    blended.sort((a, b) => b.score - a.score || (a.entry.id < b.entry.id ? -1 : 1));
    // A lexical finder sure of its entry (the query is mostly that entry's own words, nothing
    // close behind), or whose best entry's whole name the query holds ("muốn làm thủ tục đăng ký
    // thường trú thì cần gì", beside the combined birth service naming "thường trú"), keeps it
    // first: the model ranks the alternatives.
    if ((lexicalSure || bestNamed) && best) {
      const at = blended.findIndex((b) => b.entry === best.entry);
      const own = at >= 0 ? blended.splice(at, 1)[0]! : { ...best, p: 0, sure: true };
      blended.unshift({ ...own, score: Math.max(own.score, (blended[0]?.score ?? 0) + 1) });
    }
    // Entries far behind the first (a fiftieth of its score) are noise, not alternatives.
    const floor = (blended[0]?.score ?? 0) * MODEL_RELATIVE_FLOOR;
    const taught = blended.filter((b) => b.score >= floor).slice(0, 8);
    // Entries the model does not know, as the lexical finder ranked them, after the others.
    return [...taught, ...list.filter((s) => !learned.ids.has(s.entry.id))].slice(0, 8);
  };

  const contradicts = createContradictionCheck(entries);
  /**
   * The ranking of the whole question (`pastAside` may put first an entry the rest of it finds
   * without what is done already); when that finds nothing, of the question without its aside
   * (`withoutAside`): "giấy chứng tử … để rút tiền tiết kiệm ở ngân hàng" is about the
   * certificate, not the bank. Only then, since a purpose can be the request itself: "xin giấy
   * xác nhận sinh viên để làm vé tháng xe buýt", refused whole, is then answered with the
   * student-loan confirmation (one of the rejections this costs, `docs/finder.md`).
   */
  const ranked = (query: string): { ranked: Scored[]; named: boolean } => {
    const whole = rankedWhole(query);
    if (whole.ranked.length > 0) return pastAside(query, whole);
    const core = withoutAside(query);
    // What the whole question rules out (`not_when`: "for my foreign guests") stays ruled out.
    const aside = core === query ? whole : rankedWhole(core, query);
    if (aside.ranked.length > 0) return aside;
    // Nor when what is done already confused it, if the rest names an entry ("đã có hộ chiếu
    // rồi, bây giờ muốn làm chứng thực chữ ký").
    const rest = withoutDone(query);
    const named = rest === query ? undefined : rankedWhole(rest, query);
    return named?.named ? named : aside;
  };
  /**
   * An entry of the first three that the question without what is done already (`withoutDone`)
   * finds first goes first: "now that paternity is recognised, I want to change his surname" is
   * the change of name's, not the recognition's.
   */
  const pastAside = (query: string, whole: { ranked: Scored[]; named: boolean }): { ranked: Scored[]; named: boolean } => {
    const core = withoutDone(query);
    if (core === query) return whole;
    const answer = rankedWhole(core, query);
    const first = answer.ranked[0];
    if (first === undefined || first.entry === whole.ranked[0]!.entry) return whole;
    // One the whole question ranked lower, or any when the whole question's first was only in
    // what is done already (the rest does not rank it).
    const at = whole.ranked.slice(0, 3).findIndex((s) => s.entry === first.entry);
    if (at < 0 && answer.ranked.slice(0, 3).some((s) => s.entry === whole.ranked[0]!.entry)) return whole;
    const promoted = at >= 0 ? whole.ranked[at]! : first;
    // Named only when the rest of the question names it ("…, we want the guardianship registration").
    return { ranked: [{ ...promoted, score: Math.max(promoted.score, whole.ranked[0]!.score) }, ...whole.ranked.filter((s) => s !== promoted)], named: answer.named };
  };
  /**
   * The ranking, with an entry whose name the query is, give or take a typo, first; then the
   * entries whose condition the question (`said`, the whole one) contradicts (`not_when`) after
   * the others, and the entry each names instead (`see`) first; nothing when the best one is
   * contradicted and names none.
   */
  const rankedWhole = (query: string, said = query): { ranked: Scored[]; named: boolean } => {
    const answer = rankedByName(query);
    const ruledOut = contradicts(said, answer.ranked.map((s) => s.entry));
    if (ruledOut.size === 0) return answer;
    const best = answer.ranked[0]!;
    const seeOf = (e: CatalogEntry) => ruledOut.get(e)?.see;
    const instead = [...new Set([...ruledOut.keys()].flatMap((e) => {
      const id = seeOf(e);
      const see = id !== undefined ? catalog.byId.get(id) : undefined;
      return see && !ruledOut.has(see) ? [see] : [];
    }))];
    // The entry named instead takes the contradicted best one's place; one already first keeps its own.
    const bestRuledOut = ruledOut.has(best.entry);
    const seen = instead.map((entry): Scored => {
      const own = answer.ranked.find((s) => s.entry === entry);
      if (own && !bestRuledOut) return own;
      return { ...(own ?? { entry, coverage: best.coverage, phraseMatched: false, namePairs: 0, matched: [] }), score: Math.max(own?.score ?? 0, best.score), sure: false };
    });
    // The best entry contradicted with nothing named instead: the catalog holds no entry for that
    // case ("có yếu tố nước ngoài là thủ tục riêng"), and the others were only behind it.
    if (bestRuledOut && seeOf(best.entry) === undefined) return { ranked: [], named: false };
    const kept = [...seen, ...answer.ranked.filter((s) => !ruledOut.has(s.entry) && !instead.includes(s.entry))];
    if (kept.length === 0) return { ranked: [], named: false };
    // Behind the first kept entry by half, so they are not the close second that makes it a question.
    const cap = kept[0]!.score / 2;
    const after = answer.ranked.filter((s) => ruledOut.has(s.entry)).map((s) => ({ ...s, score: Math.min(s.score, cap), sure: false }));
    return { ranked: [...kept, ...after], named: answer.named && !bestRuledOut };
  };

  const rankedByName = (query: string): { ranked: Scored[]; named: boolean } => {
    const why: Why = { outside: false, terms: [] };
    const lexical = rank(query, false, why);
    const learned = questionModel();
    // The best entry's whole name is most of what the query asks (not a story naming it as context).
    const counted = why.terms.filter((t) => t.kind === 'word' && t.counts).length;
    // Not when a neighbour whose name says more ("Đăng ký kết hôn có yếu tố nước ngoài" beside
    // "Đăng ký kết hôn") explains more of the query: "lấy chồng Hàn Quốc thì đăng ký kết hôn ở đâu".
    const lexicalBest = lexical[0];
    const narrower = lexicalBest !== undefined && lexical.slice(1, 3).some((s) => s.coverage > lexicalBest.coverage && !combined(s.entry) && nameText(s.entry.name).startsWith(nameCore(lexicalBest.entry.name)));
    const bestNamed = lexicalBest !== undefined && !narrower && nameWords(lexicalBest.entry.name) * 2 >= counted && holdsName(query, lexicalBest.entry.name);
    const list = learned ? blend(why.terms, counted, lexical, why.outside, learned, bestNamed) : lexical;
    // A question holding the best entry's whole name ("cho tôi hỏi muốn làm thủ tục đăng ký tạm
    // trú thì cần gì ạ") names it, as the name alone would: it is confirmed, not asked about.
    if (bestNamed && list[0]?.entry === lexical[0]?.entry) return { ranked: list, named: true };
    // A typo'd name only matters when the finder is not already sure on its own.
    const named = names.match(query, new Set(list.map((s) => s.entry)), outcomeOf(list.slice(0, 5)) !== 'confident');
    if (named === undefined) return { ranked: list, named: false };
    const own = list.find((s) => s.entry === named);
    const best = list[0];
    const first: Scored = own ?? { entry: named, score: best?.score ?? 1, coverage: 1, phraseMatched: true, namePairs: 0, matched: [] };
    return { ranked: [{ ...first, score: Math.max(first.score, best?.score ?? 0) }, ...list.filter((s) => s !== own)], named: true };
  };

  return {
    search(query, limit = 5) {
      return ranked(query).ranked.slice(0, Math.max(0, limit)).map(toResult);
    },
    explain(query) {
      return rank(query, true).map((s) => ({ ...toResult(s), coverage: Math.round(s.coverage * 100) / 100, matched: s.matched }));
    },
    prepare() {
      questionModel();
    },
    find(query) {
      const answer = ranked(query);
      const top = answer.ranked.slice(0, 5);
      // The citizen typed a procedure's own name: confirm it (the others stay as alternatives).
      const outcome = answer.named ? 'confident' : outcomeOf(top);
      // Ambiguity is a question: the flow asks which one, so only the close candidates are choices.
      const results = outcome === 'ambiguous' ? closeCandidates(top) : top;
      return { outcome, results: results.map(toResult) };
    },
  };
}

/**
 * Recognises a query that is an entry's official name, with or without accents, abbreviations
 * expanded, filler words dropped, and up to one typo (two in long names). Only an answer that
 * points at a single entry counts. Aliases are not names: they must find their entry through the
 * ranking (`flows check` warns when one does not), so a misplaced alias is not promoted. An entry's own name ranks it among the first few,
 * so the names of the entries the finder ranked are the ones compared; only when it ranked none
 * (a typo in a short word: "dang ki khax sinh") are all names searched, through an index of their
 * words built on first use.
 */
/** A word in more names than this says too little to find one name by (and would cost too much). */
const MAX_NAMES_PER_WORD = 200;

function createNameMatcher(catalog: Catalog): { match(query: string, ranked: ReadonlySet<CatalogEntry>, nearToo: boolean): CatalogEntry | undefined } {
  const abbreviations = new Map(Object.entries(catalog.synonyms.abbreviations).map(([k, v]) => [foldText(k), foldText(v[0] ?? k).split(' ')]));
  // Filler by its first word, longest first, so each word is looked up once.
  const stopwords = new Map<string, string[][]>();
  for (const words of catalog.synonyms.stopwords.map((w) => foldText(w).split(' ')).sort((a, b) => b.length - a.length)) {
    stopwords.set(words[0]!, [...(stopwords.get(words[0]!) ?? []), words]);
  }
  const wordsOf = (text: string): string[] => {
    const words = segmentSyllables(text)
      .flat()
      .flatMap((s) => {
        const folded = foldSyllable(s);
        return abbreviations.get(folded) ?? [folded];
      });
    const kept: string[] = [];
    for (let i = 0; i < words.length; ) {
      const stop = stopwords.get(words[i]!)?.find((w) => w.every((part, j) => words[i + j] === part));
      if (stop) i += stop.length;
      else kept.push(words[i++]!);
    }
    return kept;
  };
  interface Name {
    key: string;
    words: string[];
    entry: CatalogEntry;
  }
  const namesCache = new Map<CatalogEntry, Name[]>();
  const namesOf = (entry: CatalogEntry): Name[] => {
    let names = namesCache.get(entry);
    if (!names) {
      names = [entry.name].map((text) => wordsOf(text)).map((words) => ({ key: words.join(''), words, entry })).filter((n) => n.key.length >= 4);
      namesCache.set(entry, names);
    }
    return names;
  };
  let byWord: Map<string, Name[]> | undefined;
  const namesWith = (word: string): Name[] => {
    if (!byWord) {
      byWord = new Map();
      for (const entry of catalog.entries) {
        for (const name of namesOf(entry)) {
          for (const w of new Set(name.words)) {
            const list = byWord.get(w);
            if (list) list.push(name);
            else byWord.set(w, [name]);
          }
        }
      }
    }
    return byWord.get(word) ?? [];
  };
  const allowed = (length: number) => (length >= 20 ? 2 : length >= 8 ? 1 : 0);
  const single = (found: Name[]) => {
    const entries = new Set(found.map((n) => n.entry));
    return entries.size === 1 ? [...entries][0] : undefined;
  };

  return {
    match(query, ranked, nearToo) {
      const words = wordsOf(query);
      const key = words.join('');
      if (key.length < 4) return undefined;
      // A typo changes one word, so a name it was meant to be holds one of the query's two rarest words.
      const candidates =
        ranked.size > 0
          ? [...ranked].flatMap(namesOf)
          : [...new Set(words)]
              .map(namesWith)
              .filter((list) => list.length <= MAX_NAMES_PER_WORD)
              .sort((a, b) => a.length - b.length)
              .slice(0, 2)
              .flat();
      const exact = candidates.filter((n) => n.key === key);
      if (exact.length > 0) return single(exact);
      const edits = allowed(key.length);
      if (edits === 0 || !nearToo) return undefined;
      return single(candidates.filter((n) => Math.abs(n.key.length - key.length) <= edits && Math.abs(n.words.length - words.length) <= 1 && editDistanceWithin(key, n.key, edits)));
    },
  };
}

/** A combined service ("Liên thông: …") joins several procedures in one application. */
const combined = (entry: CatalogEntry) => /^liên thông/i.test(entry.name);
/** Whether `bundle` is a combined service whose first procedure is `entry` (by name). */
const opensWith = (bundle: CatalogEntry, entry: CatalogEntry) => combined(bundle) && !combined(entry) && nameText(bundle.name).replace(/^ lien thong /, ' ').startsWith(nameText(entry.name));

/** Whether two strings are at most `max` single-letter edits apart (banded Levenshtein). */
function editDistanceWithin(a: string, b: string, max: number): boolean {
  if (max === 0) return a === b;
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      if (value < best) best = value;
    }
    if (best > max) return false;
    previous = current;
  }
  return previous[b.length]! <= max;
}

/**
 * Confident: the best entry explains most of the query and clearly beats the next one. The
 * flow still confirms a confident match ("Có phải anh/chị muốn…?"); ambiguous asks which.
 */
function outcomeOf(ranked: Scored[]): FindAnswer['outcome'] {
  const [best, second] = ranked;
  if (!best) return 'none';
  // Ranked with the question model: confident when the lexical finder alone was confident of the
  // same entry, or found nothing and the model is sure; either way with no other entry close. The
  // model re-ranks, but a doubt of the lexical finder (two close entries) stays a question.
  if (best.p !== undefined) return best.sure === true && !(second && second.score > best.score * 0.7) ? 'confident' : 'ambiguous';
  if (best.coverage < 0.75) return 'ambiguous';
  if (second && second.score > best.score * 0.7) return 'ambiguous';
  return 'confident';
}

/** A form's code: letters then digits ("CT07", "TK1"). */
// Two letters at least: one letter and digits is a licence class ("B2", "A1"), which names the
// licence entry's ground, not a form (round 14: "bằng B2 muốn thi nâng lên hạng C" escaped its topic).
const FORM_CODE = /^[a-z]{2,4}\d{1,3}[a-z]?$/;
/** The probability the model's best entry needs when the lexical finder found nothing. */
const MODEL_ALONE = 0.1;
/** How many of a query's terms the model must know to find an entry the lexical finder did not. */
const MODEL_ALONE_TERMS = 2;
/** The model's probability for its best entry that keeps a question naming an outside topic in scope. */
const MODEL_OVER_OUTSIDE = 0.5;
/** From this many counted words a question naming an outside topic can be about an entry. */
const OUTSIDE_STORY_WORDS = 8;
/** From this many counted words a question naming an outside topic is the model's when it is all but sure. */
const OUTSIDE_SHORT_WORDS = 4;
/** The model's probability for its best entry that is "all but sure". */
const MODEL_SURE_OVER_OUTSIDE = 0.9;
/** From this many counted words a question naming a beyond topic can be about an entry. */
const BEYOND_STORY_WORDS = 10;
/** Blended entries under this share of the first one's score are dropped. */
const MODEL_RELATIVE_FLOOR = 0.02;
/** The question model's "out of scope" probability that overrules a story's lexical best (see `blend`). */
const MODEL_OUTSIDE_SURE = 0.75;
/** The question model's probability from which its best entry can be confident. */
const MODEL_SURE = 0.8;

/** Choices offered when the finder asks which one: two or three, those near the best. */
const MAX_CHOICES = 3;
const CLOSE_SHARE = 0.4;

function closeCandidates(ranked: Scored[]): Scored[] {
  const best = ranked[0];
  if (!best) return [];
  const close = ranked.filter((s, i) => i < MAX_CHOICES && (i < 2 || s.score >= best.score * CLOSE_SHARE));
  // The combined service that opens with the best procedure ("khai sinh": the newborn's birth,
  // residence and health card in one application) is always one of the choices.
  const bundle = ranked.find((s) => opensWith(s.entry, best.entry));
  return bundle && !close.includes(bundle) ? [...close.slice(0, MAX_CHOICES - 1), bundle] : close;
}

/**
 * Known terms a typed word or pair the catalog does not know may be a typo of. Vietnamese
 * syllables are short: one edit in a four-letter word is usually another word, so a lone word
 * is corrected only from five letters; inside a pair ("khai sin") the other word vouches for
 * the correction, so three letters are enough, and the corrected pair must exist.
 */
function typoVariants(t: QueryTerm, index: TermIndex): string[] {
  if (t.kind === 'word') return t.term.length >= 5 && !/\d/.test(t.term) ? index.similar(t.term, 1) : [];
  if (t.kind !== 'bigram' || !t.parts) return [];
  const [a, b] = t.parts;
  const fix = (word: string) => (index.documentFrequency(word) > 0 ? [word] : word.length >= 3 && !/\d/.test(word) ? index.similar(word, 1) : []);
  const out: string[] = [];
  for (const left of fix(a)) {
    for (const right of fix(b)) {
      const pair = `${left}${BIGRAM_JOINER}${right}`;
      if (pair !== t.term && index.documentFrequency(pair) > 0) out.push(pair);
    }
  }
  return out;
}

/**
 * Out of scope near the domain: the query holds a phrase of `synonyms.outside` ("mã số thuế",
 * "ly hôn") and the best entry holds no word pair of the query, in its name or keywords, apart
 * from that phrase. Such a query shares everyday words with an entry ("đăng ký … cho con") but
 * is about something else; "tách hộ sau khi ly hôn" or "bản sao giấy kết hôn để xin visa" is
 * still about the entry.
 */
function createOutsideCheck(catalog: Catalog, only: { beyondOnly?: boolean; minSyllables?: number } = {}): (query: string, bestPairs: string[][]) => 'beyond' | 'outside' | false {
  const abbreviations = new Map(Object.entries(catalog.synonyms.abbreviations).map(([k, v]) => [foldText(k), foldText(v[0] ?? k)]));
  // Each syllable folded, with its accents when typed with them: a phrase meets a query whose
  // syllables fold alike and carry its accents or none ("hợp đồng thuê" is not "đóng thuế").
  type Token = { folded: string; accent: string | undefined };
  const tokens = (text: string): Token[] =>
    segmentSyllables(text).flat().flatMap((raw): Token[] => {
      const folded = foldSyllable(raw);
      const expanded = abbreviations.get(folded);
      return expanded ? expanded.split(' ').map((f) => ({ folded: f, accent: undefined })) : [{ folded, accent: accentKey(raw) }];
    });
  const seen = new Set<string>();
  const phrases: { tokens: Token[]; words: Set<string>; always: boolean }[] = [];
  const lists: [string[], boolean][] = [
    [Object.values(catalog.synonyms.beyond ?? {}).flat(), true],
    [only.beyondOnly ? [] : Object.values(catalog.synonyms.outside ?? {}).flat(), false],
  ];
  for (const [list, always] of lists) {
    for (const phrase of list) {
      const t = tokens(phrase);
      const key = t.map((x) => `${x.folded}/${x.accent ?? ''}`).join(' ');
      if (t.length < (only.minSyllables ?? 1) || seen.has(key)) continue;
      seen.add(key);
      phrases.push({ tokens: t, words: new Set(t.map((x) => x.folded)), always });
    }
  }
  // Word pairs of the entries' names, aliases and keywords, folded: a phrase typed plain that
  // starts in one and ends in the next ("tra cuu ho so" holds "cứu hộ") is not said.
  // Built when a phrase first meets a query typed plain between two words (not at build: at 5,000
  // entries the pairs cost a second).
  let entryPairs: Set<string> | undefined;
  const pairsOfEntries = () =>
    (entryPairs ??= new Set(
      catalog.entries.flatMap((e) => [e.name, ...e.aliases, ...e.keywords]).flatMap((text) => {
        const words = foldText(text).split(/[^a-z0-9]+/).filter(Boolean);
        return words.slice(1).map((w, i) => `${words[i]} ${w}`);
      }),
    ));
  // Only a phrase of two syllables written with their accents (a Vietnamese one: English words
  // carry none, and their pairs are everywhere in the English entries: "a work permit").
  const straddles = (q: Token[], i: number, phrase: Token[]) => {
    const length = phrase.length;
    if (length !== 2 || !phrase.every((t) => t.accent !== undefined)) return false;
    const before = q[i - 1];
    const after = q[i + length];
    if (before === undefined || after === undefined || !q.slice(i, i + length).every((t) => t.accent === undefined)) return false;
    const pairs = pairsOfEntries();
    return pairs.has(`${before.folded} ${q[i]!.folded}`) && pairs.has(`${q[i + length - 1]!.folded} ${after.folded}`);
  };
  // Phrases by their first syllable, so a query looks up only those that can start at each word.
  const byFirst = new Map<string, typeof phrases>();
  for (const p of phrases) byFirst.set(p.tokens[0]!.folded, [...(byFirst.get(p.tokens[0]!.folded) ?? []), p]);
  const meetsAt = (q: Token[], i: number, p: Token[]) => {
    if (i + p.length > q.length) return false;
    for (let j = 0; j < p.length; j++) {
      const a = q[i + j]!;
      const b = p[j]!;
      if (a.folded !== b.folded || (a.accent !== undefined && b.accent !== undefined && a.accent !== b.accent)) return false;
    }
    return true;
  };
  // An outside topic said done already ("bằng thạc sĩ đã hợp pháp hóa lãnh sự", "already
  // legalised") is the paper's past, not the request.
  const done = (q: Token[], i: number) => {
    const before = q[i - 1];
    const twoBefore = q[i - 2];
    const isDa = (t: Token | undefined) => t !== undefined && t.folded === 'da' && (t.accent === undefined || t.accent === DA);
    return isDa(before) || (before?.folded === 'duoc' && isDa(twoBefore)) || before?.folded === 'already' || (before?.folded === 'been' && twoBefore?.folded !== 'not');
  };
  return (query, bestPairs) => {
    if (phrases.length === 0) return false;
    const q = tokens(query);
    for (let i = 0; i < q.length; i++) {
      for (const p of byFirst.get(q[i]!.folded) ?? []) {
        if (meetsAt(q, i, p.tokens) && !straddles(q, i, p.tokens) && !done(q, i) && (p.always || !bestPairs.some((words) => words.every((w) => !p.words.has(w))))) return p.always ? 'beyond' : 'outside';
      }
    }
    return false;
  };
}
/**
 * A question without what it says of who asks for the paper or what the paper is for: a purpose
 * after "để" up to the end of its clause or "thì" ("giấy chứng tử để rút tiền tiết kiệm ở ngân
 * hàng, xin lại ở đâu"), and the one who asks, up to eight syllables before "yêu cầu", "bắt",
 * "asks (for)", "requires", "wants" ("ngân hàng bắt chứng minh tôi chưa có vợ", "the school
 * hiring me wants a criminal record check"). Those name other offices' business (a bank, an
 * employer, an embassy), which is not what the citizen asks for. The query unchanged when it
 * says neither, or when less than two syllables of it would be left.
 */
export function withoutAside(query: string): string {
  // Most questions hold none of the words: no need to read them syllable by syllable.
  if (!MAY_ASIDE.test(query)) return query;
  return withoutParts(query, ({ folded, accents, typedPlain, plainOr }, seen) => {
    const drop = new Array<boolean>(folded.length).fill(false);
    folded.forEach((word, j) => {
      const next = folded[j + 1] ?? '';
      const asks = word === 'yeu' && next === 'cau' ? 2 : (word === 'bat' && plainOr(j, BAT) && next !== 'buoc') || ASKS.has(word) ? (next === 'for' ? 2 : 1) : 0;
      // "bị yêu cầu bổ sung": the citizen is the one asked, and what comes before is the request.
      if (asks > 0 && j > 0 && folded[j - 1] !== 'bi') {
        let from = j;
        while (from > Math.max(0, j - ASKER_SYLLABLES) && !(BUT.has(folded[from - 1]!) && plainOr(from - 1, BUT.get(folded[from - 1]!)))) from--;
        drop.fill(true, from, j + asks);
      }
    });
    // A loan's purpose names the loan ("vay vốn … để nuôi bò"), and "dùng để" asks what a thing is for.
    const purpose = folded.findIndex((word, j) => seen + j >= 2 && word === 'de' && (accents[j] === DE || (typedPlain && !NOT_PURPOSE.has(folded[j + 1] ?? '') && !BORN.has(folded[j - 1] ?? ''))) && folded[j - 1] !== 'dung' && !folded.slice(0, j).includes('vay'));
    // Up to where the question itself goes on: "… để có quốc tịch, thì làm ở đâu".
    if (purpose >= 0) drop.fill(true, purpose, resumesAfter({ folded, plainOr }, purpose));
    return drop;
  });
}
/**
 * A question without what it says is done or held already, up to the end of its clause: "now
 * that my son has been recognised by his father, we want to change his family name", "already
 * has his disability certificate", "bà đang hưởng trợ cấp hằng tháng, vừa mất, xin tiền mai
 * táng". The entry of that clause is the citizen's past, not the request. The query unchanged
 * when it says none, or when less than two syllables would be left.
 */
export function withoutDone(query: string): string {
  if (!MAY_DONE.test(query)) return query;
  return withoutParts(query, ({ folded, plainOr }) => {
    // "đang hưởng án treo" is serving a suspended sentence, not a benefit held.
    const at = folded.findIndex((_, j) => folded[j + 2] !== 'an' && DONE.some((marker) => marker.every((m, k) => folded[j + k] === m.folded && plainOr(j + k, m.accent))));
    if (at < 0) return undefined;
    // Up to where the question goes on: "đang hưởng trợ cấp mà mất thì xin tiền chôn cất".
    return folded.map((_, j) => j >= at && j < resumesAfter({ folded, plainOr }, at));
  });
}
/** A clause read syllable by syllable: folded, with its accents, and how to compare one. */
interface Clause {
  folded: string[];
  accents: (string | undefined)[];
  /** Typed without any accent. */
  typedPlain: boolean;
  /** Syllable `j` is the one with `accent`, or typed plain in a clause typed plain ("thi", an exam, is not "thì" when the clause has accents). */
  plainOr: (j: number, accent: string | undefined) => boolean;
}
/**
 * The query without the syllables `drop` marks, clause by clause (`seen`: syllables in the
 * clauses before); the query unchanged when none is marked, or when less than two would be left.
 */
function withoutParts(query: string, drop: (clause: Clause, seen: number) => boolean[] | undefined): string {
  let seen = 0;
  let changed = false;
  const kept = query.split(CLAUSE_END).map((text) => {
    const syllables = segmentSyllables(text).flat();
    const accents = syllables.map(accentKey);
    const typedPlain = accents.every((a) => a === undefined);
    const clause: Clause = { folded: syllables.map(foldSyllable), accents, typedPlain, plainOr: (j, accent) => accents[j] === accent || (typedPlain && accents[j] === undefined) };
    const marks = drop(clause, seen);
    seen += syllables.length;
    if (!marks?.some(Boolean)) return syllables;
    changed = true;
    return syllables.filter((_, j) => !marks[j]);
  });
  if (!changed) return query;
  const core = kept.filter((clause) => clause.length > 0);
  return core.flat().length >= 2 ? core.map((clause) => clause.join(' ')).join(', ') : query;
}
/** Where a clause goes on after a syllable: its next "thì" or "hay", or its end. */
function resumesAfter({ folded, plainOr }: Pick<Clause, 'folded' | 'plainOr'>, from: number): number {
  const at = folded.findIndex((word, j) => j > from && RESUMES.has(word) && plainOr(j, RESUMES.get(word)));
  return at < 0 ? folded.length : at;
}
/** A word that may open an aside or a done clause, as a whole word, any case, with or without its accents. */
const MAY_ASIDE = /(?<![\p{L}\p{M}])(?:để|de|yêu|yeu|bắt|bat|ask|asks|asked|require|requires|want|wants|wanted)(?![\p{L}\p{M}])/iu;
const MAY_DONE = /(?<![\p{L}\p{M}])(?:now|already|was|is|right|đang|dang|đã|da)(?![\p{L}\p{M}])/iu;
/** What opens a clause about what is done or held already. */
const DONE = ['now that', 'already has', 'already have', 'already got', 'was receiving', 'is receiving', 'right after', 'đang hưởng', 'đang nhận', 'đang lãnh', 'đã có', 'đã được', 'đã làm xong'].map((m) =>
  m.split(' ').map((w) => ({ folded: foldSyllable(w), accent: accentKey(w) })),
);
/** A clause ends at a comma, a full stop, a question mark… (an apostrophe does not: "son's"). */
const CLAUSE_END = /[,.;:!?\n()]+/;
const DE = accentKey('để');
const DA = accentKey('đã');
/** "để lại" (to leave), "để trống", "để dành", "để ý", and typed plain "đề nghị": not a purpose. */
const NOT_PURPOSE = new Set(['lai', 'trong', 'danh', 'y', 'nghi', 'xuat', 'cap']);
/** Typed plain after these, "de" is "đẻ" (gave birth): "con mới đẻ". */
const BORN = new Set(['moi', 'vua', 'sinh', 'khi']);
const BAT = accentKey('bắt');
/** Where a question goes on after a purpose ("… để con đi học thì đăng ký ở đâu"). */
const RESUMES = new Map(['thì', 'hay'].map((w) => [foldSyllable(w), accentKey(w)]));
/** Verbs after the one who asks for a paper ("the school asks for", "the employer wants"). */
const ASKS = new Set(['ask', 'asks', 'asked', 'require', 'requires', 'want', 'wants', 'wanted']);
/** How far before the verb the one who asks may begin ("the school hiring me as a teacher wants"). */
const ASKER_SYLLABLES = 8;
/** Where the one who asks begins at the latest ("làm khai sinh nhưng cán bộ yêu cầu"), each with its accents when typed with them. */
const BUT = new Map(['nhưng', 'mà', 'và', 'thì', 'but', 'and', 'then'].map((w) => [foldSyllable(w), accentKey(w)]));

/** A gap in a `not_when` phrase: "…" or "...". */
const GAP = /\s*(?:…|\.\.\.)\s*/;
/** Words that turn a `not_when` phrase after them around ("không còn lưu sổ"); not "cha" (chả), which is a father too. */
const NEGATIONS = new Set(['khong', 'ko', 'k', 'kg', 'chang', 'chua', 'het', 'no', 'not', 'never', 'longer']);

/**
 * The ranked entries whose `not_when` phrases the query holds, word for word (accents and case
 * aside), not right after a negation, each with the first case whose phrase it holds.
 */
function createContradictionCheck(entries: readonly CatalogEntry[]): (query: string, ranked: readonly CatalogEntry[]) => Map<CatalogEntry, NotWhen> {
  const cases = new Map(
    entries.flatMap((e) => {
      // A phrase may have gaps ("thất nghiệp … tỉnh khác"): its parts in that order, anywhere.
      const own = notWhenCases(e).map((c) => ({ c, phrases: c.says.map((p) => p.split(GAP).map((part) => nameText(part).trim().split(' ')).filter((w) => w[0] !== '')).filter((parts) => parts.length > 0) }));
      return own.length > 0 ? [[e, own] as const] : [];
    }),
  );
  return (query, ranked) => {
    const out = new Map<CatalogEntry, NotWhen>();
    if (cases.size === 0) return out;
    const words = nameText(query).trim().split(' ');
    const at = (phrase: string[], from: number) => {
      for (let i = from; i + phrase.length <= words.length; i++) if (phrase.every((w, j) => words[i + j] === w) && !NEGATIONS.has(words[i - 1] ?? '')) return i;
      return -1;
    };
    const holds = (parts: string[][]) => {
      let from = 0;
      for (const part of parts) {
        const i = at(part, from);
        if (i < 0) return false;
        from = i + part.length;
      }
      return true;
    };
    for (const entry of ranked) {
      const held = cases.get(entry)?.find(({ phrases }) => phrases.some(holds));
      if (held) out.set(entry, held.c);
    }
    return out;
  };
}

const nameText = (text: string) => ` ${foldText(text).replace(/[^a-z0-9]+/g, ' ').trim()} `;
/** Whether `query` holds the whole of `name`, word for word, accents and case aside. */
function holdsName(query: string, name: string): boolean {
  const n = nameText(name);
  return n.trim() !== '' && nameText(query).includes(n);
}
/** A name without its opening "Đăng ký" ("kết hôn"), as a narrower name may hold it. */
const nameCore = (name: string) => nameText(name).replace(/^ dang k[iy] (?=\S)/, ' ');
const nameWords = (name: string) => nameText(name).trim().split(' ').filter(Boolean).length;

function fieldText(entry: CatalogEntry, field: (typeof FIELDS)[number]): string {
  switch (field) {
    case 'name':
      return entry.name;
    case 'aliases':
      return entry.aliases.join('\n');
    case 'keywords':
      return entry.keywords.join('\n');
    case 'summary':
      return entry.summary;
    case 'body':
      return bodyText(entry);
  }
}

/**
 * The rest of an entry a citizen's question may echo: documents, cases, conditions. Notes and online
 * steps were indexed too and left out: on the tune sets they cost out-of-scope rejections (56 → 62
 * of 78 near-domain without them) and a third of the build time at 5,000 entries.
 */
function bodyText(entry: CatalogEntry): string {
  return [
    ...entry.documents.map((d) => d.name),
    ...(entry.cases ?? []).map((c) => c.name),
    ...(entry.conditions ?? []).map((c) => c.ask),
  ].join('\n');
}
