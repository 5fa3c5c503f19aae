/**
 * @module The logger shape every module takes (pino's, so the real one plugs in). Callers pass
 * structured fields; never a token, a CCCD number or a phone number (see `redact.ts`).
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
