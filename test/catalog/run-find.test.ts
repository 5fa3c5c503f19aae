import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFind } from '../../src/channels/cli/find.js';
import { makeContentDir, SMALL_CATALOG, type ContentDir } from './catalog-fixture.js';

let content: ContentDir;
beforeAll(() => {
  content = makeContentDir(SMALL_CATALOG);
});
afterAll(() => content.remove());

async function run(args: string[], stdin: string, dir = content.dir) {
  const input = new PassThrough();
  const output = new PassThrough();
  const errors = new PassThrough();
  const chunks: string[] = [];
  const errorChunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  errors.on('data', (c: Buffer) => errorChunks.push(c.toString('utf8')));
  input.end(stdin);
  const code = await runFind(args, input, output, dir, errors);
  return { code, stdout: chunks.join(''), stderr: errorChunks.join('') };
}

describe('runFind --jsonl', () => {
  it('writes exactly one JSON object per input line, in order, and nothing else', async () => {
    const { code, stdout } = await run(['--jsonl'], 'dk ks cho be\nok\n\r\nxin giay doc than\r\nlấy vợ');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(5);
    const objects = lines.map((l) => JSON.parse(l) as { query: string; results: { id: string; name: string; score: number }[] });
    expect(objects.map((o) => o.query)).toEqual(['dk ks cho be', 'ok', '', 'xin giay doc than', 'lấy vợ']);
    expect(objects[0]!.results[0]).toEqual({ id: 'khai-sinh', name: 'Đăng ký khai sinh', score: expect.any(Number) });
    expect(objects[1]!.results).toEqual([]);
    expect(objects[2]!.results).toEqual([]);
    expect(objects[3]!.results[0]?.id).toBe('xac-nhan-tinh-trang-hon-nhan');
    expect(objects[4]!.results[0]?.id).toBe('ket-hon');
    for (const o of objects) {
      expect(Object.keys(o)).toEqual(['query', 'results']);
      expect(o.results.length).toBeLessThanOrEqual(5);
      for (const r of o.results) expect(Object.keys(r)).toEqual(['id', 'name', 'score']);
    }
  });

  it('answers a query given as arguments with one line', async () => {
    const { stdout } = await run(['--jsonl', 'đăng', 'ký', 'kết', 'hôn'], '');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ query: 'đăng ký kết hôn', results: [{ id: 'ket-hon' }] });
  });

  it('keeps stdout clean when content has problems: they go to the error stream', async () => {
    const broken = makeContentDir({ ...SMALL_CATALOG, 'hong.yaml': 'id: hong\n' });
    try {
      const { code, stdout, stderr } = await run(['--jsonl'], 'lam cccd\n', broken.dir);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ results: [{ id: 'can-cuoc' }] });
      expect(stderr).toMatch(/content\/procedures\/hong\.yaml:1:1/);
    } finally {
      broken.remove();
    }
  });
});

describe('runFind (readable)', () => {
  it('lists the results with the finder outcome', async () => {
    const { code, stdout } = await run(['dang', 'ky', 'ket', 'hon'], '');
    expect(code).toBe(0);
    expect(stdout).toMatch(/« dang ky ket hon » → khớp rõ\n {2}1\. Đăng ký kết hôn {2}\[ket-hon\]/);
    expect((await run([], 'thời tiết\n')).stdout).toMatch(/không có thủ tục phù hợp/);
  });

  it('refuses an unknown option with exit code 2', async () => {
    const { code, stdout, stderr } = await run(['--json'], '');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/usage: find/);
  });
});
