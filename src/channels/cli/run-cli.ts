/**
 * @module The command line: `chat [--jsonl]`, `find [--jsonl] [query]`, `flows check [--flows DIR]
 * [--content DIR] [--max-age DAYS]`, `content links [--online]`. It takes its streams as arguments, so tests feed it text.
 * Contracts for `chat --jsonl` and `find --jsonl` are in docs/contracts.md: nothing else goes to stdout.
 */
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { createConversation } from '../../conversation/handle-inbound.js';
import { silentLogger } from '../../conversation/logger.js';
import { loadAssistant, type Assistant } from '../../load-assistant.js';
import { checkContent } from '../../catalog/check-content.js';
import { missingEnglish } from '../../catalog/english-check.js';
import { formatProblem } from '../../flow/yaml-source.js';
import { createNoDesk } from '../../handoff/no-desk.js';
import { createMemorySessionStore } from '../../store/memory-session-store.js';
import { channelDefinitions, conversationKey } from '../index.js';
import { runChannel } from '../open-channel.js';
import { cliChannel } from './cli-channel.js';

export interface CliIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
  /** True when a person types at a terminal (prompts are shown). */
  interactive?: boolean;
  /** The clock (tests set it): whether the office is open when someone asks for a person. Default Date.now. */
  now?: () => number;
}

export interface CliDefaults {
  flowsDir: string;
  contentDir: string;
  sessionTtlSeconds: number;
  /** PUBLIC_URL: the web chat's address on posters. */
  publicUrl?: string;
}

/** Catalog entries not re-checked against their source for this long are listed by `flows check`. */
const DEFAULT_MAX_AGE_DAYS = 180;

const USAGE = `Usage:
  cli chat [--jsonl]                       talk to the assistant (one JSON line per turn with --jsonl)
  cli find [--jsonl] [query]               search the procedure catalog
  cli flows check [--flows DIR] [--content DIR] [--max-age DAYS]
                                           check flows and content; exit 1 on any problem
  cli content links [--online] [--jsonl] [--all] [--via host=origin]
                                           check every portal link's form; --online fetches each one
  cli staff add|list|remove ...            staff console accounts (needs Redis; see README)
  cli poster <procedure-id> [--source TAG] [--channel NAME] [--bot USERNAME] [--base-url URL] [--link URL] --out FILE.pdf
                                           an A4 QR poster of one procedure, as PDF (headless Chromium)
${channelDefinitions.flatMap((d) => Object.entries(d.commands ?? {}).map(([name, c]) => `  cli ${`${d.name} ${name}`.padEnd(37)}${c.usage}\n`)).join('')}`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function runCli(argv: string[], io: CliIo, defaults: CliDefaults): Promise<number> {
  const [command, ...args] = argv;
  const flowsDir = option(args, '--flows') ?? defaults.flowsDir;
  const contentDir = option(args, '--content') ?? defaults.contentDir;

  if (command === 'flows' && args[0] === 'check') return flowsCheck(io, { ...defaults, flowsDir, contentDir }, Number(option(args, '--max-age') ?? DEFAULT_MAX_AGE_DAYS));
  if (command === 'find') {
    const { runFind } = await import('./find.js');
    return runFind(args, io.input, io.output, contentDir, io.errors);
  }
  if (command === 'staff') return (await import('./staff.js')).runStaffFromConfig(args, io);
  if (command === 'content' && args[0] === 'links') return (await import('./content-links.js')).runContentLinks(args.slice(1), contentDir, io);
  const channelCommand = channelDefinitions.find((d) => d.name === command)?.commands?.[args[0] ?? ''];
  if (channelCommand) return channelCommand.run(args.slice(1), io, process.env);
  if (command === 'poster') {
    const assistant = load(io, { ...defaults, flowsDir, contentDir });
    if (!assistant) return 1;
    return (await import('./poster.js')).runPoster(args, io, assistant, defaults.publicUrl ? { publicUrl: defaults.publicUrl } : {});
  }
  if (command === 'chat') {
    const assistant = load(io, { ...defaults, flowsDir, contentDir });
    if (!assistant) return 1;
    return chat(assistant, io, args.includes('--jsonl'));
  }
  io.errors.write(USAGE);
  return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
}

function load(io: CliIo, options: CliDefaults): Assistant | undefined {
  const { assistant, problems } = loadAssistant(options);
  for (const problem of problems) io.errors.write(`${formatProblem(problem)}\n`);
  if (!assistant) io.errors.write(`Refusing to start: ${problems.length} problem(s) in flows or content.\n`);
  return assistant;
}

function flowsCheck(io: CliIo, options: CliDefaults, maxAgeDays: number): number {
  const { assistant, problems } = loadAssistant(options);
  for (const problem of problems) io.output.write(`${formatProblem(problem)}\n`);
  if (!assistant) {
    io.output.write(`${problems.length} problem(s).\n`);
    return 1;
  }
  const { problems: tableProblems, stale, warnings } = checkContent(options.contentDir, { today: new Date(), maxAgeDays });
  for (const problem of tableProblems) io.output.write(`${formatProblem(problem)}\n`);
  if (tableProblems.length > 0) {
    io.output.write(`${tableProblems.length} problem(s).\n`);
    return 1;
  }
  for (const warning of warnings) io.output.write(`warning: ${formatProblem(warning)}\n`);
  // What a language lacks is shown in Vietnamese with a note: listed so an editor translates it.
  for (const m of assistant.missingTexts) io.output.write(`warning: ${m.file}:${m.line}:1 [${m.key}]: no text in texts.${m.lang}.yaml (shown in Vietnamese with a note)\n`);
  for (const entry of assistant.catalog.entries) {
    const missing = missingEnglish(entry);
    if (missing.length > 0) io.output.write(`warning: ${assistant.catalog.files.get(entry.id) ?? entry.id}:1:1 [entry ${entry.id}]: no English for ${missing.length <= 8 ? missing.join(', ') : `${missing.slice(0, 8).join(', ')} and ${missing.length - 8} more`} (shown in Vietnamese with a note)\n`);
  }
  for (const entry of stale) io.output.write(`warning: ${entry.file}: ${entry.id} was last reviewed on ${entry.reviewedOn}, ${entry.ageDays} days ago (over ${maxAgeDays})\n`);
  io.output.write(`OK: ${assistant.flowSet.flows.size} flows, ${assistant.catalog.entries.length} catalog entries, ${assistant.texts.size} texts; ${stale.length} entr${stale.length === 1 ? 'y' : 'ies'} to re-review.\n`);
  return 0;
}

async function chat(assistant: Assistant, io: CliIo, jsonl: boolean): Promise<number> {
  const store = createMemorySessionStore({ sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 });
  const now = io.now ?? Date.now;
  // No desk in a terminal: asking for a person gives the hotline, and at night says the office is
  // closed and when it opens, as `npm start` without a desk does.
  const conversation = createConversation({ engine: assistant.engine, store, handoff: createNoDesk({ assistant, now }), log: silentLogger, conversationKey, now });
  const channel = runChannel(cliChannel, { output: io.output }, { conversation, log: silentLogger, tuning: {} });
  const conversationId = randomUUID();
  const lines = createInterface({ input: io.input, crlfDelay: Infinity, terminal: false });
  let turn = 0;
  if (io.interactive && !jsonl) io.output.write('Gõ tin nhắn rồi nhấn Enter (Ctrl+D để thoát). Gõ /start để bắt đầu.\n> ');
  for await (const line of lines) {
    turn += 1;
    if (!line.trim()) {
      if (jsonl) io.output.write(`${JSON.stringify({ user: line, replies: [] })}\n`);
      continue;
    }
    const outcome = await channel.kit.handle({ line, turn, conversationId }, { deliver: false });
    const replies = outcome.kind === 'handled' ? outcome.handled.replies : [];
    if (jsonl) {
      io.output.write(`${JSON.stringify({ user: line, replies: replies.map((r) => ({ text: r.text, choices: r.choices ?? [], links: r.links ?? [] })) })}\n`);
    } else {
      if (replies.length > 0) await channel.send(conversationId, replies);
      if (io.interactive) io.output.write('\n> ');
    }
  }
  await store.close();
  return 0;
}
