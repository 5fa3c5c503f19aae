import { beforeAll, describe, expect, it } from 'vitest';
import { createFinder, withoutAside, withoutDone } from '../../src/catalog/finder.js';
import { loadCatalog, type Catalog } from '../../src/catalog/load-catalog.js';
import { notWhenCases, type Finder } from '../../src/catalog/types.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

// Round 22: a question naming who asks for the paper ("ngân hàng bắt…", "the school asks for…")
// or what it is for ("… để nộp cho đại sứ quán") was refused, because the bank, the employer or
// the embassy is an outside topic. The paper asked for is the question.
const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
const entries = (catalog as Catalog).entries;
const ASKERS = ['ngân hàng', 'công ty', 'đại sứ quán', 'trường của con'];
const PURPOSES = ['để nộp cho ngân hàng vay mua nhà', 'để nộp cho công ty tuyển dụng', 'để làm hồ sơ xin visa ở đại sứ quán'];
const ENGLISH_ASKERS = ['The bank', 'My employer', 'The embassy', 'The international school'];

describe('finder: who asks for a paper and what it is for are not the question', () => {
  let finder: Finder;
  beforeAll(() => {
    finder = createFinder(catalog as Catalog);
  });
  const top3 = (query: string) => finder.search(query, 3).map((r) => r.id);
  const lower = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

  it.each(entries.flatMap((e) => ASKERS.map((asker) => [`${asker} yêu cầu ${lower(e.name)}, tôi làm ở đâu ạ?`, e.id])))('"%s" finds %s in the first three', (query, id) => {
    expect(top3(query)).toContain(id);
  });
  it.each(entries.flatMap((e) => PURPOSES.map((purpose) => [`Tôi cần ${lower(e.name)} ${purpose}, làm thế nào ạ?`, e.id])))('"%s" finds %s in the first three', (query, id) => {
    expect(top3(query)).toContain(id);
  });
  it.each(entries.flatMap((e) => (e.en ? ENGLISH_ASKERS.map((asker) => [`${asker} asks for ${e.en!.name}. Where do I get it?`, e.id]) : [])))('"%s" finds %s in the first three', (query, id) => {
    expect(top3(query)).toContain(id);
  });

  // What is done already is the citizen's past, not the request: with another entry's name in it,
  // the entry asked for goes first (the whole question put the other one first).
  // (Another entry whose name is one clause: a comma or colon in it would end the clause.)
  const plain = (name: string | undefined) => name !== undefined && !/[,:;()–]/.test(name);
  const other = (i: number, english = false) => {
    for (let k = 7; ; k++) {
      const e = entries[(i + k) % entries.length]!;
      if (plain(english ? e.en?.name : e.name)) return e;
    }
  };
  it.each(entries.map((e, i) => [`Gia đình tôi đã có ${lower(other(i).name)} rồi, bây giờ muốn làm ${lower(e.name)} thì cần gì?`, e.id]))('"%s" finds %s first', (query, id) => {
    expect(finder.search(query, 3)[0]?.id).toBe(id);
  });
  it.each(entries.flatMap((e, i) => (e.en?.name ? [[`Now that we have the ${other(i, true).en!.name}, we want the ${e.en.name}. How?`, e.id]] : [])))('"%s" finds %s first', (query, id) => {
    expect(finder.search(query, 3)[0]?.id).toBe(id);
  });

  it.each([
    // A loan's purpose names the loan; "dùng để" asks what a thing is for.
    'Vay vốn ngân hàng chính sách để nuôi bò',
    'thẻ căn cước dùng để mở tài khoản ngân hàng online được không',
    // The purpose set aside, the request is still an outside topic.
    'xin giấy khám sức khỏe để nộp cho công ty',
    // "để lại" is to leave behind, not a purpose.
    'mẹ mất không để lại di chúc thì chia tài sản theo pháp luật sao',
  ])('"%s" is still out of scope', (query) => {
    expect(top3(query)).toEqual([]);
  });

  // Round 23: a `not_when` phrase with gaps ("thất nghiệp … chuyển về tỉnh") holds its parts in
  // that order with the citizen's own words between.
  const gapped = entries.flatMap((e) => notWhenCases(e).flatMap((c) => c.says.filter((p) => p.includes('…')).map((p) => [p, e.id, c.see ?? '-', e.name] as const)));
  it('some catalog phrase has a gap', () => expect(gapped.length).toBeGreaterThan(0));
  it.each(gapped)('"%s" rules out %s (instead: %s) with words in its gaps', (phrase, id, _see, name) => {
    const query = `Tôi hỏi về ${lower(name)}: ${phrase.split('…').map((part) => part.trim()).join(' rồi ')}, làm sao?`;
    expect(top3(query)[0], query).not.toBe(id);
    // Without the phrase, the question is the entry's.
    expect(top3(`Tôi hỏi về ${lower(name)}, làm sao?`)[0]).toBe(id);
  });

  // Round 24: an outside topic said done already is the paper's past, not the request.
  it.each([
    ['Sao y bằng thạc sĩ cấp ở Pháp đã hợp pháp hóa lãnh sự', 'chung-thuc-ban-sao'],
    ['chứng thực bản sao bằng đại học nước ngoài đã được hợp pháp hóa lãnh sự', 'chung-thuc-ban-sao'],
    ['certified copy of my foreign degree, it has already been legalised', 'chung-thuc-ban-sao'],
  ])('"%s" finds %s first', (query, id) => {
    expect(top3(query)[0]).toBe(id);
  });
  it.each(['hợp pháp hóa lãnh sự giấy khai sinh ở đâu', 'chưa hợp pháp hóa lãnh sự bằng đại học thì làm ở đâu', 'how do I get my degree legalised'])('"%s" is still out of scope', (query) => {
    expect(top3(query)).toEqual([]);
  });

  it('what the whole question rules out stays ruled out: a foreign guest is no temporary-residence registration', () => {
    expect(top3('How do I declare temporary residence for my foreign guests as a homestay owner? The police asks for it.')).not.toContain('tam-tru');
  });

  it.each([
    ['mua nhà trả góp, ngân hàng bắt chứng minh tôi chưa có vợ', 'mua nhà trả góp, chứng minh tôi chưa có vợ'],
    ['Công ty yêu cầu giấy xác nhận tạm trú', 'giấy xác nhận tạm trú'],
    ['Chúng tôi cần giấy này để làm thủ tục rút tiền ở ngân hàng, vậy xin lại ở đâu ạ?', 'Chúng tôi cần giấy này, vậy xin lại ở đâu ạ'],
    ['con đi học để thi vào lớp 10 thì xin giấy ở đâu', 'con đi học thì xin giấy ở đâu'],
    // The citizen is the one asked: what comes before is the request.
    ['nộp liên thông khai tử bị yêu cầu bổ sung', 'nộp liên thông khai tử bị yêu cầu bổ sung'],
    ['tôi làm khai sinh cho con nhưng cán bộ yêu cầu giấy chứng sinh', 'tôi làm khai sinh cho con nhưng giấy chứng sinh'],
    ['có bắt buộc đóng bảo hiểm không', 'có bắt buộc đóng bảo hiểm không'],
    ['The school hiring me as a teacher wants a criminal record check', 'a criminal record check'],
    ['con moi de duoc 3 ngay, lam giay o dau', 'con moi de duoc 3 ngay, lam giay o dau'],
    ['xin giay xac nhan cu tru de nop cho truong', 'xin giay xac nhan cu tru'],
  ])('"%s" is read as "%s"', (query, core) => {
    expect(withoutAside(query)).toBe(core);
  });

  it.each([
    ['Now that my son has been recognised by his father, we want to change his family name', 'we want to change his family name'],
    ['He already has his disability certificate. How does he apply for the monthly allowance?', 'He, How does he apply for the monthly allowance'],
    ['bà đang hưởng trợ cấp hằng tháng, vừa mất, xin tiền mai táng', 'bà, vừa mất, xin tiền mai táng'],
    ['con tôi dang huong tro cap', 'con tôi dang huong tro cap'],
    ['đã có', 'đã có'],
  ])('"%s" without what is done already is "%s"', (query, core) => {
    expect(withoutDone(query)).toBe(core);
  });
});
