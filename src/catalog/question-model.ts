/**
 * @module A small learned component of the finder: multinomial logistic regression (softmax)
 * from a question's terms to the catalog entry that answers it, or to "out of scope". It is
 * trained on the finder's first query (or at server start), from the labelled questions in
 * `content/questions/` and the entries' own names, aliases and keywords, so nothing is downloaded
 * and the model is always the one the content describes. Training is deterministic (a fixed
 * pseudo-random order), plain stochastic gradient descent with Adagrad steps.
 *
 * Why: a lexical finder knows the words of the catalog and of `synonyms.yaml`; citizens use many
 * more. A model trained on a few thousand labelled questions learns which everyday words go with
 * which entry, and which near-domain words (tax, banks, schools) go with none — on held-out sets it
 * ranked better and rejected more than the lexical finder alone (see `docs/finder.md`).
 */
import { createHash } from 'node:crypto';

/** One training example: a question's terms, and the entries that answer it ([] = out of scope). */
export interface TrainingExample {
  terms: readonly string[];
  ids: readonly string[];
}

export interface QuestionModel {
  /** The entries the model knows (those with at least one example). */
  readonly ids: ReadonlySet<string>;
  /**
   * Probabilities for a question's terms: `outside` is the probability that no entry answers it,
   * `entries` those of the entries, best first (only those of at least `floor`); `known` how
   * many of the terms the model learnt anything about (none: it has no evidence either way).
   */
  classify(terms: readonly string[], floor?: number): { outside: number; entries: { id: string; p: number }[]; known: number };
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Seed of the examples' order (another seed trains a slightly different model). */
  seed?: number;
}

const OUTSIDE = 0;
/** Models trained in this process, by a hash of their examples (training is deterministic). */
const trained = new Map<string, QuestionModel>();
const KEEP_TRAINED = 4;
/**
 * `trainQuestionModel`, or the model already trained from the same examples in this process: a
 * server, a CLI or a test that loads the same content twice trains once.
 */
export function questionModelFor(examples: readonly TrainingExample[]): QuestionModel {
  const key = createHash('sha256').update(JSON.stringify(examples)).digest('hex');
  let model = trained.get(key);
  if (!model) {
    model = trainQuestionModel(examples);
    if (trained.size >= KEEP_TRAINED) trained.delete(trained.keys().next().value!);
    trained.set(key, model);
  }
  return model;
}

/** Gradients smaller than this are not applied. */
const SKIP = 1e-3;

/** Trains a model on `examples`: 10 passes over them, each in its own fixed order. */
export function trainQuestionModel(examples: readonly TrainingExample[], options: TrainOptions = {}): QuestionModel {
  const epochs = options.epochs ?? 10;
  // Round 9: chosen on the held-out heldout8 set (0.3 / 1e-4 before; a larger step learns the
  // rarer everyday words, a stronger penalty keeps them from outweighing the catalog's own) and
  // checked with heldout7 held out of training.
  const learningRate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 2e-4;

  const classIds = ['', ...[...new Set(examples.flatMap((e) => e.ids))].sort()];
  const classOf = new Map(classIds.map((id, c) => [id, c]));
  const C = classIds.length;
  const featureOf = new Map<string, number>();
  const encoded = examples.map((e) => ({
    features: Int32Array.from(new Set(e.terms), (t) => {
      let f = featureOf.get(t);
      if (f === undefined) featureOf.set(t, (f = featureOf.size));
      return f;
    }),
    classes: e.ids.length === 0 ? [OUTSIDE] : e.ids.map((id) => classOf.get(id)!),
  }));
  const F = featureOf.size;
  const weights = new Float32Array(F * C);
  const squares = new Float32Array(F * C).fill(1e-8);
  const bias = new Float32Array(C);
  const biasSquares = new Float32Array(C).fill(1e-8);
  const z = new Float64Array(C);
  const gradient = new Float64Array(C);
  const activeClasses = new Int32Array(C);

  // Terms the model never saw count in the scale: a question of many unknown words is less sure.
  const softmax = (features: Int32Array | number[], termCount: number) => {
    const scale = 1 / Math.sqrt(Math.max(1, termCount));
    for (let c = 0; c < C; c++) z[c] = bias[c]!;
    for (const f of features) {
      const row = f * C;
      for (let c = 0; c < C; c++) z[c] = z[c]! + weights[row + c]! * scale;
    }
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (z[c]! > max) max = z[c]!;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += z[c] = Math.exp(z[c]! - max);
    for (let c = 0; c < C; c++) z[c] = z[c]! / sum;
    return scale;
  };

  // A fixed pseudo-random order per epoch (a linear congruential generator): the same content
  // always trains the same model.
  let seed = options.seed ?? 1;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const order = encoded.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      const { features, classes } = encoded[i]!;
      const scale = softmax(features, features.length);
      for (let c = 0; c < C; c++) gradient[c] = z[c]!;
      for (const c of classes) gradient[c] = gradient[c]! - 1 / classes.length;
      // Adagrad: each weight's step shrinks with the gradients it has seen.
      for (let c = 0; c < C; c++) {
        const g = gradient[c]!;
        biasSquares[c] = biasSquares[c]! + g * g;
        bias[c] = bias[c]! - (learningRate * g) / Math.sqrt(biasSquares[c]!);
      }
      // A class the example says almost nothing about is left alone (most of them, once the
      // model has learnt): only the others are updated, which keeps training near a second.
      let active = 0;
      for (let c = 0; c < C; c++) {
        const gc = gradient[c]!;
        if (gc >= SKIP || gc <= -SKIP) activeClasses[active++] = c;
      }
      for (const f of features) {
        const row = f * C;
        for (let a = 0; a < active; a++) {
          const c = activeClasses[a]!;
          const g = gradient[c]! * scale + l2 * weights[row + c]!;
          squares[row + c] = squares[row + c]! + g * g;
          weights[row + c] = weights[row + c]! - (learningRate * g) / Math.sqrt(squares[row + c]!);
        }
      }
    }
  }

  return {
    ids: new Set(classIds.slice(1)),
    classify(terms, floor = 0.01) {
      const features: number[] = [];
      const distinct = new Set(terms);
      for (const t of distinct) {
        const f = featureOf.get(t);
        if (f !== undefined) features.push(f);
      }
      softmax(features, distinct.size);
      const entries: { id: string; p: number }[] = [];
      for (let c = 1; c < C; c++) if (z[c]! >= floor) entries.push({ id: classIds[c]!, p: z[c]! });
      entries.sort((a, b) => b.p - a.p || (a.id < b.id ? -1 : 1));
      return { outside: z[OUTSIDE]!, entries, known: features.length };
    },
  };
}
