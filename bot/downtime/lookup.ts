import type { Storage } from 'botbuilder';
import { type CurrentDowntime, currentDowntime } from '../../knowledge/announcements/current-downtime.js';
import { listAnnouncements } from '../announcements/store.js';

/** The current downtime from the announcements in `storage`, as every instance of the bot sees it. */
export function downtimeLookup(storage: Storage): (now: Date) => Promise<CurrentDowntime> {
  return async (now) => currentDowntime(await listAnnouncements(storage), now);
}
