/** The `chat --jsonl` contract of DESIGN.md, through the real entry point and through runCli. */
import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/channels/cli/run-cli.js';

async function chat(lines: string[], args = ['chat', '--jsonl']) {
  const input = new PassThrough();
  const output = new PassThrough();
  const errors = new PassThrough();
  let out = '';
  output.on('data', (d) => (out += String(d)));
  input.end(lines.map((l) => `${l}\n`).join(''));
  const code = await runCli(args, { input, output, errors }, { flowsDir: 'flows', contentDir: 'content', sessionTtlSeconds: 3600 });
  return { code, out };
}

describe('cli chat', () => {
  it('prints exactly one JSON object per input line, in the DESIGN.md shape (real process)', async () => {
    const child = execFile('npx', ['tsx', 'src/channels/cli/main.ts', 'chat', '--jsonl'], { timeout: 60_000 });
    let out = '';
    child.stdout?.on('data', (d) => (out += String(d)));
    child.stdin?.end('/start\nđăng ký kết hôn\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first.user).toBe('/start');
    expect(second.user).toBe('đăng ký kết hôn');
    expect(second.replies[0].text).toContain('Đăng ký kết hôn');
    for (const reply of [...first.replies, ...second.replies]) {
      expect(Object.keys(reply).sort()).toEqual(['choices', 'links', 'text']);
      for (const choice of reply.choices) expect(Object.keys(choice).sort()).toEqual(['id', 'label']);
    }
  });

  it('starts fresh every run and accepts numbers and labels of the choices just shown', async () => {
    const { code, out } = await chat(['/start', '1', 'xin giấy độc thân', 'Đúng vậy', 'kiem tra giay to']);
    expect(code).toBe(0);
    const turns = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(turns).toHaveLength(5);
    expect(turns[1].replies[0].text).toContain('Anh/chị cần làm thủ tục gì');
    expect(turns[3].replies[0].text).toContain('Cấp Giấy xác nhận tình trạng hôn nhân');
    expect(turns[4].replies.map((r: { text: string }) => r.text).join('\n')).toContain('1/');
  });

  it('answers an empty line with an empty reply list, keeping one line per input', async () => {
    const { out } = await chat(['/start', '', 'menu']);
    const turns = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(turns.map((t) => t.user)).toEqual(['/start', '', 'menu']);
    expect(turns[1].replies).toEqual([]);
  });

  it('prints usage and exits 2 on an unknown command', async () => {
    const { code } = await chat([], ['fly']);
    expect(code).toBe(2);
  });
});
