/**
 * @module A compact inverted index over pre-analysed terms, with BM25+ field scoring. Hand-written
 * because MiniSearch, measured on a 5,000-entry catalog, spends about 2 µs per posting: a query
 * holding a common syllable ("đăng ký") took 10-70 ms, against 2 ms allowed, and its index took
 * over 3 s to build. Typo lookup uses MiniSearch's radix tree (`SearchableMap.fuzzyGet`).
 */
import SearchableMap from 'minisearch/SearchableMap';

/** BM25+ parameters, the same as MiniSearch's defaults. */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;

export interface TermIndexOptions {
  fieldCount: number;
  /** Multiplies a field's BM25+ score ("name" weighs more than "summary"). */
  fieldWeight: ArrayLike<number>;
  /** What a match in each field says about the document (see `TermIndex.accumulate`). */
  fieldMark: ArrayLike<number>;
  /** Terms that `similar` should find (the others are only looked up exactly). */
  fuzzyLookup: (term: string) => boolean;
}

export interface TermIndex {
  /** Number of documents. */
  readonly size: number;
  /** Documents holding the term in any field (0 when unknown). */
  documentFrequency(term: string): number;
  /**
   * Terms so common that scoring them for every document is wasted work (in more than an
   * sixteenth of a large catalog): `accumulate` skips their postings, `fill` adds them afterwards
   * to the documents the other terms found.
   */
  isCommon(term: string): boolean;
  /** Known terms (of those `fuzzyLookup` accepts) within `maxDistance` edits of `term`, itself excluded. */
  similar(term: string, maxDistance: number): string[];
  /**
   * For every document holding `term`: adds `weight ×` its field-weighted BM25+ to
   * `scores[doc]`, raises `marks[offset + doc]` to `markScale ×` the best field mark, and pushes
   * a document seen for the first time (score still 0) to `touched`.
   */
  accumulate(term: string, weight: number, markScale: number, scores: Float64Array, marks: Float32Array, offset: number, touched: number[]): void;
  /** Like `accumulate`, for a common term and only the documents in `touched`. */
  fill(term: string, weight: number, markScale: number, scores: Float64Array, marks: Float32Array, offset: number, touched: readonly number[]): void;
}

interface Postings {
  docs: Int32Array;
  /** Field-weighted BM25+ of the term in each document, and its best field mark. */
  score: Float32Array;
  mark: Float32Array;
  /** For common terms: the same per document, indexed by document. */
  denseScore?: Float32Array;
  denseMark?: Float32Array;
}

/** `docs[doc][field]` is the list of terms of that field (repeats count as term frequency). */
export function createTermIndex(docs: ReadonlyArray<ReadonlyArray<ReadonlyArray<string>>>, options: TermIndexOptions): TermIndex {
  const { fieldCount, fieldWeight, fieldMark, fuzzyLookup } = options;
  const n = Math.max(1, docs.length);
  const lengths = new Float64Array(docs.length * fieldCount);
  const totalLength = new Float64Array(fieldCount);
  // term → flat [doc, field, tf, doc, field, tf, ...]; documents arrive in order.
  const building = new Map<string, number[]>();
  for (let doc = 0; doc < docs.length; doc++) {
    const fields = docs[doc]!;
    for (let field = 0; field < fieldCount; field++) {
      const terms = fields[field] ?? [];
      lengths[doc * fieldCount + field] = terms.length;
      totalLength[field] = totalLength[field]! + terms.length;
      for (const term of terms) {
        let list = building.get(term);
        if (!list) building.set(term, (list = []));
        const last = list.length - 3;
        if (last >= 0 && list[last] === doc && list[last + 1] === field) list[last + 2] = list[last + 2]! + 1;
        else if (!findAndCount(list, doc, field)) list.push(doc, field, 1);
      }
    }
  }

  const averageLength = Array.from(totalLength, (total) => Math.max(1, total / n));
  const commonAbove = Math.max(64, n / 16);
  // Exact lookups go to a Map; the radix tree for typo lookups holds only the terms worth it
  // (words, not the many word pairs), which keeps the build fast.
  const vocabulary = new Map<string, Postings>();
  const fuzzyVocabulary = new SearchableMap<true>();
  const fieldDf = new Float64Array(fieldCount);
  for (const [term, list] of building) {
    fieldDf.fill(0);
    let documents = 0;
    for (let i = 0; i < list.length; i += 3) {
      fieldDf[list[i + 1]!] = fieldDf[list[i + 1]!]! + 1;
      if (i === 0 || list[i] !== list[i - 3]) documents++;
    }
    const docsOf = new Int32Array(documents);
    const score = new Float32Array(documents);
    const mark = new Float32Array(documents);
    let at = -1;
    for (let i = 0; i < list.length; i += 3) {
      const doc = list[i]!;
      const field = list[i + 1]!;
      const tf = list[i + 2]!;
      if (i === 0 || doc !== list[i - 3]) docsOf[++at] = doc;
      const df = fieldDf[field]!;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const norm = 1 - B + (B * lengths[doc * fieldCount + field]!) / averageLength[field]!;
      score[at] = score[at]! + fieldWeight[field]! * idf * (DELTA + (tf * (K1 + 1)) / (tf + K1 * norm));
      if (fieldMark[field]! > mark[at]!) mark[at] = fieldMark[field]!;
    }
    const postings: Postings = { docs: docsOf, score, mark };
    if (documents > commonAbove) {
      postings.denseScore = new Float32Array(n);
      postings.denseMark = new Float32Array(n);
      for (let i = 0; i < documents; i++) {
        postings.denseScore[docsOf[i]!] = score[i]!;
        postings.denseMark[docsOf[i]!] = mark[i]!;
      }
    }
    vocabulary.set(term, postings);
    if (fuzzyLookup(term)) fuzzyVocabulary.set(term, true);
  }
  building.clear();

  return {
    size: docs.length,
    documentFrequency: (term) => vocabulary.get(term)?.docs.length ?? 0,
    isCommon: (term) => vocabulary.get(term)?.denseScore !== undefined,
    similar(term, maxDistance) {
      return [...fuzzyVocabulary.fuzzyGet(term, maxDistance).keys()].filter((key) => key !== term);
    },
    accumulate(term, weight, markScale, scores, marks, offset, touched) {
      const postings = vocabulary.get(term);
      if (!postings) return;
      const { docs: docsOf, score, mark } = postings;
      for (let i = 0; i < docsOf.length; i++) {
        const doc = docsOf[i]!;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + weight * score[i]!;
        const value = mark[i]! * markScale;
        if (value > marks[offset + doc]!) marks[offset + doc] = value;
      }
    },
    fill(term, weight, markScale, scores, marks, offset, touched) {
      const postings = vocabulary.get(term);
      const { denseScore, denseMark } = postings ?? {};
      if (!denseScore || !denseMark) return;
      for (const doc of touched) {
        scores[doc] = scores[doc]! + weight * denseScore[doc]!;
        const value = denseMark[doc]! * markScale;
        if (value > marks[offset + doc]!) marks[offset + doc] = value;
      }
    },
  };
}

/** A term repeated in a field it already left (rare: "đăng ký ... đăng ký"): count it there. */
function findAndCount(list: number[], doc: number, field: number): boolean {
  for (let i = list.length - 3; i >= 0 && list[i] === doc; i -= 3) {
    if (list[i + 1] === field) {
      list[i + 2] = list[i + 2]! + 1;
      return true;
    }
  }
  return false;
}
