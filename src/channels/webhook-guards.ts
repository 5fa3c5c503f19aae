/**
 * @module What every platform webhook route does before its handler: refuse a wrong or missing
 * secret header (401, nothing processed), and answer parser and size errors with a bare code,
 * because their messages carry the offending input.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelName } from '../engine/messages.js';
import type { Logger } from '../conversation/logger.js';
import { secretMatches } from './secret-matches.js';

/** An onRequest hook checking `header` against `secret` in constant time. */
export function requireSecret(channel: ChannelName, header: string, secret: string | undefined, log: Logger) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!secretMatches(request.headers[header], secret)) {
      log.warn({ channel }, `${channel} webhook refused: wrong or missing secret token`);
      await reply.code(401).send({ error: 'unauthorized' });
    }
  };
}

/** An error handler for a webhook route: 4xx keep their status with a bare code, the rest are 500. */
export function bareWebhookErrors(channel: ChannelName, log: Logger, describe: (error: unknown) => { description: string }) {
  return async (error: Pick<FastifyError, 'statusCode'>, _request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log.error({ channel, description: describe(error).description }, `${channel} webhook failed`);
    return reply.code(status).send({ error: status === 413 ? 'payload_too_large' : status === 500 ? 'internal_error' : 'bad_request' });
  };
}
