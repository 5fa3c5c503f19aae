import { beforeAll, describe, expect, it } from 'vitest';
import { englishWithVietnameseWords, looksEnglish, withoutLoanwordAccents } from '../../src/catalog/english-query.js';
import { createFinder } from '../../src/catalog/finder.js';
import { loadCatalog, type Catalog } from '../../src/catalog/load-catalog.js';
import type { Finder } from '../../src/catalog/types.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

// Issue 15: every English question failed; the finder now reads each entry's `en:` block.
const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });

describe('finder: English queries', () => {
  let finder: Finder;
  beforeAll(() => {
    finder = createFinder(catalog as Catalog);
  });
  const ids = (query: string) => finder.search(query, 3).map((r) => r.id);

  it.each([
    ['How can I get a birth certificate for my son?', ['khai-sinh', 'lien-thong-khai-sinh']],
    ['police clearance certificate', ['ly-lich-tu-phap']],
    ['renew my passport', ['ho-chieu']],
    // Round 2: everyday English for the entries' concepts ("paternity" failed before), and story
    // words left out of the core.
    ['my name is misspelled on my birth certificate', ['thay-doi-cai-chinh-ho-tich']],
    ['renovate my house, do I need a permit', ['giay-phep-xay-dung']],
    ['number plate for my new motorbike', ['dang-ky-xe']],
    ['we live in a rented room, register our stay', ['tam-tru']],
    ['my grandmother is elderly and has no pension', ['tro-cap-huu-tri-xa-hoi']],
    ['my husband passed away last week, what do I do', ['khai-tu', 'lien-thong-khai-tu']],
    ['paternity test to put father on birth certificate', ['nhan-cha-me-con']],
  ])('%s → %s', (query, accepted) => {
    expect(accepted).toContain(ids(query)[0]);
  });

  // Round 3: a French loanword ("fiancé") sent the question to the Vietnamese index; filler
  // between words broke their pairs ("copy of a diploma"); story words the catalog never has
  // ("nephew", "accident") outweighed the request.
  it.each([
    ['My fiancé and I are both Vietnamese, how do we register our marriage?', ['ket-hon', 'ket-hon-nuoc-ngoai']],
    ['Can the ward certify a copy of a diploma issued abroad?', ['chung-thuc-ban-sao']],
    ['My brother died in an accident and left a young son. How do I become his legal guardian?', ['giam-ho']],
    ['we had twins at a private clinic, how do we get their birth certificates?', ['khai-sinh', 'lien-thong-khai-sinh']],
    ['a fallen tree is blocking the lane behind our house', ['phan-anh-kien-nghi']],
  ])('round 3: %s → %s', (query, accepted) => {
    expect(accepted).toContain(ids(query)[0]);
  });

  it.each([
    ['Which hospitals accept international health insurance?'],
    ['can I withdraw my social insurance as a lump sum?'],
    ['where can I exchange US dollars?'],
    // Round 10: topics the catalog does not hold, asked in words the English list did not have.
    ['Which bank lets a foreign resident open an account with just a passport?'],
    ['My husband is French; what does he need to become a Vietnamese citizen?'],
    ['My Vietnamese husband and I want to end our marriage by mutual consent. Where do we file?'],
    // heldout12: "divorced" stems apart from "divorce"; a foreign passport; a marriage abroad.
    ['My Vietnamese wife and I want to get divorced. Where do we file?'],
    ['How do I renew my Australian passport while living in Hanoi?'],
    ['We married in Korea. How do we get that marriage recorded in Vietnam?'],
  ])('rounds 3 and 10: "%s" is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });

  // Round 10: an English question the English finder refused for a topic the catalog does not
  // hold was asked again in Vietnamese, where an entry's English keyword ("passport") took it:
  // "How do I renew my Vietnamese passport at the consulate in Paris?" got the passport entry.
  // Every entry's English aliases of up to three words, asked at a consulate or embassy abroad,
  // find nothing (a longer story naming the embassy is left to the question model: "the embassy
  // asks for my single status certificate" is in scope).
  const shortAliases = (catalog as Catalog).entries.flatMap((e) => (e.en?.aliases ?? []).filter((a) => a.split(/\s+/).length <= 3).map((alias) => [alias, e.id]));
  it.each(shortAliases)(
    '"%s" (%s) at a consulate or embassy abroad is out of scope',
    (alias) => {
      expect(ids(`How do I ${alias} at the consulate in Paris?`)).toEqual([]);
      expect(ids(`${alias} at the embassy in London`)).toEqual([]);
    },
  );


  it('round 10: a foreign passport named in passing leaves a marriage question in scope', () => {
    expect(ids('My husband has an Australian passport; how do we register our marriage?')[0]).toBe('ket-hon-nuoc-ngoai');
  });

  // Round 14 (heldout16): "a Viet Kieu with a German passport wants to marry a man from Hue" was
  // refused for "German passport", an outside topic since round 10; renewing or replacing the
  // foreign passport stays out of scope.
  const nationalities = ['British', 'American', 'Korean', 'Japanese', 'Chinese', 'Australian', 'French', 'Canadian', 'German', 'Taiwanese', 'Thai', 'Singaporean', 'Indian'];
  it.each(nationalities.map((n) => [n]))('a %s passport in a marriage question is the marriage with a foreigner, and renewing it is out of scope', (n) => {
    expect(ids(`My sister is Viet Kieu with a ${n} passport and wants to marry a man from Hue. Which procedure is that?`)[0]).toBe('ket-hon-nuoc-ngoai');
    expect(ids(`How do I renew my ${n} passport while living here?`)).toEqual([]);
    expect(ids(`I lost my ${n} passport, where do I get a new one?`)).toEqual([]);
  });

  // Round 14 (heldout10–16): money for a funeral went first to the allowance the deceased had
  // received, and paying a fee online to the filing guide.
  it.each([
    // The combined death service holds the funeral allowance too.
    ['My father-in-law received a monthly social allowance and died last week. Is there funeral money for the family?', ['ho-tro-mai-tang', 'lien-thong-khai-tu']],
    ['my aunt was on a social allowance and passed away, can we get money for the funeral', ['ho-tro-mai-tang', 'lien-thong-khai-tu']],
    ['How do I pay the fee online for my application on the public service portal?', ['thanh-toan-truc-tuyen']],
    ['can I pay the fees online when I file on the portal', ['thanh-toan-truc-tuyen']],
  ])('%s → %j first', (query, accepted) => {
    expect(accepted).toContain(ids(query)[0]);
  });

  // Round 15 (heldout17): "citizenship" named which nationality the citizen holds, and the
  // question was refused as one about acquiring it; acquiring, restoring or giving it up stays out.
  it.each([
    ['Our daughter holds Vietnamese citizenship and turns 14 next month. Does she need a căn cước now?', 'can-cuoc'],
    ['I still have Vietnamese citizenship and live abroad; my son turns 17, must he register for military service?', 'nghia-vu-quan-su'],
  ])('%s → %s first', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });
  it.each([['How do I apply for Vietnamese citizenship after eight years here?'], ['My mother wants to regain Vietnamese nationality, where does she apply?'], ['How can I give up my Vietnamese nationality?']])('"%s" is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });

  // Round 15 (heldout17): giving land to a child was refused (the first land title drew it).
  it.each([['My Vietnamese wife wants to give her plot of land to our son. What is the procedure?'], ['my father wants to give the land to my brother']])('%s → a land transfer first', (query) => {
    expect(['bien-dong-dat-dai', 'chung-thuc-hop-dong']).toContain(ids(query)[0]);
  });

  // Round 15 (heldout17): a refund of care costs, a passport lost abroad.
  it.each([['Can I get reimbursement from my health insurance for a hospital bill?'], ['My husband lost his Vietnamese passport while visiting Japan, what now?']])('"%s" is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });

  // Round 14: "stolen" was an outside topic, so a stolen card or passport, which an entry
  // replaces, was refused; a stolen phone or motorbike stays out of scope.
  it.each([
    ['ID card', 'can-cuoc'],
    ['căn cước', 'can-cuoc'],
    ['Vietnamese passport', 'ho-chieu'],
    ['health insurance card', 'bhyt'],
    ['driving licence', 'doi-bang-lai'],
  ])('my wife\'s %s was stolen → %s first', (thing, id) => {
    expect(ids(`my wife's ${thing} was stolen at the market yesterday, how does she get a new one`)[0]).toBe(id);
  });
  it.each([['my motorbike was stolen last night, what do I do'], ['my phone was stolen on the bus'], ['how do I report the theft of my wallet']])('"%s" is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });

  // Round 14: paying a fee online with a bank card is the online payment entry's ("bank card"
  // was a beyond topic); a lost or new bank card stays out of scope.
  // The combined services' names (twenty words) are most of such a question: they stay first.
  it.each((catalog as Catalog).entries.filter((e) => e.kind === 'procedure' && e.en?.name && !/^Combined/.test(e.en.name)).map((e) => [e.en!.name!]))('paying the fee for "%s" online with a bank card is the online payment', (name) => {
    expect(ids(`can I pay the fee for ${name.toLowerCase()} online with a bank card?`)).toContain('thanh-toan-truc-tuyen');
  });
  it.each([['I lost my bank card'], ['How do I get a new bank card?'], ['my bank card was stolen yesterday']])('"%s" is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });

  it.each((catalog as Catalog).entries.filter((e) => e.en?.name).map((e) => [e.en!.name!, e.id]))(
    'the English name "%s" finds %s among the first three',
    (name, id) => {
      expect(ids(name)).toContain(id);
    },
  );

  // Round 11: an English question carrying a Vietnamese word ("move his hộ khẩu", "certified at
  // the phường", an address) has Vietnamese letters, so only the Vietnamese finder read it.
  it.each((catalog as Catalog).entries.filter((e) => e.en?.name).map((e) => [e.en!.name!, e.id]))(
    'the English name "%s", asked by a resident of phường Tam Thắng, finds %s among the first three',
    (name, id) => {
      expect(ids(`We live in phường Tam Thắng. What do we do for this: ${name}?`)).toContain(id);
    },
  );

  // Round 13: "in Ho Chi Minh City" broke an English question: its "Ho" met the "hộ" of the
  // English entries' bracketed Vietnamese ("(hộ chiếu)"), and the marriage with a foreigner was
  // not among the first three.
  it.each((catalog as Catalog).entries.filter((e) => e.en?.name).map((e) => [e.en!.name!, e.id]))(
    'the English name "%s", asked in Ho Chi Minh City, finds %s among the first three',
    (name, id) => {
      expect(ids(`How long does this take in Ho Chi Minh City: ${name}?`)).toContain(id);
    },
  );

  it('answers with the Vietnamese name of the entry, as for a Vietnamese query', () => {
    const [best] = finder.search('renew my passport');
    expect(best?.name).toBe((catalog as Catalog).byId.get('ho-chieu')?.name);
  });

  it('still rejects English small talk and things the catalog does not hold', () => {
    expect(ids('what is the weather like tomorrow')).toEqual([]);
    expect(ids('best pho restaurant near me')).toEqual([]);
  });

  it.each([
    ['renew my passport', true],
    ['police clearance certificate', true],
    ['dang ky khai sinh cho con', false],
    ['lam lai the can cuoc', false],
    ['làm hộ chiếu', false],
    ['cccd bi mat', false],
    ['my fiancé lives in Hanoi', false],
    ['bé nhà tôi mới sinh', false],
  ])('"%s" reads as English: %s', (query, english) => {
    expect(looksEnglish(query, new Set(['cccd']))).toBe(english);
  });

  it.each([
    ['How does my husband move his hộ khẩu to our new house?', 'How does my husband move his ho khau to our new house?'],
    ['Can the sale contract be certified at the phường?', 'Can the sale contract be certified at the phuong?'],
    ['cho em hoi lam cccd o dau ạ', undefined],
    ['làm hộ chiếu cho con ở đâu', undefined],
    ['lost my sổ đỏ', undefined],
  ])('"%s" is read as English with its Vietnamese words plain: %s', (query, read) => {
    expect(englishWithVietnameseWords(query, new Set(['cccd']))).toBe(read);
  });

  it.each([
    ['my fiancé lives in Hanoi', 'my fiance lives in Hanoi'],
    ['Café near the ward office', 'Cafe near the ward office'],
    ['bé nhà tôi mới sinh', 'bé nhà tôi mới sinh'],
    ['mẹ tôi mất', 'mẹ tôi mất'],
  ])('"%s" is read as "%s"', (query, read) => {
    expect(withoutLoanwordAccents(query, new Set())).toBe(read);
  });
});
