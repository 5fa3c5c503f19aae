/**
 * Every step type's doc comment holds a YAML example flow. This test extracts each one, loads it
 * with the real loader and checker, and runs it through the engine, so the docs cannot rot.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stepTypes } from '../../src/engine/steps/index.js';
import type { Service } from '../../src/engine/define-step.js';
import { COMMANDS_YAML, loadFixture, meta } from '../helpers/flow-fixtures.js';

function exampleOf(type: string): string {
  const file = `src/engine/steps/${type}.ts`;
  const doc = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  const block = /```yaml\n([\s\S]*?)```/.exec(doc.replace(/^\s*\* ?/gm, ''));
  if (!block) throw new Error(`${file}: no yaml example in the doc comment`);
  return block[1] as string;
}

const find: Service = (args) => ({ ok: true, outcome: args.query === 'kết hôn' ? 'confident' : 'none', data: { candidates: [{ id: 'ket-hon', label: 'Đăng ký kết hôn' }] } });

describe('step type examples', () => {
  it('every registered step type has a file with an example', () => {
    for (const type of stepTypes.keys()) expect(() => exampleOf(type)).not.toThrow();
  });

  for (const type of stepTypes.keys()) {
    it(`${type}: the example loads, passes the checker and runs`, () => {
      const yaml = exampleOf(type);
      const flow = parse(yaml) as { steps: Record<string, Record<string, unknown>> };
      const keys = new Set<string>();
      for (const step of Object.values(flow.steps)) {
        const def = stepTypes.get(step.type as string);
        const { type: _t, ...props } = step;
        for (const key of def?.contentKeys(def.schema.parse(props)) ?? []) keys.add(key);
      }
      const texts = Object.fromEntries([...keys].map((k) => [k, `text of ${k}`]));
      const { engine, problems } = loadFixture({ 'example.yaml': yaml, 'commands.yaml': COMMANDS_YAML('@example') }, texts, { find });
      expect(problems).toEqual([]);
      const first = engine!.handle(null, { kind: 'start' }, meta());
      expect(first.events.some((e) => e.type === 'failure')).toBe(false);
      expect(first.events.length).toBeGreaterThan(0);
    });
  }

  it('say sends its text and valid links only', () => {
    const { engine } = loadFixture({ 'example.yaml': exampleOf('say'), 'commands.yaml': COMMANDS_YAML('@example') }, { 'example.hello': 'Xin chào', 'example.portal': 'Cổng', 'example.part': '{{{_part}}}' });
    const { events } = engine!.handle(null, { kind: 'start' }, meta());
    expect(events).toContainEqual({ type: 'msg_created', msg: { text: 'Xin chào', links: [{ label: 'Cổng', url: 'https://dichvucong.gov.vn' }] } });
  });

  it('say with each sends one message per item, in order, and forgets the item variable', () => {
    const { engine } = loadFixture({ 'example.yaml': exampleOf('say'), 'commands.yaml': COMMANDS_YAML('@example') }, { 'example.hello': 'Xin chào', 'example.portal': 'Cổng', 'example.part': 'Phần: {{{_part}}}' });
    const { session } = engine!.handle(null, { kind: 'start' }, meta());
    session.vars.parts = ['một', 'hai', 'ba'];
    const turn = engine!.handle(session, { kind: 'text', text: 'menu' }, meta());
    const said = turn.events.flatMap((e) => (e.type === 'msg_created' ? [e.msg.text] : []));
    expect(said).toEqual(['Xin chào', 'Phần: một', 'Phần: hai', 'Phần: ba']);
    expect(turn.session.vars._part).toBeUndefined();
    session.vars.parts = [];
    expect(engine!.handle(session, { kind: 'text', text: 'menu' }, meta()).events.filter((e) => e.type === 'msg_created')).toHaveLength(1);
  });

  it('set sets, adds and appends', () => {
    const { engine } = loadFixture({ 'example.yaml': exampleOf('set'), 'commands.yaml': COMMANDS_YAML('@example') }, {});
    const { session } = engine!.handle(null, { kind: 'text', text: 'làm <b>giấy</b>' }, meta());
    expect(session.vars).toMatchObject({ doc_index: 0, visits: 1, missing: [0], topic: 'làm <b>giấy</b>' });
  });

  // Issue 9, item 1: `add` ran before `append` whatever the YAML said, so the checklist recorded
  // the document after the one the citizen lacked. One operation per step leaves no order to guess.
  it('set refuses two operations in one step, naming the step', () => {
    const flow = `spec: 1
flow: example
start: lack
steps:
  lack:
    type: set
    append: { missing: "{{doc_index}}" }
    add: { doc_index: 1 }
    next: done
  done:
    type: end
`;
    const { problems } = loadFixture({ 'example.yaml': flow, 'commands.yaml': COMMANDS_YAML('@example') }, {});
    expect(problems).toEqual([expect.objectContaining({ line: 6, where: 'flow example, step lack', message: expect.stringContaining('exactly one of `values`, `add` or `append`') })]);
  });

  it('set applies values in the order written, so a later value reads an earlier one', () => {
    const flow = `spec: 1
flow: example
start: init
steps:
  init:
    type: set
    values: { b: 2, a: "{{b}}", c: "{{a}}" }
`;
    const { engine } = loadFixture({ 'example.yaml': flow, 'commands.yaml': COMMANDS_YAML('@example') }, {});
    expect(engine!.handle(null, { kind: 'start' }, meta()).session.vars).toMatchObject({ b: 2, a: 2, c: 2 });
  });

  it('branch goes to the first case that holds, else to else', () => {
    const texts = { 'example.sure': 'chắc', 'example.unsure': 'chưa chắc' };
    const { engine } = loadFixture({ 'example.yaml': exampleOf('branch'), 'commands.yaml': COMMANDS_YAML('@example') }, texts);
    const said = (vars: Record<string, unknown>) => {
      const { session } = engine!.handle(null, { kind: 'start' }, meta());
      Object.assign(session.vars, vars);
      return engine!.handle(session, { kind: 'text', text: 'menu' }, meta()).events.flatMap((e) => (e.type === 'msg_created' ? [e.msg.text] : []));
    };
    expect(said({})).toEqual(['chưa chắc']);
    expect(said({ found: { outcome: 'confident' } })).toEqual(['chắc']);
    expect(said({ doc_index: 3, doc_count: 3 })).toEqual([]);
    expect(said({ doc_index: 2, doc_count: 3 })).toEqual(['chưa chắc']);
  });

  it('call routes on the service outcome and saves its data', () => {
    const texts = { 'example.sure': 'chắc chắn', 'example.unsure': 'chưa chắc', 'example.nothing': 'không thấy' };
    const { engine } = loadFixture({ 'example.yaml': exampleOf('call'), 'commands.yaml': COMMANDS_YAML('@example') }, texts, { find });
    const sure = engine!.handle(null, { kind: 'text', text: 'kết hôn' }, meta());
    expect(sure.events).toContainEqual({ type: 'msg_created', msg: { text: 'chắc chắn' } });
    expect(sure.session.vars.found).toEqual({ candidates: [{ id: 'ket-hon', label: 'Đăng ký kết hôn' }] });
    const none = engine!.handle(null, { kind: 'text', text: 'thời tiết' }, meta());
    expect(none.events).toContainEqual({ type: 'msg_created', msg: { text: 'không thấy' } });
  });

  it('a failing service goes to on_error and emits an error event', () => {
    const texts = { 'example.sure': 'chắc chắn', 'example.unsure': 'chưa chắc', 'example.nothing': 'không thấy' };
    const broken: Service = () => {
      throw new Error('index missing');
    };
    const { engine } = loadFixture({ 'example.yaml': exampleOf('call'), 'commands.yaml': COMMANDS_YAML('@example') }, texts, { find: broken });
    const turn = engine!.handle(null, { kind: 'text', text: 'kết hôn' }, meta());
    expect(turn.events).toContainEqual({ type: 'msg_created', msg: { text: 'không thấy' } });
    expect(turn.events.some((e) => e.type === 'error' && e.code === 'service_failed')).toBe(true);
  });

  it('flow enters a sub-flow and continues at next when it ends', () => {
    const texts = { 'example.inner': 'bên trong', 'example.after': 'sau đó' };
    const { engine } = loadFixture({ 'example.yaml': exampleOf('flow'), 'commands.yaml': COMMANDS_YAML('@example') }, texts);
    const turn = engine!.handle(null, { kind: 'start' }, meta());
    const said = turn.events.flatMap((e) => (e.type === 'msg_created' ? [e.msg.text] : []));
    expect(said).toEqual(['bên trong', 'sau đó']);
  });

  it('menu matches a button, a number, a label without accents and extra words; other text goes to free text', () => {
    const texts = { 'example.question': 'Chọn', 'example.none': 'Không phải', 'example.human': 'Gặp người', 'example.picked': 'đã chọn', 'example.nothing': 'không có' };
    const { engine } = loadFixture({ 'example.yaml': exampleOf('menu'), 'commands.yaml': COMMANDS_YAML('@example') }, texts, {});
    const base = engine!.handle(null, { kind: 'start' }, meta()).session;
    base.vars.found = { candidates: [{ id: 'ket-hon', label: 'Đăng ký kết hôn' }] };
    const menu = engine!.handle(base, { kind: 'text', text: 'menu' }, meta());
    const shown = menu.events.find((e) => e.type === 'msg_created');
    expect(shown).toEqual({ type: 'msg_created', msg: { text: 'Chọn', choices: [{ id: 'ket-hon', label: 'Đăng ký kết hôn' }, { id: 'none', label: 'Không phải' }, { id: 'human', label: 'Gặp người' }] } });
    const said = (input: Parameters<NonNullable<typeof engine>['handle']>[1]) =>
      engine!.handle(menu.session, input, meta()).events.flatMap((e) => (e.type === 'msg_created' ? [e.msg.text] : []));
    expect(said({ kind: 'choice', choiceId: 'ket-hon' })).toEqual(['đã chọn']);
    expect(said({ kind: 'text', text: '1' })).toEqual(['đã chọn']);
    expect(said({ kind: 'text', text: 'dang ky ket hon' })).toEqual(['đã chọn']);
    expect(said({ kind: 'text', text: 'gap nguoi' })).toEqual(['không có']);
    expect(said({ kind: 'text', text: 'không phải' })).toEqual(['không có']);
    const human = engine!.handle(menu.session, { kind: 'text', text: '3' }, meta());
    expect(human.session.vars.wants_person).toBe(true);
    // A stale button is not guessed: the question is asked again.
    expect(said({ kind: 'choice', choiceId: 'old-button' })).toEqual(['Chọn']);
    // Free text restarts the flow with the words saved (the fixture's free-text route is @example).
    const free = engine!.handle(menu.session, { kind: 'text', text: 'làm hộ chiếu' }, meta());
    expect(free.session.vars.query).toBe('làm hộ chiếu');
  });

  it('ask validates, re-prompts, and gives up after max_failures', () => {
    const texts = { 'example.ask_phone': 'Số điện thoại?', 'example.bad_phone': 'Sai số', 'example.thanks': 'Cảm ơn', 'example.gave_up': 'Thôi để cán bộ gọi' };
    const { engine } = loadFixture({ 'example.yaml': exampleOf('ask'), 'commands.yaml': COMMANDS_YAML('@example') }, texts);
    let { session } = engine!.handle(null, { kind: 'start' }, meta());
    const good = engine!.handle(session, { kind: 'text', text: '0912 345 678' }, meta());
    expect(good.session.vars.phone).toBe('0912345678');
    const bad = engine!.handle(session, { kind: 'text', text: '123' }, meta());
    expect(bad.events).toContainEqual({ type: 'msg_created', msg: { text: 'Sai số' } });
    session = bad.session;
    const gaveUp = engine!.handle(session, { kind: 'text', text: '456' }, meta());
    expect(gaveUp.events).toContainEqual({ type: 'msg_created', msg: { text: 'Thôi để cán bộ gọi' } });
    expect(gaveUp.session.vars.phone).toBeUndefined();
  });

  it('handoff emits the request with the context by role, says nothing until the host answers, then routes on the answer', () => {
    const texts = { 'example.queued': 'Đang chờ ở vị trí {{_handoff.position}}', 'example.hotline': 'Gọi đường dây nóng' };
    const { engine } = loadFixture({ 'example.yaml': exampleOf('handoff'), 'commands.yaml': COMMANDS_YAML('@example') }, texts);
    const turn = engine!.handle(null, { kind: 'text', text: 'cần hỏi về đất' }, meta());
    expect(turn.events).toContainEqual({ type: 'handoff_requested', reason: 'asked', context: { asked: 'cần hỏi về đất' } });
    expect(turn.events.some((e) => e.type === 'msg_created')).toBe(false);
    expect(turn.session.waiting).toBe(false);
    const said = (answer: { outcome: string; data?: Record<string, number> }) =>
      engine!.resume(turn.session, answer, meta()).events.flatMap((e) => (e.type === 'msg_created' ? [e.msg.text] : []));
    expect(said({ outcome: 'queued', data: { position: 2 } })).toEqual(['Đang chờ ở vị trí 2']);
    expect(said({ outcome: 'no_desk' })).toEqual(['Gọi đường dây nóng']);
    // An outcome the request cannot have is answered as the truthful fallback: no desk.
    expect(said({ outcome: 'made_up' })).toEqual(['Gọi đường dây nóng']);
    // The answer's data lasts the turn only.
    expect(engine!.resume(turn.session, { outcome: 'queued', data: { position: 2 } }, meta()).session.vars._handoff).toBeUndefined();
  });

  it('handoff: the checker refuses a request that does not route every outcome the host may give', () => {
    const yaml = exampleOf('handoff').replace(/\n\s+no_desk: hotline/, '');
    const { problems } = loadFixture({ 'example.yaml': yaml, 'commands.yaml': COMMANDS_YAML('@example') }, { 'example.queued': 'x', 'example.hotline': 'y' });
    expect(problems.map((p) => p.message).join('\n')).toMatch(/no_desk/);
  });

  it('resume with nothing awaited changes nothing and says so', () => {
    const { engine } = loadFixture({ 'example.yaml': exampleOf('end'), 'commands.yaml': COMMANDS_YAML('@example') }, { 'example.bye': 'Tạm biệt' });
    const { session } = engine!.handle(null, { kind: 'start' }, meta());
    const resumed = engine!.resume(session, { outcome: 'queued' }, meta());
    expect(resumed.events).toEqual([expect.objectContaining({ type: 'error', code: 'nothing_awaited' })]);
    expect(resumed.session.frames).toEqual(session.frames);
  });

  it('erase clears the variables and asks the host to erase', () => {
    const { engine } = loadFixture({ 'example.yaml': exampleOf('erase'), 'commands.yaml': COMMANDS_YAML('@example') }, { 'example.erased': 'Đã xóa' });
    const turn = engine!.handle(null, { kind: 'text', text: 'bí mật' }, meta());
    expect(turn.events).toContainEqual({ type: 'erase_requested' });
    expect(turn.session.vars).toEqual({});
  });

  it('end says its text and ends the conversation', () => {
    const { engine } = loadFixture({ 'example.yaml': exampleOf('end'), 'commands.yaml': COMMANDS_YAML('@example') }, { 'example.bye': 'Tạm biệt' });
    const turn = engine!.handle(null, { kind: 'start' }, meta());
    expect(turn.events).toContainEqual({ type: 'conversation_ended' });
    expect(turn.session.frames).toEqual([]);
  });
});
