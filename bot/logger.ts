import type { DestinationStream, Logger } from 'pino';
import { createLogThrottle } from './http-guards.js';
import { createLogger as createRedactingLogger } from './safety/log-redaction.js';

/**
 * The app's logger: JSON lines on stdout (or `destination`, for tests), with message text, card
 * values and queries redacted and patient identifiers masked anywhere else (bot/safety/log-redaction.ts).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return createRedactingLogger({ level, base: { app: 'ers-helper' }, ...(destination ? { destination } : {}) });
}

type ConsoleMethod = 'error' | 'warn' | 'log' | 'info';

/**
 * Sends what libraries print with `console.*` (botbuilder prints a public key list on every token it
 * cannot verify) through the logger as one JSON line each, at most `perMinute` a minute, so anyone
 * sending forged tokens cannot flood the logs with unstructured text. Returns a function that puts
 * the console back. Called once, by the entry point.
 */
export function routeConsoleToLogger(
  logger: Logger,
  target: Pick<Console, ConsoleMethod> = console,
  perMinute = 20,
  now: () => number = Date.now,
): () => void {
  const allow = createLogThrottle(perMinute, 60_000);
  const originals = { error: target.error, warn: target.warn, log: target.log, info: target.info };
  for (const method of ['error', 'warn', 'log', 'info'] as const) {
    target[method] = (...args: unknown[]) => {
      const decision = allow(now());
      if (!decision.log) return;
      const first = args[0];
      const text = first instanceof Error ? first.name : String(first).split('\n')[0]?.slice(0, 120);
      logger.warn(
        {
          event: 'library.console',
          method,
          ...(decision.suppressed > 0 ? { suppressedSinceLastLine: decision.suppressed } : {}),
        },
        text ?? '',
      );
    };
  }
  return () => Object.assign(target, originals);
}
