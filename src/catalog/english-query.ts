/**
 * @module English for the finder: whether a query is English, a light suffix stemmer (so
 * "certificates", "registering" and "registered" meet "certificate" and "register"), the filler
 * words of an English question, and a few everyday words mapped to the catalog's English. The
 * finder indexes every entry's `en:` block with these (see `finder.ts`).
 */
import type { Synonyms } from './text-analyser.js';

/** Function words and question frame: they say nothing about which procedure is meant. */
const FILLER = `a an the i i'm im me my mine we our us you your he him his she her they them their it its this that these those
there here what whats what's which who whom whose where when why how
is are am was were be been being do does did done doing have has had having can could would should shall may might must
want wants wanted need needs needed like please pls hello hi hey dear sir madam thanks thank help know tell ask
to of in on at by with from for about into onto over under after before between during without within as than then
and or but so if also just still now already yet again very really much many some any all every each other another
get got getting obtain make made go going come take took give gave
m s t d ll ve re don doesn didn isn aren wasn can't cannot won
one two thing things way ways someone somebody anyone anything something
vietnam vietnamese viet nam office ward commune
mother mom mum father dad parent parents grandmother grandma grandfather grandpa sister brother uncle aunt friend friends family
wife husband girlfriend boyfriend partner neighbour neighbor landlord myself yourself
today yesterday tomorrow week weeks month months year years ago old last next soon recently already
bring cost costs fee fees price long time take takes quickly fast possible able allowed okay ok
step steps procedure procedures process documents document papers paper need required requirement requirements
forgot forget forgotten still say says said just every both always never ever anymore keep keeps kept
problem problems issue question wondering wonder try trying tried unable severely severe seriously
rain raining alley street road area`;

/** Everyday English → the catalog's English, added to what the citizen typed. */
const PHRASES: Record<string, string[]> = {
  baby: ['birth', 'child'],
  newborn: ['birth', 'child'],
  born: ['birth'],
  son: ['child'],
  daughter: ['child'],
  kid: ['child'],
  wedding: ['marriage'],
  marry: ['marriage'],
  married: ['marriage'],
  died: ['death'],
  dead: ['death'],
  'passed away': ['death'],
  funeral: ['burial', 'death'],
  'red book': ['land use right certificate'],
  'pink book': ['land use right certificate'],
  'land title': ['land use right certificate'],
  'id card': ['identity card'],
  'identity card': ['citizen identity card'],
  'driving licence': ['driving license'],
  'driver license': ['driving license'],
  "driver's license": ['driving license'],
  'drivers license': ['driving license'],
  licence: ['license'],
  motorbike: ['vehicle', 'motorcycle'],
  scooter: ['vehicle', 'motorcycle'],
  car: ['vehicle'],
  flat: ['apartment', 'residence'],
  jobless: ['unemployment'],
  'lost my job': ['unemployment'],
  'laid off': ['unemployment'],
  notarize: ['certify'],
  notarized: ['certify'],
  notarise: ['certify'],
  photocopy: ['copy'],
  army: ['military service'],
  shop: ['household business'],
  company: ['enterprise', 'business'],
  poor: ['poor household'],
  disabled: ['disability'],
  complain: ['complaint', 'feedback'],
  track: ['status', 'application'],
  password: ['account', 'login'],
  'log in': ['login', 'account'],
  app: ['vneid'],
  'gave birth': ['birth'],
  'give birth': ['birth'],
  pension: ['retirement'],
  paid: ['payment'],
  unpaid: ['payment'],
  submitted: ['application', 'status'],
  british: ['foreigner', 'foreign'],
  american: ['foreigner', 'foreign'],
  korean: ['foreigner', 'foreign'],
  japanese: ['foreigner', 'foreign'],
  chinese: ['foreigner', 'foreign'],
  australian: ['foreigner', 'foreign'],
  french: ['foreigner', 'foreign'],
  foreigner: ['foreign'],
  flooding: ['report', 'feedback'],
  flood: ['report', 'feedback'],
  pothole: ['report', 'feedback'],
  garbage: ['report', 'feedback'],
  streetlight: ['report', 'feedback'],
  allowance: ['benefit', 'support'],
  // Everyday words for each entry's concept, in the catalog's English.
  spouse: ['marriage'],
  wed: ['marriage'],
  deceased: ['death'],
  'passed on': ['death'],
  burial: ['funeral'],
  cremation: ['funeral'],
  'household book': ['household registration', 'permanent residence'],
  'ho khau': ['household registration', 'permanent residence'],
  tenant: ['temporary residence'],
  'rented room': ['temporary residence'],
  'boarding house': ['temporary residence'],
  dormitory: ['temporary residence'],
  'move house': ['permanent residence'],
  'moving house': ['permanent residence'],
  'police clearance': ['criminal record certificate'],
  'police check': ['criminal record certificate'],
  'background check': ['criminal record certificate'],
  'clean record': ['criminal record certificate'],
  conscription: ['military service'],
  'number plate': ['vehicle registration'],
  'licence plate': ['vehicle registration'],
  'license plate': ['vehicle registration'],
  renovate: ['building permit'],
  renovation: ['building permit'],
  'build a house': ['building permit'],
  'extra floor': ['building permit'],
  'small business': ['household business'],
  'food stall': ['household business'],
  'start a company': ['company registration'],
  'set up a company': ['company registration'],
  typo: ['correction'],
  misspelled: ['correction'],
  misspelt: ['correction'],
  paternity: ['recognition of father'],
  'medical insurance': ['health insurance'],
  'health card': ['health insurance card'],
  'where is my application': ['status', 'application'],
  'e-wallet': ['payment'],
  'bank transfer': ['payment'],
  orphan: ['guardianship'],
  'look after': ['guardianship'],
};

/** Topics near the catalog's that it does not hold (see `synonyms.yaml` `outside:`). */
const OUTSIDE = [
  'visa', 'visa extension', 'work permit', 'temporary residence card', 'permanent residence card', 'residence card for foreigners',
  'bank account', 'open a bank account', 'credit card', 'loan interest', 'mortgage rate', 'exchange rate',
  'tax code', 'tax return', 'income tax', 'pay tax', 'tax refund',
  'divorce', 'adoption', 'adopt a child', 'lawyer', 'court', 'sue',
  'embassy', 'consulate', 'consular legalisation', 'consular legalization', 'legalize', 'legalise', 'translation', 'sworn translation',
  'international driving permit', 'foreign driving license', 'foreign driving licence', 'foreign license', 'foreign licence',
  'born abroad', 'born overseas', 'foreign birth certificate', 'record the birth', 'record a birth', 'divorce abroad', 'driving test', 'driving school', 'learn to drive',
  'school enrolment', 'school enrollment', 'tuition', 'university', 'diploma', 'transcript',
  'vaccination', 'vaccine', 'hospital appointment', 'doctor', 'covid test',
  'police report', 'stolen', 'theft', 'scam', 'fine for speeding', 'traffic fine',
  'electricity bill', 'water bill', 'internet', 'sim card', 'phone number',
  'pension payment', 'maternity', 'social insurance lump sum', 'one-time social insurance',
  'citizenship', 'naturalisation', 'naturalization', 'nationality',
  'weather', 'restaurant', 'hotel', 'flight', 'taxi', 'grab', 'football', 'lottery',
];

/** Questions on an entry's ground that it does not answer (see `synonyms.yaml` `beyond:`). */
const BEYOND = [
  'international health insurance', 'private health insurance', 'travel insurance', 'expat insurance',
  'international driving permit', 'international driving licence', 'international driving license',
  'lump sum', 'withdraw my social insurance', 'withdraw social insurance',
  'postpone military service', 'defer military service', 'military service deferment',
  'student card', 'library card', 'bank card', 'atm card', 'credit card', 'sim card',
];

const FILLER_WORDS = FILLER.split(/\s+/).filter(Boolean);
const FILLER_SET = new Set(FILLER_WORDS);

/** Vietnamese letters that English never has (tones, vowel marks, đ). */
export const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

/**
 * A syllable Vietnamese can spell, typed without accents: an initial consonant (cluster), one to
 * three vowels and one of the eight finals. "police", "renew", "birth" are not; "son", "my" are.
 */
const VIETNAMESE_SHAPE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$/;

/**
 * Whether a query reads as English: no Vietnamese letter, and at least half of its words (of
 * those that are not the catalog's abbreviations, "cccd", "gplx") are English filler or cannot
 * be a Vietnamese syllable.
 */
export function looksEnglish(query: string, abbreviations: ReadonlySet<string>): boolean {
  if (VIETNAMESE_LETTER.test(query)) return false;
  return englishShare(query, abbreviations);
}

function englishShare(query: string, abbreviations: ReadonlySet<string>): boolean {
  const words = (query.toLowerCase().match(/[a-z']+/g) ?? []).filter((w) => !abbreviations.has(w));
  if (words.length === 0) return false;
  let english = 0;
  for (const w of words) if (FILLER_SET.has(w) || !VIETNAMESE_SHAPE.test(w.replace(/'/g, ''))) english++;
  return english * 2 >= words.length;
}

/** Letters French loanwords bring into English ("fiancé", "café", "résumé"). */
const FRENCH_ACCENT = /[éèêëïîàâç]/gi;
const FRENCH_PLAIN: Record<string, string> = { é: 'e', è: 'e', ê: 'e', ë: 'e', ï: 'i', î: 'i', à: 'a', â: 'a', ç: 'c' };

/**
 * An English query that carries a French loanword ("my fiancé and I…") has a Vietnamese-looking
 * letter, which would send it to the Vietnamese index. When at most one word in six has such a
 * letter, every such letter is French, and the rest reads as English, the query is returned with
 * those letters plain; otherwise it is returned as it is.
 */
export function withoutLoanwordAccents(query: string, abbreviations: ReadonlySet<string>): string {
  if (!VIETNAMESE_LETTER.test(query)) return query;
  const words = query.split(/\s+/).filter(Boolean);
  const marked = words.filter((w) => VIETNAMESE_LETTER.test(w));
  if (words.length < 4 || marked.length * 6 > words.length) return query;
  if (marked.some((w) => VIETNAMESE_LETTER.test(w.replace(FRENCH_ACCENT, '')))) return query;
  const plain = query.replace(FRENCH_ACCENT, (c) => {
    const p = FRENCH_PLAIN[c.toLowerCase()] ?? c;
    return c === c.toLowerCase() ? p : p.toUpperCase();
  });
  return englishShare(plain, abbreviations) ? plain : query;
}

/** A light English stemmer: plural, -ing, -ed, -ies and possessive endings. */
export function stemEnglish(word: string): string {
  let w = word.toLowerCase().replace(/'s$|s'$/, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ied') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length >= 6) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length >= 5) w = w.slice(0, -2);
  else if (w.endsWith('es') && /(ch|sh|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // "registr-ation" stays; "certified"/"certify", "married"/"marry" meet through the -ied rule.
  return w;
}

const stems = new Map<string, string>();
const stemCached = (word: string) => {
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = stemEnglish(word);
    // Bounded: citizens' queries must not grow the cache without limit.
    if (stems.size < 100_000) stems.set(word, stem);
  }
  return stem;
};

/** English text with every word stemmed, punctuation kept (it separates word pairs). */
export function stemEnglishText(text: string): string {
  return text.replace(/[A-Za-z]+(?:'[A-Za-z]+)?/g, stemCached);
}

/** The synonyms the English finder uses, stemmed like the text they meet. */
export function englishSynonyms(): Synonyms {
  const phrases: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(PHRASES)) phrases[stemEnglishText(k)] = v.map(stemEnglishText);
  return {
    abbreviations: {},
    phrases,
    stopwords: [...new Set(FILLER_WORDS.map(stemEnglishText))],
    weak: [],
    outside: { english: OUTSIDE.map(stemEnglishText) },
    beyond: { english: BEYOND.map(stemEnglishText) },
  };
}
