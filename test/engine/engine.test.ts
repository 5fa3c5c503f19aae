/** Engine behaviours beyond single steps: the step limit, stale sessions, media, commands, back. */
import { describe, expect, it } from 'vitest';
import { COMMANDS_YAML, loadFixture, meta } from '../helpers/flow-fixtures.js';

const FLOW = `spec: 1
flow: demo
start: first
steps:
  first:
    type: menu
    text: t.first
    choices:
      - { id: a, label: t.a, next: count }
  count:
    type: set
    add: { n: 1 }
    next: second
  second:
    type: menu
    text: t.second
    choices:
      - { id: b, label: t.b, next: first }
`;
const TEXTS = { 't.first': 'Câu một', 't.second': 'Câu hai', 't.a': 'A', 't.b': 'B', 'system.failure': 'Xin lỗi, có lỗi', 'system.media_unsupported': 'Chỉ đọc chữ', 'system.nothing_back': 'Đây là bước đầu' };
const said = (events: { type: string; msg?: { text: string } }[]) => events.flatMap((e) => (e.type === 'msg_created' && e.msg ? [e.msg.text] : []));

describe('engine', () => {
  it('cuts a loop that never waits with a failure and an apology, not a hang', () => {
    const { flowSet, engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': COMMANDS_YAML('@demo') }, TEXTS);
    // A loop the checker would refuse (count → count), made after loading to test the runtime guard.
    (flowSet!.flows.get('demo')!.steps.get('count')!.props as { next: string }).next = 'count';
    const start = engine!.handle(null, { kind: 'start' }, meta());
    const turn = engine!.handle(start.session, { kind: 'text', text: 'A' }, meta());
    expect(turn.events).toContainEqual(expect.objectContaining({ type: 'failure', code: 'step_limit' }));
    expect(said(turn.events)).toEqual(['Xin lỗi, có lỗi']);
    expect(turn.session.vars.n).toBe(20);
    expect(turn.session.frames).toEqual([]);
  });

  it('starts afresh when a stored session points at a step that no longer exists', () => {
    const { engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': COMMANDS_YAML('@demo') }, TEXTS);
    const { session } = engine!.handle(null, { kind: 'start' }, meta());
    session.frames = [{ flow: 'demo', step: 'removed-in-an-update' }];
    const turn = engine!.handle(session, { kind: 'text', text: 'A' }, meta());
    expect(turn.events).toContainEqual(expect.objectContaining({ type: 'error', code: 'session_reset' }));
    expect(said(turn.events)).toEqual(['Câu một']);
  });

  it('answers media politely and keeps the question waiting', () => {
    const { engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': COMMANDS_YAML('@demo') }, TEXTS);
    const start = engine!.handle(null, { kind: 'start' }, meta());
    const media = engine!.handle(start.session, { kind: 'media', mediaType: 'sticker' }, meta());
    expect(said(media.events)).toEqual(['Chỉ đọc chữ']);
    expect(engine!.handle(media.session, { kind: 'text', text: 'a' }, meta()).session.vars.n).toBe(1);
  });

  it('back undoes the last answer, and says so at the first question', () => {
    const { engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': COMMANDS_YAML('@demo') }, TEXTS);
    const start = engine!.handle(null, { kind: 'start' }, meta());
    const second = engine!.handle(start.session, { kind: 'text', text: 'a' }, meta());
    expect(second.session.vars.n).toBe(1);
    const back = engine!.handle(second.session, { kind: 'text', text: 'Quay lai' }, meta());
    expect(said(back.events)).toEqual(['Câu một']);
    expect(back.session.vars.n).toBeUndefined();
    const again = engine!.handle(back.session, { kind: 'text', text: '/back' }, meta());
    expect(said(again.events)).toEqual(['Đây là bước đầu', 'Câu một']);
  });

  it('matches commands by slash, by words without accents, and inside short messages only', () => {
    const { engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': COMMANDS_YAML('@demo') }, TEXTS);
    const second = engine!.handle(engine!.handle(null, { kind: 'start' }, meta()).session, { kind: 'text', text: 'a' }, meta()).session;
    for (const text of ['/menu', '/menu@PhuongBot', 'MENU', 'menu!']) {
      expect(engine!.handle(second, { kind: 'text', text }, meta()).events).toContainEqual({ type: 'command', command: 'menu' });
    }
    expect(engine!.handle(second, { kind: 'text', text: 'cho tôi quay lại ạ' }, meta()).events).toContainEqual({ type: 'command', command: 'back' });
    const long = engine!.handle(second, { kind: 'text', text: 'tôi đã đi làm ở nước ngoài và muốn quay lại quê để đăng ký thường trú' }, meta());
    expect(long.events.some((e) => e.type === 'command')).toBe(false);
  });

  it('counts turns and never keeps one-turn variables', () => {
    const { engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': COMMANDS_YAML('@demo') }, TEXTS);
    const start = engine!.handle(null, { kind: 'start' }, meta(5));
    start.session.vars._card = 'large';
    const next = engine!.handle(start.session, { kind: 'text', text: 'a' }, meta(9));
    expect(next.session.turns).toBe(2);
    expect(next.session.updatedAt).toBe(9);
    expect(next.session.vars._card).toBeUndefined();
  });

  it('is pure: the same input gives the same output and the input session is not changed', () => {
    const { engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': COMMANDS_YAML('@demo') }, TEXTS);
    const { session } = engine!.handle(null, { kind: 'start' }, meta());
    const frozen = JSON.stringify(session);
    const one = engine!.handle(session, { kind: 'text', text: 'a' }, meta());
    const two = engine!.handle(session, { kind: 'text', text: 'a' }, meta());
    expect(JSON.stringify(session)).toBe(frozen);
    expect(one).toEqual(two);
  });

  // Issue 9, item 10: an emergency gets the numbers first and at once, whatever is waiting.
  describe('alerts', () => {
    const ALERTS = `${COMMANDS_YAML('@demo')}alerts:
  emergency:
    words: [cháy nhà, bị thương, đang cháy, cướp]
    text: t.emergency
`;
    const texts = { ...TEXTS, 't.emergency': 'Gọi 113, 114, 115' };

    it('say their text before anything else, then the message is handled as usual', () => {
      const { engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': ALERTS }, texts);
      const start = engine!.handle(null, { kind: 'start' }, meta());
      // At the waiting question, an alert phrase inside a sentence that is also an answer.
      const turn = engine!.handle(start.session, { kind: 'text', text: 'A' }, meta());
      expect(said(turn.events)).toEqual(['Câu hai']);
      const alarm = engine!.handle(start.session, { kind: 'text', text: 'Nhà tôi CHÁY NHÀ rồi!!' }, meta());
      expect(said(alarm.events)[0]).toBe('Gọi 113, 114, 115');
      expect(alarm.events).toContainEqual({ type: 'analytics', name: 'alert_shown', data: { alert: 'emergency' } });
      // The question is still there, and the one-turn marker is gone after the turn.
      expect(said(alarm.events).slice(1)).toEqual(['Câu một']);
      expect(alarm.session.vars._notice).toBeUndefined();
      // A new conversation opening with danger: the numbers come before the greeting.
      expect(said(engine!.handle(null, { kind: 'text', text: 'co nguoi bi thuong' }, meta()).events)[0]).toBe('Gọi 113, 114, 115');
    });

    it('match whole words; without accents anything folds alike, with accents they must agree', () => {
      const { engine } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': ALERTS }, texts);
      const start = engine!.handle(null, { kind: 'start' }, meta()).session;
      const alerted = (text: string) => said(engine!.handle(start, { kind: 'text', text }, meta()).events)[0] === 'Gọi 113, 114, 115';
      expect(['chay nha', 'CHÁY NHÀ', 'nhà hàng xóm đang cháy', 'có người bị thương', 'ăn cướp'].map(alerted)).toEqual([true, true, true, true, true]);
      // "đang chạy" (running) is not "đang cháy"; "cướp" inside another word is not a word.
      expect(['xe đang chạy', 'chạy nhảy', 'bị thượng', 'cuopbien'].map(alerted)).toEqual([false, false, false, false]);
    });

    it('with an unknown text are refused by the checker', () => {
      const { problems } = loadFixture({ 'demo.yaml': FLOW, 'commands.yaml': ALERTS.replace('t.emergency', 't.nope') }, texts);
      expect(problems).toEqual([expect.objectContaining({ where: 'alert emergency', message: expect.stringContaining('unknown content key "t.nope"') })]);
    });
  });
});
