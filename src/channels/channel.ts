/**
 * @module What every chat platform adapter offers the server: its webhook route, its long-poll
 * loop, and a way to send messages outside a turn (staff replies from the console). Adapters only
 * translate native updates ⇄ Inbound/Outbound; the conversation layer does the rest.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ChannelName, Outbound } from '../engine/messages.js';

export interface ChannelAdapter {
  name: ChannelName;
  /** Registers the channel's HTTP routes (e.g. POST /webhooks/telegram). */
  routes: FastifyPluginAsync;
  /** Webhook mode: tells the platform where to deliver updates (`<publicUrl>/webhooks/<name>`). */
  setWebhook?(publicUrl: string): Promise<void>;
  /** Long-polling mode: starts fetching updates; resolves once the loop is running. */
  startPolling?(): Promise<void>;
  /** Stops polling and waits for turns in flight. */
  stop(): Promise<void>;
  /** Delivers messages to a conversation outside a citizen's turn (staff replies, notices). */
  send(conversationId: string, messages: Outbound[]): Promise<void>;
}
