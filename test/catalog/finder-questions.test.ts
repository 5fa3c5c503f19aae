import { beforeAll, describe, expect, it } from 'vitest';
import { createFinder } from '../../src/catalog/finder.js';
import { foldText } from '../../src/catalog/normalise-vietnamese.js';
import { loadCatalog, type Catalog } from '../../src/catalog/load-catalog.js';
import { notWhenCases, type Finder } from '../../src/catalog/types.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

// Issue 15: a question has filler and a core, and the out-of-scope decision is made on the core.
const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
const entries = (catalog as Catalog).entries;

describe('finder: real questions', () => {
  let finder: Finder;
  beforeAll(() => {
    finder = createFinder(catalog as Catalog);
  });
  const ids = (query: string) => finder.search(query, 3).map((r) => r.id);
  /** `expected` empty: nothing is found; otherwise its one entry is found first. */
  const expectFirstOrNothing = (query: string, expected: readonly string[]) => {
    const found = ids(query);
    expect(expected.length === 0 ? found : found.slice(0, 1)).toEqual(expected);
  };

  // The citizen walk-through: a sentence holding a procedure's exact name was rejected.
  it.each(entries.map((e) => [e.name, e.id]))('a question around the name "%s" finds %s first', (name, id) => {
    const question = `Cho tôi hỏi, tôi muốn làm thủ tục ${name.toLowerCase()} thì cần những giấy tờ gì và nộp ở đâu ạ?`;
    expect(ids(question)[0]).toBe(id);
    // Round 9: 16 of these were asked about ("Đăng ký tạm trú or Kết hôn có yếu tố nước ngoài?"),
    // the second choice drawn by the filler. A name of three words or more is most of the
    // question: it is confirmed, the others stay alternatives.
    if (name.split(' ').length >= 3) expect(finder.find(question).outcome, question).toBe('confident');
  });

  it('a long question about registering the birth of an elderly mother goes to birth registration', () => {
    expect(ids('Cho tôi hỏi, mẹ tôi năm nay 80 tuổi, trước giờ chưa từng có giấy khai sinh, nay muốn làm thì cần những giấy tờ gì và nộp ở đâu ạ?')[0]).toBe('khai-sinh');
  });

  // Every phrase of synonyms.yaml `outside:` is near the domain but not in it.
  const outside = Object.values((catalog as Catalog).synonyms.outside ?? {}).flat();
  // Round 10: a lost birth certificate whose record the ward's register still holds went to
  // re-registration, which the entry's own note rules out then ("Nếu sổ hộ tịch … vẫn còn lưu,
  // anh/chị không đăng ký lại mà chỉ cần xin bản sao trích lục"); and "chưa từng có giấy sinh"
  // (never registered) to re-registration instead of a late registration.
  it.each([
    ['Giấy khai sinh mất nhưng sổ ở phường còn lưu thì xin bản sao ở đâu?', 'trich-luc-ho-tich'],
    ['mất giấy khai sinh, sổ hộ tịch ở phường vẫn còn lưu', 'trich-luc-ho-tich'],
    ['mất giấy khai sinh, phường không còn lưu sổ', 'dang-ky-lai-khai-sinh'],
    ['tôi 30 tuổi mà chưa từng có giấy sinh, bây giờ làm được không', 'khai-sinh'],
    ['toi 30 tuoi ma chua tung co giay sinh, bay gio lam duoc khong', 'khai-sinh'],
    // Round 11: a form code only one entry holds names it, whatever the paper is for: CT07 is
    // the residence confirmation schools and banks ask for (the entry's summary says so), and
    // "xin CT07 nop cho truong khi con nhap hoc" was rejected for naming a school.
    ['xin tờ CT07 cho con nộp hồ sơ thi vào lớp 10', 'xac-nhan-cu-tru'],
    ['xin CT07 nop cho truong khi con nhap hoc', 'xac-nhan-cu-tru'],
    ['ngân hàng đòi tờ CT07 để duyệt vay', 'xac-nhan-cu-tru'],
  ])('%s → %s first', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });

  // Round 13: an entry whose condition the question contradicts (`not_when`: re-registering a
  // birth is for a register lost too, Nghị định 123/2015 Điều 24) comes after the others; held-out
  // questions saying "xã vẫn còn lưu sổ" put re-registration first six times in rounds 8–15.
  // Round 15: the entry named instead comes first, or nothing is found (the question model may
  // refuse the whole question: "làm giấy hôn thú, người nước ngoài"); an entry contradicted with
  // no `see` ("có yếu tố nước ngoài là thủ tục riêng") is never first, and when it was first
  // nothing is answered (the table below).
  const contradicted = entries.flatMap((e) => [
    ...notWhenCases(e).flatMap((c) => c.says.flatMap((p) => e.aliases.map((a) => [`${a}, ${p}`, e.id, c.see ?? '']))),
    ...(e.en?.not_when ?? []).flatMap((p) => (e.en?.aliases ?? []).map((a) => [`${a}, ${p}`, e.id, notWhenCases(e)[0]?.see ?? ''])),
  ]);
  it('some entries say when they do not apply, with and without another entry instead', () => {
    expect(contradicted.length).toBeGreaterThan(100);
    expect(new Set(contradicted.map((c) => c[2] === ''))).toEqual(new Set([true, false]));
  });
  it.each(contradicted)('"%s" does not put %s first (%s first, or nothing)', (query, id, see) => {
    const found = ids(query);
    expect(found[0]).not.toBe(id);
    if (see) expect([see, undefined]).toContain(found[0]);
  });
  it.each([
    ['đổi họ cho con theo họ cha, cha là người nước ngoài', []],
    ['cải chính năm sinh trong giấy khai sinh cho con có mẹ quốc tịch nước ngoài', []],
    ['Lấy chồng người Hàn thì đăng ký kết hôn ở phường được không?', ['ket-hon-nuoc-ngoai']],
    ['đăng ký kết hôn với việt kiều Mỹ ở phường nào', ['ket-hon-nuoc-ngoai']],
    ['đăng ký chuyển đi nghĩa vụ quân sự khi con đổi chỗ ở', []],
    // Round 15 (heldout18): removing a temporary residence is another procedure; a register still
    // "còn giữ sổ"; an APEC card, a savings book; a criminal record said as "hồ sơ tội phạm"; and
    // correcting residence data named in passing in a question about the confirmation.
    ['trả phòng trọ rồi thì xóa đăng ký tạm trú thế nào', []],
    ['bản gốc giấy khai sinh thất lạc, phường cũ còn giữ sổ thì xin gì', ['trich-luc-ho-tich']],
    ['làm thẻ đi lại doanh nhân APEC ở đâu', []],
    ['mở sổ tiết kiệm đứng tên con 10 tuổi được không', []],
    ['sang Hàn làm việc cần giấy sạch hồ sơ tội phạm thì xin ở đâu', ['ly-lich-tu-phap']],
    ['Giấy xác nhận cư trú ghi sai số nhà vì dữ liệu chưa cập nhật, tôi phải sửa thông tin cư trú trước rồi mới xin lại giấy phải không ạ?', ['xac-nhan-cu-tru']],
    // Round 16 (heldout20): a permit's extension, a lost disability certificate, a foreigner's
    // stay (other procedures, by the entries' notes); moving a grave, a company seal, legalising a
    // paper; a permit not yet used stays the permit's (its note answers it).
    ['giấy phép xây nhà quá hạn khởi công, xin gia hạn ở đâu', []],
    ['giấy xác nhận khuyết tật của mẹ bị mất, xin cấp lại thế nào', []],
    ['sinh viên nước ngoài ở ký túc xá có phải đăng ký tạm trú không', []],
    ['bốc mộ ông bà về quê có phải xin phép phường không', []],
    ['khắc con dấu cho công ty mới ở đâu', []],
    ['giấy khai sinh nộp cho nước ngoài có cần hợp pháp hóa không', []],
    ['Tôi được cấp phép xây nhà năm ngoái nhưng chưa khởi công, giấy phép có còn dùng được không?', ['giay-phep-xay-dung']],
    // A foreign or international licence, or a first test, is not the licence entry's.
    ['về nước rồi, muốn dùng bằng lái nước ngoài để chạy xe ở quê', []],
    ['chưa có bằng, muốn thi lấy bằng xe máy ở đâu', []],
    ['Can I swap my Texas driver\'s license for a Vietnamese one?', []],
    ['mất bằng lái xe máy, làm lại ở đâu', ['doi-bang-lai']],
  ])('a contradicted best entry: %s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });

  // Round 17: typed plain, "tra cuu ho so" holds "cứu hộ" (a `beyond:` topic) across its two
  // word pairs and found nothing; a topic phrase starting in one entry pair and ending in the
  // next is not said. Typed with accents, or on its own, the topic still stands.
  it.each([
    ['tra cuu ho so', ['tra-cuu-ho-so']],
    ['tra cuu ho so o dau', ['tra-cuu-ho-so']],
    ['tra cuu ho so with the application code on the receipt', ['tra-cuu-ho-so']],
    ['xe bi cuu ho keo di lay lai o dau', []],
    ['xe bị cứu hộ kéo đi thì lấy lại ở đâu', []],
  ])('a topic phrase across two entry word pairs: %s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });

  // Round 18 (heldout22): a foreign guest named by nationality; a power of attorney to sell land
  // (a contract, by the signature entry's own note); the bank's loans other than a student's; moving
  // where unemployment benefit is paid; a fine's amount (no entry gives one); a house's papers; a
  // fee paid by credit card; the registration paper as "cavet".
  it.each([
    ['chủ nhà cho khách Nhật thuê phòng thì khai báo công an ra sao', []],
    ['đăng ký tạm trú cho người Hàn Quốc thuê căn hộ', []],
    ['giấy ủy quyền bán đất có chứng thực chữ ký được không', ['chung-thuc-hop-dong']],
    ['vay vốn ngân hàng chính sách cho hộ nghèo để xây nhà', []],
    ['đang hưởng trợ cấp thất nghiệp muốn chuyển nơi hưởng về quê', []],
    ['mức phạt khi không đăng ký tạm trú', []],
    ['can I pay the fee for a birth certificate copy online with my credit card', ['thanh-toan-truc-tuyen']],
    ['my cavet got lost, how to get a new one', ['dang-ky-xe']],
  ])('round 18: %s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });
  // Round 19 (heldout23–24): a stay of over a month said in days or months is a temporary
  // residence; a foreign worker's stay is not; a limb lost is a disability; a survivor allowance
  // for one who paid social insurance is the combined death service's.
  it.each([
    ['chủ nhà bảo ở quá 30 ngày phải đăng ký với phường, thủ tục gì', ['tam-tru']],
    ['chủ nhà bảo ở trên một tháng phải đăng ký với phường, thủ tục gì', ['tam-tru']],
    ['đăng ký tạm trú cho lao động nước ngoài ở nhà trọ', []],
    ['con trai cụt tay do tai nạn lao động, xin giấy chứng nhận ở đâu', ['xac-nhan-khuyet-tat']],
    ['dad passed away, he paid social insurance 20 years, how do we claim the survivor benefit', ['lien-thong-khai-tu']],
    ['I paid social insurance for 12 years, can I get it back now', []],
  ])('round 19: %s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });

  // Round 20 (heldout25): a birth never registered is a late registration, not a re-registration,
  // and re-registering a death is no entry's (`not_when` cases with their own entry instead);
  // "khách nước ngoài" as customers; whether the lump-sum tax still applies (ho-kinh-doanh's
  // note) but not its amount; emigrating.
  it.each([
    ['bác tôi 50 tuổi chưa từng được khai sinh, giờ làm thế nào', ['khai-sinh']],
    ['làm lại giấy chứng tử cho bà nội vì sổ ở xã bị thất lạc', []],
    ['mở công ty với bạn để làm ăn với khách nước ngoài', ['thanh-lap-doanh-nghiep']],
    ['từ năm nay hộ kinh doanh còn đóng thuế khoán không', ['ho-kinh-doanh']],
    ['mức thuế khoán cho quán cà phê nhỏ là bao nhiêu', []],
    ['gia đình sang Canada định cư thì hộ khẩu ở quê xử lý sao', []],
  ])('round 20: %s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });

  // Round 21 (heldout26): a foreign licence typed with "xe"; a birth paper the hospital reissues.
  it.each([
    ['đổi bằng lái xe nước ngoài ở sở giao thông', []],
    ['lam lai giay chung sinh cho con bi mat', []],
  ])('round 21: %s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });

  // The review of rounds 17–21: the rule for a topic across two entry word pairs is for accented
  // Vietnamese phrases of two syllables only ("a work permit" was taken); "cho người lào" met
  // "cho người lao động"; a poor household asking for a student loan; a passport asked for in
  // Mỹ Đình (the rule for a passport asked for abroad was dropped: it met places and relatives).
  it.each([
    ['how do I get a work permit for my wife', []],
    ['how to extend temporary residence card for my husband', []],
    ['đăng ký tạm trú cho người lao động thuê trọ', ['tam-tru']],
    ['vay vốn sinh viên, nhà thuộc hộ nghèo làm ăn khó khăn', ['xac-nhan-vay-von']],
    ['làm hộ chiếu gắn chip, tôi đang ở Mỹ Đình', ['ho-chieu']],
  ])('review: %s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });

  it('round 18: a house bought whose papers still carry the seller\'s name is the land transfer, not a vehicle', () => {
    const found = ids('mua lại nhà của bạn, giấy tờ nhà vẫn mang tên chủ cũ');
    expect(found[0]).toBe('bien-dong-dat-dai');
    expect(found).not.toContain('dang-ky-xe');
  });
  it.each([
    ['làm mất giấy khai sinh bản chính, xã vẫn còn lưu sổ', 'trich-luc-ho-tich'],
    ['giay khai sinh goc bi mat, phuong van con giu so', 'trich-luc-ho-tich'],
    ['mất bản gốc giấy khai sinh nhưng ủy ban xã vẫn giữ sổ hộ tịch, xin lại thế nào', 'trich-luc-ho-tich'],
    ['mất giấy khai sinh bản gốc, sổ hộ tịch vẫn còn', 'trich-luc-ho-tich'],
    ['My son lost his birth certificate; the commune still keeps the register', 'trich-luc-ho-tich'],
    // A negation before the phrase keeps the entry: the register is gone too.
    ['mất giấy khai sinh, phường không còn lưu sổ', 'dang-ky-lai-khai-sinh'],
  ])('a contradicted condition: %s → %s first', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });

  // Round 13: a question holding "đăng ký kết hôn" was confirmed as the domestic marriage even
  // when it said the husband is Korean, and the entry for a marriage with a foreigner explained
  // more of it. Every nationality the synonyms read as "người nước ngoài" is tried.
  const foreigners = Object.entries((catalog as Catalog).synonyms.phrases)
    .filter(([phrase, to]) => to.includes('người nước ngoài') && /^(người|vợ|chồng) /.test(phrase))
    .map(([phrase]) => phrase);
  it.each(foreigners.map((p) => [`lấy ${p.replace(/^(vợ|chồng) /, '$1 người ')} thì đăng ký kết hôn ở đâu trong nước`]))('%s → ket-hon-nuoc-ngoai first', (query) => {
    expect(ids(query)[0]).toBe('ket-hon-nuoc-ngoai');
  });

  // Round 13: a household business turning into a company (Nghị định 168/2025/NĐ-CP) was refused
  // for "xuất hóa đơn" or the model's doubt about "công ty".
  it.each([
    ['Cửa hàng nhà tôi là hộ kinh doanh, kế toán khuyên chuyển thành công ty, thủ tục chuyển đổi thế nào'],
    ['hộ kinh doanh muốn chuyển lên công ty thì thủ tục thế nào'],
    ['chuyển đổi hộ kinh doanh sang doanh nghiệp cần gì'],
  ])('%s → thanh-lap-doanh-nghiep first', (query) => {
    expect(ids(query)[0]).toBe('thanh-lap-doanh-nghiep');
  });

  // Round 14 (heldout16): procedures beside an entry that its own notes call another procedure
  // were answered with the entry; the entry's own questions stay in scope.
  it.each([
    ['cho em hỏi chứng thực chữ ký người dịch cho bản dịch tiếng Hàn ở đâu', []],
    ['dieu chinh thong tin cu tru vi cong an ghi sai ngay sinh', []],
    ['làm hồ sơ hưởng lương hưu khi đủ tuổi nộp ở đâu', []],
    ['đăng ký định danh điện tử cho tổ chức của công ty tôi', []],
    ['yêu cầu tòa tuyên bố mất năng lực hành vi cho anh trai', []],
    ['ông nội 80 tuổi không có lương hưu, có trợ cấp gì không', ['tro-cap-huu-tri-xa-hoi']],
    ['chứng thực chữ ký trên giấy ủy quyền ở phường', ['chung-thuc-chu-ky']],
    ['xin giấy xác nhận thông tin về cư trú cho con đi học', ['xac-nhan-cu-tru']],
  ])('%s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });

  // Round 14: a licence class ("B2") counted as a form code, which exempts from every topic, so
  // upgrading a licence (a `beyond:` topic: the catalog holds only its exchange and renewal) was
  // answered with the licence entry.
  it.each([['A1', 'A'], ['B1', 'B2'], ['B2', 'C'], ['B2', 'D'], ['C1', 'D']])('bằng %s muốn thi nâng lên hạng %s is out of scope', (from, to) => {
    expect(ids(`Bằng ${from} muốn thi nâng lên hạng ${to} thì đăng ký ở đâu?`)).toEqual([]);
  });

  // Round 14: a death said in a respectful turn of phrase ("trút hơi thở cuối") went first to
  // the old-age allowance, drawn by "ông cụ".
  it.each([['trút hơi thở cuối'], ['tắt thở'], ['nhắm mắt xuôi tay']])('ông cụ nhà tôi vừa %s, cần báo chính quyền thế nào → a death registration first', (phrase) => {
    expect(['khai-tu', 'lien-thong-khai-tu']).toContain(ids(`ông cụ nhà tôi vừa ${phrase}, cần báo chính quyền thế nào`)[0]);
  });

  // Round 14: extending a temporary residence said as "kéo dài" (not "gia hạn") was refused;
  // a visa extension stays out of scope however it is said.
  it.each([
    ['nha tro cua em sap het han tam tru, xin keo dai o dau', ['tam-tru']],
    ['phòng trọ hết thời hạn ở tạm cuối tháng này, xin kéo dài thế nào', ['tam-tru']],
    ['xin kéo dài visa cho chồng người Hàn ở đâu', []],
  ])('%s → %j', (query, expected) => {
    expectFirstOrNothing(query, expected);
  });

  // Round 15 (heldout17 and earlier): near the entries, not theirs.
  it.each([
    ['sổ hộ tịch ở xã bị thất lạc, muốn đăng ký lại kết hôn cho bố mẹ'],
    ['xét nghiệm adn ở đâu cho chính xác'],
    ['giá xét nghiệm adn cha con hiện nay'],
    ['đang bị tạm hoãn xuất cảnh thì có làm được gì không'],
    ['bị mất hộ chiếu khi đang du lịch Hàn Quốc thì báo ở đâu'],
    ['hoàn tiền khám bệnh bằng thẻ bảo hiểm y tế ở phòng khám tư'],
  ])('%s is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });

  // Round 14: a father to be written into a child's papers is recognising the father, whatever
  // else the question says (a single mother, the child's surname).
  it.each([
    ['Mẹ đơn thân muốn bổ sung tên người bố cho bé 2 tuổi'],
    ['Bé gái bốn tuổi mang họ mẹ, người đàn ông kia xin ghi mình là bố ruột'],
  ])('%s → nhan-cha-me-con among the first three', (query) => {
    expect(ids(query)).toContain('nhan-cha-me-con');
  });

  // Round 14 (heldout16): changing a child's family name to the father's or mother's side,
  // said with "họ nội / họ ngoại", was refused.
  it.each([
    ['be dang mang ho ngoai, muon doi sang ho noi'],
    ['con gái tôi mang họ ngoại từ nhỏ, nay bố cháu muốn cho cháu theo họ nội'],
    ['cháu đang theo họ bố, mẹ cháu muốn chuyển sang họ mẹ thì làm sao'],
  ])('%s → thay-doi-cai-chinh-ho-tich first', (query) => {
    expect(ids(query)[0]).toBe('thay-doi-cai-chinh-ho-tich');
  });

  // Round 13: a family holiday abroad with a young child ("sang Hàn Quốc du lịch") is about the
  // child's passport; with no word of the entry it was refused.
  // Not "Trung Quốc": the question model, taught many out-of-scope questions about China (visas,
  // marriages there), still refuses it (a known miss, docs/finder.md).
  const countries = ['Hàn Quốc', 'Nhật', 'Nhật Bản', 'Mỹ', 'Úc', 'Đài Loan', 'Thái Lan', 'Singapore', 'Malaysia', 'châu Âu'];
  it.each(countries.map((c) => [`Cả nhà định sang ${c} du lịch, bé năm tuổi cần giấy tờ gì`]))('%s → ho-chieu first', (query) => {
    expect(ids(query)[0]).toBe('ho-chieu');
  });

  it.each(outside.map((p) => [p]))('"%s" (and a question about it) is out of scope', (phrase) => {
    expect(ids(phrase)).toEqual([]);
    expect(ids(`cho em hỏi ${phrase} thì làm ở đâu ạ`)).toEqual([]);
  });

  // Round 2: a generic verb pair that is also an entry's name ("tra cứu" hồ sơ, "thanh toán"
  // trực tuyến) is not evidence that an outside topic is that entry's.
  const verbs = ['tra cứu', 'thanh toán', 'cập nhật', 'đăng ký', 'hướng dẫn'];
  it.each(outside.flatMap((p) => verbs.map((v) => [`${v} ${p}`])))('"%s" is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });

  // Round 3: `beyond:` phrases are questions on an entry's own ground that it does not answer;
  // an entry's word pair beside them ("bảo hiểm y tế … trái tuyến") does not keep them in scope.
  const beyond = Object.values((catalog as Catalog).synonyms.beyond ?? {}).flat();

  // Round 14: "bhyt" as an English phrase (for "my son lost his BHYT card") made 213 of these
  // answered: typed plain, a phrase beside "bhyt" reads as English ("so", "do", "the" are English
  // words) and the English finder does not know the Vietnamese topics. Not kept; this keeps it so.
  it.each(beyond.map((p) => [`${foldText(p)} bhyt`]))('"%s" is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });
  it.each(beyond.map((p) => [p]))('beyond: "%s" (and a question about it) is out of scope', (phrase) => {
    expect(ids(phrase)).toEqual([]);
    expect(ids(`cho em hỏi ${phrase} thì làm ở đâu ạ`)).toEqual([]);
  });

  it.each([
    ['khám bảo hiểm y tế trái tuyến được hưởng bao nhiêu phần trăm'],
    ['hoãn nghĩa vụ quân sự để đi học đại học'],
    ['cấp lại thẻ sinh viên bị mất'],
    ['xin trợ cấp hằng tháng cho thân nhân liệt sĩ'],
  ])('beyond: "%s" is out of scope though an entry holds a word pair of it', (query) => {
    expect(ids(query)).toEqual([]);
  });

  // Round 3: a long story naming an outside topic in passing, with two word pairs of one
  // entry's name or keywords, stays with that entry.
  it('a long story that names an outside topic in passing stays with the entry it asks for', () => {
    expect(ids('Tôi đang làm hồ sơ xin visa du học, lãnh sự quán yêu cầu nộp giấy xác nhận cư trú thay cho sổ hộ khẩu cũ. Tôi xin giấy xác nhận thông tin cư trú này ở đâu ạ?')[0]).toBe('xac-nhan-cu-tru');
  });

  // Round 3: an everyday phrase whose official words an entry holds whole is evidence like a
  // word pair ("quá ngày hẹn" → "tra cứu hồ sơ", both of whose pairs are weak).
  it('an everyday phrase of synonyms.yaml whose official words an entry holds is evidence for it', () => {
    expect(ids('quá ngày hẹn mà chưa thấy gọi lấy kết quả')[0]).toBe('tra-cuu-ho-so');
  });

  // Round 3: an everyday phrase whose official words are the entry's own name keeps it in scope
  // beside an outside topic, as a word pair of the name does.
  it('an everyday phrase for an entry\'s name beside an outside topic still finds the entry', () => {
    expect(ids('sau ly dị không muốn chung sổ nữa')[0]).toBe('tach-ho');
  });

  // Round 3: in a query typed with accents, "chứng minh thu nhập" is not "chứng minh thư".
  it('a syllable typed without accents in an accented query is not an accented phrase word', () => {
    expect(ids('làm thẻ tín dụng cần chứng minh thu nhập những gì')).toEqual([]);
  });

  it.each([
    ['tách hộ sau khi ly hôn', 'tach-ho'],
    ['xin bản sao giấy kết hôn để xin visa', 'trich-luc-ho-tich'],
    ['vợ chồng ly hôn muốn tách hộ', 'tach-ho'],
  ])('an entry named by its own words beside an outside topic still wins: "%s" → %s', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });

  it.each([
    ['đăng ký mã số thuế cho con'],
    ['mở tài khoản ngân hàng cho con dưới 15 tuổi'],
    ['gia hạn visa cho người nước ngoài'],
    ['Cho tôi hỏi, công ty tôi nợ lương 3 tháng rồi mà chưa trả, tôi muốn hỏi thì gửi đơn ở đâu ạ?'],
  ])('near-domain "%s" is out of scope', (query) => {
    expect(ids(query)).toEqual([]);
  });

  // Round 2: one entry far ahead of the rest, on a word pair of its own, with the citizen's
  // story around it, was rejected for low coverage.
  it.each([
    ['thẻ căn cước bị bạc màu mờ chữ', 'can-cuoc'],
    ['ổ gà to giữa ngõ xe ngã liên tục', 'phan-anh-kien-nghi'],
  ])('"%s" finds %s', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });

  // Round 2: outside phrases were met without accents, so "hợp đồng thuê" was "đóng thuế".
  it('an outside phrase meets a query typed with other accents only when they agree', () => {
    expect(ids('hợp đồng thuê nhà có cần công chứng không')[0]).toBe('chung-thuc-hop-dong');
    expect(ids('đóng thuế đất ở đâu')).toEqual([]);
    expect(ids('dong thue dat o dau')).toEqual([]);
  });

  it('an entry still wins when the outside word is only what the paper is for', () => {
    expect(ids('Tôi cần nộp bản sao giấy chứng nhận kết hôn để làm hồ sơ xin visa')[0]).toBe('trich-luc-ho-tich');
  });
});
