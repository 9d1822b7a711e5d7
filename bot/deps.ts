import type { Storage } from 'botbuilder';
import type { Logger } from 'pino';
import { type KnowledgeBase, loadKnowledge } from '../knowledge/load.js';
import { createSearch, type KnowledgeSearch } from '../knowledge/search.js';
import type { Clock } from '../knowledge/time/clock.js';
import { createDeliveryKick, type DeliveryKick } from './announcements/kick.js';
import type { InsightsRecorder } from './insights/recorder.js';
import { UsageRecorder } from './usage.js';

export interface Knowledge {
  kb: KnowledgeBase;
  search: KnowledgeSearch;
}

/** The pack, loaded and indexed (about 40 ms): once per host, as it is read-only. */
export function loadAppKnowledge(): Knowledge {
  const kb = loadKnowledge();
  return { kb, search: createSearch(kb) };
}

/**
 * What the host shares between the app (bot/app.ts) and the HTTP server (bot/server.ts). Made once by
 * `appDeps` in bot/index.ts (or a test) and passed to both, so nothing is shared through module state:
 * two hosts in one process (tests) never see each other's counts or wake each other's runner.
 */
export interface AppDeps {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** Counts questions, topics and places named for the insights page; none kept when absent. */
  insights?: InsightsRecorder;
  knowledge: Knowledge;
  /** Answers per entry, which order the message extension's opening list. */
  usage: UsageRecorder;
  /** Wakes the delivery runner: the app kicks it, the server's scheduler listens. */
  delivery: DeliveryKick;
}

/** The host's shared parts around a storage, clock and logger; `knowledge` is loaded when not given. */
export function appDeps(
  base: Pick<AppDeps, 'storage' | 'clock' | 'logger' | 'insights'> & { knowledge?: Knowledge },
): AppDeps {
  const { storage, logger } = base;
  return {
    ...base,
    knowledge: base.knowledge ?? loadAppKnowledge(),
    // Usage only orders the message extension's opening list: a storage failure costs no answer.
    usage: new UsageRecorder(storage, (err: unknown) =>
      logger.warn(
        { event: 'usage.record.failed', err: err instanceof Error ? err.name : 'unknown' },
        'usage not recorded',
      ),
    ),
    delivery: createDeliveryKick(),
  };
}
