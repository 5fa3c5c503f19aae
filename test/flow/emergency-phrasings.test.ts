/**
 * Walk-through 2026-12, item 2: citizens rarely name an emergency the way a list of phrases
 * does ("nhà hàng xóm cháy", "có người ngất", "bị giật điện thoại"). Generated over phrasings
 * citizens write, each typed with accents, without accents where that is still unambiguous, and
 * inside a longer message, as the first message and in the middle of the checklist: every one
 * gets the emergency numbers first. The other way round, no catalog name, alias or keyword, no
 * phrasebook phrase and no everyday message that only looks like danger ("ăn chay", "đang chạy
 * xe") gets them: an alarm on every "đăng ký xe" would teach citizens to ignore it.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine-types.js';
import { fold } from '../../src/engine/fold.js';
import { realAssistant } from '../helpers/assistant.js';
import { drive } from '../helpers/drive.js';

/** [what the citizen writes, the number it is mostly about]; unaccented copies are added below. */
const DANGER: [string, '113' | '114' | '115'][] = [
  ['nhà hàng xóm cháy', '114'],
  ['nhà bên cạnh bốc cháy', '114'],
  ['cháy chợ rồi', '114'],
  ['xe máy bốc cháy giữa đường', '114'],
  ['có đám cháy ở đầu hẻm', '114'],
  ['khói bốc lên nghi ngút', '114'],
  ['khói đầy nhà', '114'],
  ['nhà em đang cháy', '114'],
  ['cháy rừng', '114'],
  ['rò rỉ gas trong bếp', '114'],
  ['nổ bình gas', '114'],
  ['sập nhà có người bên trong', '114'],
  ['cây đổ đè người', '114'],
  ['có người rơi xuống giếng', '114'],
  ['bị kẹt trong thang máy', '114'],
  ['có người nhảy cầu', '114'],
  ['có người ngất', '115'],
  ['có người ngất xỉu', '115'],
  ['ông tôi ngất rồi', '115'],
  ['ba em xỉu rồi', '115'],
  ['có người té xỉu ngoài chợ', '115'],
  ['mẹ em bị đau tim', '115'],
  ['có người bị điện giật', '115'],
  ['bà tôi bị ngã không dậy được', '115'],
  ['bé nuốt phải dị vật', '115'],
  ['bị hóc xương cá', '115'],
  ['bị bỏng nặng', '115'],
  ['máu chảy nhiều quá', '115'],
  ['bị rắn cắn', '115'],
  ['có người không thở được', '115'],
  ['vợ em sắp sinh rồi', '115'],
  ['đụng xe có người nằm đường', '115'],
  ['bị xe tông', '115'],
  ['gọi xe cứu thương giúp', '115'],
  ['có người tự tử', '115'],
  ['bị cướp giật', '113'],
  ['em vừa bị giật điện thoại', '113'],
  ['bị giật túi xách', '113'],
  ['có trộm vào nhà', '113'],
  ['chồng em đánh em', '113'],
  ['bạo lực gia đình', '113'],
  ['có người cầm dao đe dọa', '113'],
  ['có người say rượu đập phá', '113'],
  ['con em bị lạc', '113'],
  ['trẻ bị bắt cóc', '113'],
  ['khẩn cấp', '113'],
  ['có người chết ngoài bãi biển', '113'],
  ['tìm thấy xác dưới mương', '113'],
];

/** Words that only look like danger once the accents are gone, or are everyday words. */
const CALM = [
  'ăn chay',
  'đang chạy xe',
  'xe đang chạy ngoài đường',
  'chờ em một xíu',
  'chạy thận',
  'giặt đồ',
  'nhà em ở gần chợ',
  'tôi muốn sang tên xe máy',
  'đăng ký xe mới mua',
  'giấy khai sinh bị rách',
  'làm lại căn cước bị mất',
  'cháu tôi mới sinh',
  'tôi không biết',
  'để em hỏi lại',
  'cảm ơn',
];

/** Words the user may type without accents and still mean only this (no other word folds alike). */
const UNACCENTED_OK = new Set(['có người ngất xỉu', 'bị cướp giật', 'có trộm vào nhà', 'nhà bên cạnh bốc cháy', 'có đám cháy ở đầu hẻm', 'rò rỉ gas trong bếp', 'nổ bình gas', 'bị điện giật', 'có người bị điện giật', 'bị rắn cắn', 'bạo lực gia đình', 'gọi xe cứu thương giúp', 'có người tự tử', 'trẻ bị bắt cóc', 'bị xe tông']);

const engine: Engine = realAssistant().engine;

function alertOf(text: string, inChecklist = false): { shown: boolean; first: string } {
  const d = drive(engine);
  if (inChecklist) {
    d.send('/start');
    d.send({ kind: 'start', text: 'khai-sinh' });
    d.press('checklist');
  }
  const turn = d.send(text);
  const shown = turn.events.some((e) => e.type === 'analytics' && e.name === 'alert_shown');
  return { shown, first: turn.replies[0]?.text ?? '' };
}

describe('every emergency phrasing gets 113 / 114 / 115 first', () => {
  const cases = DANGER.flatMap(([text, number]) => [
    { text, number },
    { text: `cho hỏi gấp ${text} thì làm sao`, number },
    ...(UNACCENTED_OK.has(text) ? [{ text: fold(text), number }] : []),
  ]);
  it.each(cases)('"$text" → $number', ({ text, number }) => {
    const { shown, first } = alertOf(text);
    expect(shown, `no alert for "${text}"`).toBe(true);
    expect(first).toContain(number);
    expect(first).toMatch(/113[\s\S]*114[\s\S]*115/);
  });
  it.each(DANGER.slice(0, 12).map(([text]) => text))('"%s" in the middle of the checklist', (text) => {
    expect(alertOf(text, true).shown).toBe(true);
  });
});

describe('calm words get no alarm', () => {
  const a = realAssistant();
  const catalogWords = a.catalog.entries.flatMap((e) => [e.name, ...e.aliases, ...e.keywords]);
  const phrasebookWords = [...Object.values(a.phrasebook.small_talk).flat(), ...Object.values(a.phrasebook.topics).flatMap((t) => t.words), ...a.phrasebook.in_person];
  it.each([...CALM, ...catalogWords, ...phrasebookWords])('"%s"', (text) => {
    expect(alertOf(text).shown).toBe(false);
  });
  // 2026-12-04: "tra cuu ho so" (checking an application, typed without accents) holds "cứu hộ"
  // and got the emergency numbers; the catalog's words typed plain get none either.
  it.each(['tra cuu ho so', 'tra cuu ho so da nop', 'muon tra cuu ho so online', ...catalogWords.map(fold)])('"%s" typed plain', (text) => {
    expect(alertOf(text).shown).toBe(false);
  });
  it.each(['cứu hộ', 'gọi cứu hộ giúp', 'goi cuu ho giup', 'can cuu ho gap'])('"%s" still gets the numbers', (text) => {
    expect(alertOf(text).shown).toBe(true);
  });
});
