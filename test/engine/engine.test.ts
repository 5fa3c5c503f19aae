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
});
