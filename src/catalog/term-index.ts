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

  // Pass 1: a number for every distinct term, and each occurrence's term number in order, so
  // the later passes need no string lookups (the expensive part of building).
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  let occurrences = 0;
  for (const fields of docs) for (let field = 0; field < fieldCount; field++) occurrences += fields[field]?.length ?? 0;
  const ids = new Int32Array(occurrences);
  let counts = new Int32Array(1024);
  let at = 0;
  for (let doc = 0; doc < docs.length; doc++) {
    for (let field = 0; field < fieldCount; field++) {
      const fieldTerms = docs[doc]![field] ?? [];
      lengths[doc * fieldCount + field] = fieldTerms.length;
      totalLength[field] = totalLength[field]! + fieldTerms.length;
      for (const term of fieldTerms) {
        let id = termIds.get(term);
        if (id === undefined) {
          id = terms.length;
          termIds.set(term, id);
          terms.push(term);
          if (id >= counts.length) {
            const grown = new Int32Array(counts.length * 2);
            grown.set(counts);
            counts = grown;
          }
        }
        counts[id] = counts[id]! + 1;
        ids[at++] = id;
      }
    }
  }

  // Pass 2: (document, field, term frequency) postings per term, in document order. All the
  // occurrences of one field come together, so a repeat is always the term's latest posting.
  const start = new Int32Array(terms.length + 1);
  for (let id = 0; id < terms.length; id++) start[id + 1] = start[id]! + counts[id]!;
  const used = new Int32Array(terms.length);
  const postDoc = new Int32Array(occurrences);
  const postField = new Uint8Array(occurrences);
  const postTf = new Int32Array(occurrences);
  at = 0;
  for (let doc = 0; doc < docs.length; doc++) {
    for (let field = 0; field < fieldCount; field++) {
      const length = docs[doc]![field]?.length ?? 0;
      for (let k = 0; k < length; k++) {
        const id = ids[at++]!;
        const last = start[id]! + used[id]! - 1;
        if (used[id]! > 0 && postDoc[last] === doc && postField[last] === field) postTf[last] = postTf[last]! + 1;
        else {
          const slot = start[id]! + used[id]!;
          postDoc[slot] = doc;
          postField[slot] = field;
          postTf[slot] = 1;
          used[id] = used[id]! + 1;
        }
      }
    }
  }

  // Pass 3: per term and document, the field-weighted BM25+ and the best field mark.
  const averageLength = Array.from(totalLength, (total) => Math.max(1, total / n));
  const commonAbove = Math.max(64, n / 16);
  // Exact lookups go to a Map; the radix tree for typo lookups holds only the terms worth it
  // (words, not the many word pairs), which keeps the build fast.
  const vocabulary = new Map<string, Postings>();
  const fuzzyVocabulary = new SearchableMap<true>();
  const fieldDf = new Float64Array(fieldCount);
  const idf = new Float64Array(fieldCount);
  const allDocs = new Int32Array(occurrences);
  const allScores = new Float32Array(occurrences);
  const allMarks = new Float32Array(occurrences);
  for (let id = 0; id < terms.length; id++) {
    const from = start[id]!;
    const to = from + used[id]!;
    fieldDf.fill(0);
    for (let i = from; i < to; i++) fieldDf[postField[i]!] = fieldDf[postField[i]!]! + 1;
    for (let field = 0; field < fieldCount; field++) idf[field] = Math.log(1 + (n - fieldDf[field]! + 0.5) / (fieldDf[field]! + 0.5));
    let documents = 0;
    for (let i = from; i < to; i++) {
      const doc = postDoc[i]!;
      const field = postField[i]!;
      const tf = postTf[i]!;
      if (i === from || doc !== postDoc[i - 1]) {
        allDocs[from + documents] = doc;
        documents++;
      }
      const slot = from + documents - 1;
      const norm = 1 - B + (B * lengths[doc * fieldCount + field]!) / averageLength[field]!;
      allScores[slot] = allScores[slot]! + fieldWeight[field]! * idf[field]! * (DELTA + (tf * (K1 + 1)) / (tf + K1 * norm));
      if (fieldMark[field]! > allMarks[slot]!) allMarks[slot] = fieldMark[field]!;
    }
    const postings: Postings = {
      docs: allDocs.subarray(from, from + documents),
      score: allScores.subarray(from, from + documents),
      mark: allMarks.subarray(from, from + documents),
    };
    if (documents > commonAbove) {
      postings.denseScore = new Float32Array(n);
      postings.denseMark = new Float32Array(n);
      for (let i = 0; i < documents; i++) {
        postings.denseScore[postings.docs[i]!] = postings.score[i]!;
        postings.denseMark[postings.docs[i]!] = postings.mark[i]!;
      }
    }
    const term = terms[id]!;
    vocabulary.set(term, postings);
    if (fuzzyLookup(term)) fuzzyVocabulary.set(term, true);
  }

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
