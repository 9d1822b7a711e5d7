import type { DestinationStream, Logger } from 'pino';
import { createLogger as createRedactingLogger } from './safety/log-redaction.js';

/**
 * The app's logger: JSON lines on stdout (or `destination`, for tests), with message text, card
 * values and queries redacted and patient identifiers masked anywhere else (bot/safety/log-redaction.ts).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return createRedactingLogger({ level, base: { app: 'ers-helper' }, ...(destination ? { destination } : {}) });
}
