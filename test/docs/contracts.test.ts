/**
 * docs/contracts.md against the code, generated over what the code has: every route the server
 * registers with every channel and the staff desk on is in the page, and every route the page
 * names is registered; every variable src/config.ts reads is in the environment table, and no
 * other; every HTTP error code with its status; every step type, input test and service, and
 * every top-level key of the editor schemas is named; and the `chat --jsonl` / `find --jsonl` examples have the keys the CLI really prints.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../src/catalog/engine-services.js';
import { UNIT_SERVICE_NAMES } from '../../src/catalog/unit-services.js';
import { runCli } from '../../src/channels/cli/run-cli.js';
import { HTTP_ERRORS } from '../../src/channels/http-errors.js';
import { loadConfig } from '../../src/config.js';
import { inputTests } from '../../src/engine/input-tests/index.js';
import { stepTypes } from '../../src/engine/steps/index.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { startFakeZalo, type FakeZalo } from '../helpers/fake-zalo.js';
import { startFakeZaloOa, type FakeZaloOa } from '../helpers/fake-zalo-oa.js';

const doc = readFileSync('docs/contracts.md', 'utf8');
const section = (title: string): string => new RegExp(`\\n## ${title}\\n([\\s\\S]*?)(?=\\n## |$)`).exec(doc)?.[1] ?? '';

/** `METHOD /path` of every route in fastify's printRoutes tree (HEAD, added for each GET, left out). */
function routesOf(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([\s│]*)(?:[├└]── )?(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = [...(m[1] as string)].length / 4;
    stack.length = depth;
    stack.push(m[2] as string);
    const path = stack.join('');
    for (const method of (m[3] as string).split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

describe('docs/contracts.md: HTTP routes', () => {
  let server: RunningServer;
  let fakes: [FakeTelegram, FakeZalo, FakeZaloOa];
  const dir = mkdtempSync(join(tmpdir(), 'contracts-'));

  beforeAll(async () => {
    fakes = [await startFakeTelegram(), await startFakeZalo(), await startFakeZaloOa()];
    const [tg, zalo, oa] = fakes;
    const tokens = oa.issueTokens();
    const config = loadConfig({
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://chatbot.phuong.example',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: 'contracts-secret-1',
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
      ZALO_WEBHOOK_SECRET: 'contracts-secret-2',
      ...oa.env(tokens),
      ZALO_OA_TOKEN_FILE: join(dir, 'oa-tokens.json'),
    });
    // demo: the staff desk on memory stores, so every route the server can have is registered.
    server = await startServer(config, { logger: createLogger({ level: 'silent' }), port: 0, processMetrics: false, demo: true });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    for (const fake of fakes ?? []) await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names every route the server registers, and only those', () => {
    const registered = routesOf(server.app.printRoutes({ commonPrefix: false }));
    expect(registered.length).toBeGreaterThan(30);
    expect(registered).toContain('POST /webhooks/zalo-oa');
    const documented = [...section('HTTP routes').matchAll(/^\| `([A-Z]+ \/[^`?]*)`/gm)].map((m) => m[1] as string);
    expect(registered.filter((r) => !documented.includes(r)), 'registered but not in docs/contracts.md').toEqual([]);
    expect(documented.filter((r) => !registered.includes(r)), 'in docs/contracts.md but not registered').toEqual([]);
  });
});

describe('docs/contracts.md: HTTP error codes', () => {
  it('names every code of the HTTP error table with its status', () => {
    const routes = section('HTTP routes');
    for (const [code, { status }] of Object.entries(HTTP_ERRORS)) expect(routes, code).toMatch(new RegExp(`\`${code}\`\\s+${status}\\b`));
  });
});

describe('docs/contracts.md: environment', () => {
  it('lists every variable src/config.ts reads, and no other', () => {
    // The keys of config.ts's schema, as the .env.example test reads them.
    const variables = [...readFileSync('src/config.ts', 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string).sort();
    expect(variables.length).toBeGreaterThan(20);
    const listed = [...section('Environment').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1] as string).sort();
    expect(listed).toEqual(variables);
  });
});

describe('docs/contracts.md: flows and catalog', () => {
  const flows = section('Flows');
  const catalog = section('Catalog');

  it('names every step type, input test and service', () => {
    for (const name of [...stepTypes.keys(), ...inputTests.keys(), ...SERVICE_NAMES, ...UNIT_SERVICE_NAMES]) expect(flows, name).toContain(`\`${name}\``);
  });

  it('names every top-level key of the flow, commands, unit and procedure schemas', () => {
    const keys = (file: string) => Object.keys((JSON.parse(readFileSync(`schemas/${file}.schema.json`, 'utf8')) as { properties: object }).properties);
    for (const key of [...keys('flow'), ...keys('commands')]) expect(flows, key).toContain(`\`${key}\``);
    for (const key of [...keys('unit'), ...keys('procedure')]) expect(catalog, key).toContain(`\`${key}\``);
  });
});

describe('docs/contracts.md: JSON lines of the CLI', () => {
  async function cli(args: string[], input: string): Promise<Array<Record<string, unknown>>> {
    const stdin = new PassThrough();
    let out = '';
    const output = new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString()), done()) });
    const errors = new Writable({ write: (_c, _e, done) => done() });
    stdin.end(input);
    const code = await runCli(args, { input: stdin, output, errors }, { flowsDir: 'flows', contentDir: 'content', sessionTtlSeconds: 3600 });
    expect(code).toBe(0);
    return out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** The example of a section's ```json block. */
  function example(title: string): Record<string, unknown> {
    const block = new RegExp(`### \`${title}\`\\n[\\s\\S]*?\`\`\`json\\n(.*)\\n\`\`\``).exec(doc)?.[1];
    expect(block, title).toBeDefined();
    return JSON.parse(block as string) as Record<string, unknown>;
  }

  const shape = (value: unknown): unknown =>
    Array.isArray(value) ? (value.length ? [shape(value[0])] : []) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]).sort()) : typeof value;

  it('chat --jsonl prints what the example shows', { timeout: 30_000 }, async () => {
    const lines = await cli(['chat', '--jsonl'], '/start\nđăng ký kết hôn\n');
    expect(lines).toHaveLength(2);
    const documented = example('chat --jsonl');
    expect(lines[1]?.user).toBe(documented.user);
    expect(shape(lines[1])).toEqual(shape(documented));
  });

  it('find --jsonl prints what the example shows, and [] out of scope', { timeout: 30_000 }, async () => {
    const documented = example('find --jsonl');
    const lines = await cli(['find', '--jsonl'], `${String(documented.query)}\nthời tiết hôm nay\n`);
    expect(shape(lines[0])).toEqual(shape(documented));
    expect((lines[0]?.results as Array<{ id: string }>)[0]?.id).toBe((documented.results as Array<{ id: string }>)[0]?.id);
    expect(lines[1]).toEqual({ query: 'thời tiết hôm nay', results: [] });
  });
});
