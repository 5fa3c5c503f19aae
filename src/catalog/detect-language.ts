/**
 * @module Tells a clearly English message from Vietnamese, including Vietnamese typed without
 * accents ("dang ky khai sinh", "lam the can cuoc"). A word counts as Vietnamese when it is a
 * well-formed Vietnamese syllable once tone marks are folded (onset + rhyme, with the spelling
 * rules: "ghe" not "ge", "ke" not "ce") and is not a common English word; it counts as English
 * when it is a known English word (a short list below, plus the words of the catalog's English
 * names, summaries, aliases and keywords) and cannot be a Vietnamese syllable. Words that can be
 * both ("the" = thẻ, "can" = cần, "my" = Mỹ, "son" = sơn), loanwords and greetings Vietnamese
 * chats use ("ok", "online", "hello") and unknown abbreviations ("dkks", "cccd") count for
 * neither; an unknown word that reads as English ("employer": see `looksLikeEnglishWord`) counts
 * as English in a message of three words or more; Telex the keyboard did not convert ("caan
 * cuwowcs") counts as Vietnamese, and so does each run of words with a Vietnamese mark, as one
 * word (an English question carrying "lý lịch tư pháp" stays English), and each catalog term of
 * two syllables or more typed plain ("declare tam vang online", round 14). English needs at least two
 * English words and more English than Vietnamese ones, or one English word alone ("passport").
 */
import { VIETNAMESE_LETTER } from './english-query.js';
import { foldText } from './normalise-vietnamese.js';
import type { CatalogEntry } from './types.js';

export type DetectedLanguage = 'en' | 'vi' | 'unknown';

/** Common English words citizens write in questions (function words, verbs, family, papers). */
const ENGLISH_WORDS = `a about after again age ago all also am an and another any apply applying application are as ask at away
back be because been before being best both but by can cannot card certificate certified change child children city copy copies
could country daughter day days did do does doing done dont down each else english even every family father fee fees file filing
find for form found free from get gets getting give given go going good got had has have having he hello help her here hi him his
home house how husband i id if in into is it its just keep know last like live lived living long look lost make many marriage married
may me mine missing more most mother much must my name need needed needs new next no not now number of off office official old on
once one online only or other our out over own paper papers parent parents passport people person please police proof public
question really register registered registering registration renew replace request required residence resident right same say see
send service services she should show since so some someone son still submit such take tell than thank thanks that the their them
then there these they thing this those through time to today too under until up us use used very want wanted wants was way we
week well were what when where which while who whom whose why wife will with without work would year years yes yesterday you your
apartment born birth baby bank benefit building business certificate citizen citizenship commune company death died divorce document
documents driver driving electronic emergency foreign foreigner grandfather grandmother health household identity insurance land
landlord licence license live lose loan married newborn notarise notarize notary permit pension poor portal procedure procedures
property rent rented rental sign signature status stolen student temporary tenant visa ward
able accept account address adult afternoon against already always apartment around arrive asked bad before begin bill bike book
born boy bring brother buy call called car cash cat cheap check close closed cost costs dear different doctor dog drink drive early
easy eat enough evening ever example expired far fast few fill find fine first flat flight flights forgot friend full gave girl
great happy hard hear hire hold hospital hour hours idea important job kid kids kind late later leave left legal legally less let
life little lunch man marry mean month months morning move moved moving near never night nothing often open order others page pay
paid pet phone place plan possible price problem quick read ready receive reason remember safe school sell sent should sister small
soon sorry speak start started stay step stop sure talk teacher than tomorrow train travel tried try trying understand wait water
weather went wrong young electricity utility utilities`.split(/\s+/);

/** Loanwords Vietnamese chats use as they are: neither language. */
const SHARED = new Set(['ok', 'oke', 'okay', 'menu', 'online', 'email', 'zalo', 'app', 'web', 'sms', 'otp', 'vneid', 'photo', 'alo', 'visa', 'hello', 'hi', 'bye', 'thanks', 'thank', 'help', 'sorry', 'test']);

const ONSET = '(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?';
const RHYMES = [
  'a', 'ac', 'ach', 'ai', 'am', 'an', 'ang', 'anh', 'ao', 'ap', 'at', 'au', 'ay',
  'e', 'ec', 'ech', 'em', 'en', 'eng', 'enh', 'eo', 'ep', 'et', 'eu',
  'i', 'ia', 'ich', 'iec', 'iem', 'ien', 'ieng', 'iep', 'iet', 'ieu', 'im', 'in', 'inh', 'ip', 'it', 'iu',
  'o', 'oa', 'oac', 'oach', 'oai', 'oam', 'oan', 'oang', 'oanh', 'oao', 'oap', 'oat', 'oay', 'oc', 'oe', 'oen', 'oeo', 'oet', 'oi', 'om', 'on', 'ong', 'ooc', 'oong', 'op', 'ot',
  'u', 'ua', 'uan', 'uang', 'uat', 'uay', 'uc', 'ue', 'uech', 'uenh', 'ui', 'um', 'un', 'ung', 'uoc', 'uoi', 'uom', 'uon', 'uong', 'uop', 'uot', 'uou', 'up', 'ut', 'uu',
  'uy', 'uya', 'uych', 'uyen', 'uyet', 'uynh', 'uyt', 'uyu',
  'y', 'yen', 'yet', 'yeu',
];
const SYLLABLE = new RegExp(`^(${ONSET})(${RHYMES.join('|')})$`);

/** Whether a lower-case ASCII word is a well-formed Vietnamese syllable with its marks folded. */
export function isVietnameseSyllable(word: string): boolean {
  const m = SYLLABLE.exec(word);
  if (!m) return false;
  const onset = m[1] as string;
  const rhyme = m[2] as string;
  const front = /^[eiy]/.test(rhyme);
  // Spelling rules: k, gh, ngh before e/ê/i (y); c, g, ng never there ("gi" is its own onset).
  if ((onset === 'c' || onset === 'g' || onset === 'ng') && front) return false;
  if ((onset === 'k' || onset === 'gh' || onset === 'ngh') && !front) return false;
  if (onset === 'qu' && /^u/.test(rhyme)) return false;
  if (onset === 'gi' && /^i/.test(rhyme) && rhyme.length > 1 && !/^i[acemnpotu]/.test(rhyme)) return false;
  return true;
}

export interface LanguageDetector {
  detect(text: string): DetectedLanguage;
}

/** A detector whose English words are the list above plus the catalog entries' English words. */
export function createLanguageDetector(entries: readonly CatalogEntry[] = []): LanguageDetector {
  const english = new Set(ENGLISH_WORDS);
  for (const entry of entries) {
    const en = entry.en;
    for (const text of [en?.name, en?.summary, ...(en?.aliases ?? []), ...(en?.keywords ?? [])]) {
      for (const word of wordsOf(text ?? '')) if (word.length >= 3 && !isVietnameseSyllable(word)) english.add(word);
    }
  }
  for (const word of SHARED) english.delete(word);
  // The catalog's Vietnamese terms of two syllables or more, folded ("tam vang", "bang lai xe"):
  // typed plain in an English sentence, each is one term, as a marked run is.
  const terms = new Set<string>();
  let longest = 0;
  for (const entry of entries) {
    for (const term of [entry.name, ...entry.keywords]) {
      const folded = foldText(term).split(' ').filter(Boolean);
      if (folded.length < 2 || !folded.every(isVietnameseSyllable)) continue;
      terms.add(folded.join(' '));
      longest = Math.max(longest, folded.length);
    }
  }
  /** How many plain words from `i` are a catalog term (the longest), or 0. */
  const termAt = (words: readonly string[], i: number): number => {
    for (let length = Math.min(longest, words.length - i); length >= 2; length--) {
      const run = words.slice(i, i + length);
      if (run.some((w) => VIETNAMESE_LETTER.test(w))) continue;
      if (terms.has(foldText(run.join(' ')))) return length;
    }
    return 0;
  };
  return {
    detect(text) {
      let en = 0;
      let vi = 0;
      // Unknown words that read as English count only in a sentence: "tiktok" alone is a name.
      let guessed = 0;
      // A web address is in no language ("trên dichvucong.gov.vn").
      const words = wordsOf(withoutNames(text.replace(WEB_ADDRESS, ' ')));
      // Words with Vietnamese marks in a row are one term in an English sentence ("how to get
      // lý lịch tư pháp number 1 through VNeID"), and one Vietnamese word in a Vietnamese one.
      let marked = false;
      let runs = 0;
      let plain = 0;
      for (let i = 0; i < words.length; i++) {
        const word = words[i]!;
        const term = termAt(words, i);
        if (term > 0) {
          vi += 1;
          runs += 1;
          plain += term;
          marked = false;
          i += term - 1;
          continue;
        }
        const mark = VIETNAMESE_LETTER.test(word);
        if (mark && !marked) {
          vi += 1;
          runs += 1;
        }
        marked = mark;
        if (mark) continue;
        plain += 1;
        if (SHARED.has(word)) continue;
        const known = english.has(word);
        const syllable = isVietnameseSyllable(word) || (!known && isTelexSyllable(word));
        if (known && !syllable) en += 1;
        else if (syllable && !known) vi += 1;
        else if (!known && looksLikeEnglishWord(word)) guessed += 1;
      }
      if (words.length >= 3) en += guessed;
      if (en >= 2 && en > vi) return 'en';
      if (en === 1 && vi === 0) return 'en';
      // One Vietnamese term, and three other words or more, none of them Vietnamese, one English
      // ("lý lịch tư pháp No. 2 online through VNeID").
      if (en >= 1 && vi === 1 && runs === 1 && plain >= 3) return 'en';
      return vi > 0 ? 'vi' : 'unknown';
    },
  };
}

/**
 * A syllable typed in Telex that the keyboard did not turn into letters ("cuwowcs" = cước,
 * "ddawng" = đăng, "nguwowif" = người): a vowel doubled or followed by w, or "dd", and perhaps a
 * tone letter at the end, spelling a Vietnamese syllable once read.
 */
export function isTelexSyllable(word: string): boolean {
  if (!/dd|aa|ee|oo|aw|ow|uw/.test(word)) return false;
  const toneless = /^[a-z]{2,}[sfrxj]$/.test(word) ? word.slice(0, -1) : word;
  const read = toneless.replace(/dd/g, 'd').replace(/aa|aw/g, 'a').replace(/ee/g, 'e').replace(/oo|ow/g, 'o').replace(/uw/g, 'u');
  return read !== toneless && isVietnameseSyllable(read);
}

/**
 * A word on no list that still reads as English ("employer", "overtime"): five letters or more,
 * two vowel groups or more, and neither one Vietnamese syllable nor two typed together
 * ("khaisinh"); abbreviations ("cccd", "gplx") have too few vowels.
 */
function looksLikeEnglishWord(word: string): boolean {
  if (word.length < 5 || !/^[a-z]+$/.test(word) || (word.match(/[aeiouy]+/g)?.length ?? 0) < 2) return false;
  if (isVietnameseSyllable(word) || isTelexSyllable(word)) return false;
  for (let i = 1; i < word.length; i++) if (isVietnameseSyllable(word.slice(0, i)) && isVietnameseSyllable(word.slice(i))) return false;
  return true;
}

/**
 * The text without the names in it: a capitalised word inside a sentence ("in Ho Chi Minh City",
 * "sống ở Đà Nẵng") names a place or a person and says nothing of the language it is written in.
 * A sentence's first word, and words in capitals ("DANG KY"), are kept.
 */
function withoutNames(text: string): string {
  return text.normalize('NFC').replace(/(?<=[^\s.!?:;([]\s+)\p{Lu}\p{Ll}+/gu, '');
}

const WEB_ADDRESS = /\b(?:https?:\/\/)?[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|io)\b\S*/gi;

function wordsOf(text: string): string[] {
  return text.toLowerCase().normalize('NFC').split(/[^a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]+/).filter(Boolean);
}
