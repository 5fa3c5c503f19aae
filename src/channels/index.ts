/**
 * @module The channel registry: every channel, listed explicitly, in the order the server opens
 * them. Adding a channel is its folder plus one line here. Names, key prefixes and webhook paths
 * must be unique (checked here, at import). Conversation keys, the secret headers kept out of
 * logs and the channel names staff see all come from these definitions.
 */
import type { Inbound } from '../engine/messages.js';
import { cliChannel } from './cli/cli-channel.js';
import type { AnyChannelDefinition } from './define-channel.js';
import { telegramChannel } from './telegram/telegram-channel.js';
import { webChannel } from './web/web-channel.js';
import { zaloChannel } from './zalo/zalo-channel.js';
import { zaloOaChannel } from './zalo-oa/zalo-oa-channel.js';

export const channelDefinitions: readonly AnyChannelDefinition[] = registerChannels([
  webChannel,
  telegramChannel,
  zaloChannel,
  zaloOaChannel,
  cliChannel,
]);

/** Refuses two channels with the same name, key prefix or webhook path. */
export function registerChannels(definitions: AnyChannelDefinition[]): readonly AnyChannelDefinition[] {
  for (const field of ['name', 'keyPrefix', 'webhook path'] as const) {
    const seen = new Set<string>();
    for (const definition of definitions) {
      const value = field === 'webhook path' ? definition.webhook?.path : definition[field];
      if (value === undefined) continue;
      if (seen.has(value)) throw new Error(`two channels share the ${field} "${value}"`);
      seen.add(value);
    }
  }
  return Object.freeze([...definitions]);
}

const byName = new Map(channelDefinitions.map((d) => [d.name, d]));

/** The store key of a conversation: the channel's key prefix and the conversation id (`tg:123`). */
export function conversationKey(inbound: Pick<Inbound, 'channel' | 'conversationId'>): string {
  const definition = byName.get(inbound.channel);
  if (!definition) throw new Error(`unknown channel "${inbound.channel}"`);
  return `${definition.keyPrefix}:${inbound.conversationId}`;
}

/** Channel name → what staff see ("Zalo OA"). */
export function channelLabels(): Record<string, string> {
  return Object.fromEntries(channelDefinitions.map((d) => [d.name, d.label]));
}

/** Request headers that carry a channel's secret, as pino redaction paths. */
export function secretHeaderPaths(): string[] {
  return channelDefinitions.flatMap((d) => (d.secretHeaders ?? []).map((h) => `req.headers["${h.toLowerCase()}"]`));
}
