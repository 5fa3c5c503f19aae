import { describe, expect, it } from 'vitest';
import { accentKey, foldSyllable, foldText, segmentSyllables } from '../../src/catalog/normalise-vietnamese.js';
import { createTextAnalyser } from '../../src/catalog/text-analyser.js';

describe('foldSyllable', () => {
  it('drops tones and vowel marks and maps đ to d, whatever the Unicode form', () => {
    expect(foldSyllable('Đăng')).toBe('dang');
    expect(foldSyllable('hồ')).toBe('ho');
    expect(foldSyllable('ho\u0302\u0300')).toBe('ho'); // NFD "hồ"
    expect(foldSyllable('THƯỜNG')).toBe('thuong');
  });

  it('unifies y and i after a consonant (kí/ký, lí/lý, quí/quý) but keeps lone y and uy', () => {
    expect(foldSyllable('ký')).toBe(foldSyllable('kí'));
    expect(foldSyllable('lý')).toBe('li');
    expect(foldSyllable('quý')).toBe(foldSyllable('quí'));
    expect(foldSyllable('y')).toBe('y');
    expect(foldSyllable('thuỷ')).toBe('thuy');
  });

  it('repairs a Telex "dd" typed for đ', () => {
    expect(foldSyllable('ddang')).toBe('dang');
  });
});

describe('accentKey', () => {
  it('is the same whatever the tone mark is placed on (hoà/hòa, thuỷ/thủy, NFC/NFD)', () => {
    expect(accentKey('hoà')).toBe(accentKey('hòa'));
    expect(accentKey('thuỷ')).toBe(accentKey('thủy'));
    expect(accentKey('hoà'.normalize('NFD'))).toBe(accentKey('hòa'));
  });

  it('tells apart words that fold alike', () => {
    expect(accentKey('bằng')).not.toBe(accentKey('bảng'));
    expect(foldSyllable('bằng')).toBe(foldSyllable('bảng'));
    expect(accentKey('số')).not.toBe(accentKey('sơ'));
  });

  it('is undefined for a syllable without diacritics', () => {
    expect(accentKey('khai')).toBeUndefined();
  });
});

describe('segmentSyllables and foldText', () => {
  it('splits at punctuation so words never span a comma or a dash', () => {
    expect(segmentSyllables('Đăng ký, cấp giấy – lần đầu')).toEqual([['Đăng', 'ký'], ['cấp', 'giấy'], ['lần', 'đầu']]);
    expect(foldText('Giấy khai sinh (bản sao)')).toBe('giay khai sinh ban sao');
  });

  it('finds nothing in emoji and punctuation', () => {
    expect(segmentSyllables('?? 😀 ...')).toEqual([]);
  });
});

describe('text analyser', () => {
  const analyser = createTextAnalyser({
    abbreviations: { dk: ['đăng ký'], ks: ['khai sinh'], cmnd: ['chứng minh nhân dân'] },
    phrases: { 'giấy độc thân': ['xác nhận tình trạng hôn nhân'], 'chứng minh nhân dân': ['căn cước'], 'bố mất': ['khai tử'] },
    stopwords: ['cho', 'làm', 'thủ tục', 'cái', 'em'],
    weak: ['kết quả'],
  });
  const terms = (q: string) => analyser.queryTerms(q).map((t) => t.term);

  it('expands abbreviations into words and keeps two-syllable words together as bigrams', () => {
    expect(terms('dk ks cho be')).toEqual(expect.arrayContaining(['dang', 'ki', 'khai', 'sinh', 'be', 'khai_sinh']));
    expect(terms('dk ks cho be')).not.toContain('cho');
  });

  it('adds the official wording of an everyday phrase, grouped with the phrase it stands for', () => {
    const { terms: result, groups } = analyser.analyseQuery('xin giay doc than');
    expect(result.find((t) => t.term === 'hon_nhan')).toBeDefined();
    expect(result.find((t) => t.term === 'doc')?.counts).toBe(false);
    expect(result.find((t) => t.term === 'tinh')?.expansion).toBe(true);
    expect(groups).toEqual([{ typed: ['giay', 'doc', 'than'], added: ['xac', 'nhan', 'tinh', 'trang', 'hon'] }]);
  });

  it('treats a word typed with accents no filler word has as content: "cải" is not "cái"', () => {
    expect(terms('cải chính')).toContain('cai');
    expect(terms('cái chính')).not.toContain('cai');
    expect(terms('cai chinh')).not.toContain('cai');
    expect(terms('cai chinh')).toContain('cai_chinh');
  });

  it('matches a phrase across filler words: "bố em mất" is "bố mất"', () => {
    expect(analyser.analyseQuery('bố em mất').groups).toEqual([{ typed: ['bo', 'mat'], added: ['khai', 'tu'] }]);
  });

  it('meets a one-syllable phrase only with its accents or none: "hố" is not "hồ" sơ', () => {
    const withPothole = createTextAnalyser({ abbreviations: {}, phrases: { hố: ['phản ánh'] }, stopwords: [], weak: [] });
    const added = (q: string) => withPothole.analyseQuery(q).groups.flatMap((g) => g.added);
    expect(added('đường có hố sâu')).toEqual(['phan', 'anh']);
    expect(added('duong co ho sau')).toEqual(['phan', 'anh']);
    expect(added('nộp hồ sơ')).toEqual([]);
    expect(added('hộ khẩu')).toEqual([]);
  });

  // Round 3: only one-syllable phrases were accent-checked, so "cô mất" (an aunt died) met
  // "có mất tiền không" (does it cost money).
  it('meets a longer phrase only with its accents or none: "có mất tiền" is not "cô mất"', () => {
    const withAunt = createTextAnalyser({ abbreviations: {}, phrases: { 'cô mất': ['khai tử'] }, stopwords: [], weak: [] });
    const added = (q: string) => withAunt.analyseQuery(q).groups.flatMap((g) => g.added);
    expect(added('cô mất hôm qua')).toEqual(['khai', 'tu']);
    expect(added('co mat hom qua')).toEqual(['khai', 'tu']);
    expect(added('làm giấy có mất tiền không')).toEqual([]);
  });

  it('chains an abbreviation into a phrase: cmnd → chứng minh nhân dân → căn cước', () => {
    expect(terms('lam cmnd')).toEqual(expect.arrayContaining(['can', 'cuoc', 'can_cuoc']));
  });

  it('splits words typed without their space when the catalog knows the pair', () => {
    const known = new Set(['khai', 'sinh', 'khai_sinh']);
    expect(analyser.queryTerms('khaisinh', (t) => known.has(t)).map((t) => t.term)).toEqual(['khai', 'sinh', 'khai_sinh']);
  });

  it('indexes accent keys and bigrams for catalog text, without filler words', () => {
    expect(analyser.indexTerms('Thủ tục đăng ký')).toEqual(['dang', 'đăng0', 'ki', 'ki1', 'thu_tuc', 'tuc_dang', 'dang_ki']);
  });
});
