import type { Storage } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../bot/config.js';
import type { Clock } from '../bot/deps.js';
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
}
