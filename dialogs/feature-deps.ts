import type { Storage } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../bot/config.js';
import type { Clock } from '../bot/deps.js';
import type { CurrentDowntime } from '../bot/downtime/current.js';
import type { InsightsRecorder } from '../bot/insights/recorder.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { KnowledgeSearch } from '../knowledge/search.js';

/** What every feature's registration function is given. */
export interface FeatureDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  kb: KnowledgeBase;
  search: KnowledgeSearch;
  /** The downtime the ICB has announced, at a given time; absent: downtime answers ask as before. */
  currentDowntime?: (now: Date) => Promise<CurrentDowntime>;
  /** Usage counts for the content owners (bot/insights/recorder.ts); absent in most tests. */
  insights?: InsightsRecorder;
}
