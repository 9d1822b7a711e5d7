import { type Activity, type Storage, TestAdapter } from 'botbuilder';
import pino, { type Logger } from 'pino';
import { type BotApp, createApp } from '../../bot/app.js';
import { type Config, loadConfig } from '../../bot/config.js';
import type { AppDeps } from '../../bot/deps.js';
import { createLogger } from '../../bot/logger.js';
import { ListableMemoryStorage } from '../../bot/storage/listable.js';
import { type Clock, fixedClock } from '../../knowledge/time/clock.js';
import { readable as readableAll, type Activity as WireActivity } from './botwire.js';
import { testDeps } from './knowledge.js';

/** Monday 9 November 2026, 10:00 in London (GMT). */
export const DEFAULT_NOW = '2026-11-09T10:00:00Z';

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export interface CapturedLogs {
  /** The app's real logger (bot/logger.ts: redaction and masking on), writing into memory. */
  logger: Logger;
  /** Every line written so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Every line written so far, raw, joined by newlines: what would reach the log store. */
  raw(): string;
}

/** The production logger with its lines kept in memory, so a test can read what would be logged. */
export function captureLogs(level = 'debug'): CapturedLogs {
  const written: string[] = [];
  const logger = createLogger(level, {
    write(line: string) {
      written.push(line);
    },
  });
  return {
    logger,
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
    raw: () => written.join(''),
  };
}

export interface BotUnderTest {
  app: BotApp;
  adapter: TestAdapter;
  storage: Storage;
  clock: Clock & { set(to: Date | string): void };
  config: Config;
  /** What the app was given (its usage counts, delivery kick, knowledge). */
  deps: AppDeps;
}

/** A fresh app on MemoryStorage with a fixed clock, driven in process by botbuilder's TestAdapter. */
export function setup(
  options: { now?: string; env?: Record<string, string>; storage?: Storage; conversationType?: string } = {},
): BotUnderTest {
  const config = loadConfig(options.env ?? {});
  const storage = options.storage ?? new ListableMemoryStorage();
  const clock = fixedClock(options.now ?? DEFAULT_NOW);
  const deps = testDeps({ storage, clock, logger: silentLogger() });
  const app = createApp(config, deps);
  const adapter = new TestAdapter(async (context) => {
    await app.run(context);
  });
  if (options.conversationType) {
    adapter.conversation.conversation.conversationType = options.conversationType;
  }
  return { app, adapter, storage, clock, config, deps };
}

/** Everything a person would read in one reply: its text, and every string in its cards. */
export function readable(activity: Partial<Activity> | undefined): string {
  return activity ? readableAll([activity as WireActivity]) : '';
}
