import { type DowntimeStage, downtimeStage } from '../rules/downtime-stages.js';
import type { Announcement, DowntimeScope } from './model.js';

/**
 * The current e-RS downtime as the ICB has announced it, at a given instant. Pure: the announcements
 * and the time are passed in.
 *
 * The rules, from the e-RS Downtime Protocol ("the ICB will notify all GP practices ... when e-RS is
 * restored, the ICB will be responsible for notifying all practices"):
 * - an `unplanned-downtime` announcement makes a downtime current from the moment it is sent, starting
 *   at its `startsAt` (the time e-RS went down; the send time when it gives none);
 * - a `planned-downtime` is current from its `startsAt` to its `endsAt` (none: until restored). A later
 *   planned downtime starting at or before the current one's end extends it (the start stays the
 *   first one's), and an unplanned downtime announced during it takes over (an overrun);
 * - `restored` ends whatever is current.
 * Announcements not yet sent, cancelled or expired count for nothing.
 */

export const RESTORED_SHOWN_DAYS = 7;
const DAY_MS = 86_400_000;

export interface DowntimeNow {
  kind: 'down';
  /** The announcement that set the downtime as it is now (an extension's or an overrun's). */
  announcementId: string;
  title: string;
  planned: boolean;
  scope: DowntimeScope;
  /** When e-RS went down: the stages count from here. */
  startedAt: Date;
  /** When the ICB announced it (the announcement's send time). */
  announcedAt: Date;
  /** A planned downtime's end, as announced (extensions included). */
  endsAt?: Date;
  stageNotices: boolean;
  /** The protocol stage now; absent for an Optum/Vision link problem, which has no stages. */
  stage?: DowntimeStage;
}

export interface RestoredNow {
  kind: 'restored';
  /** When e-RS came back: the restored announcement's `startsAt` or send time, or a planned end. */
  restoredAt: Date;
  /** `announced`: the ICB sent "restored"; `planned-end`: a planned downtime reached its end. */
  how: 'announced' | 'planned-end';
  announcementId: string;
  /** The downtime that ended, when there was one. */
  startedAt?: Date;
  scope: DowntimeScope;
}

export type CurrentDowntime = { kind: 'none' } | DowntimeNow | RestoredNow;

const NATIONAL: DowntimeScope = Object.freeze({ kind: 'national' });

/** When an announcement counts as made: it has been sent, or its send time has come. */
export function announcedAt(a: Announcement, now: Date): Date | undefined {
  if (a.status === 'cancelled' || a.status === 'expired') return undefined;
  const at = Date.parse(a.sendAt);
  if (Number.isNaN(at) || at > now.getTime()) return undefined;
  return new Date(at);
}

interface Event {
  at: number;
  /** Same instant: a planned start (possibly an extension) is applied before a planned end. */
  order: number;
  seq: number;
  apply: (state: State) => State;
}

type Open = Omit<DowntimeNow, 'stage'>;
type State = { kind: 'none' } | Open | RestoredNow;

function time(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function eventsOf(a: Announcement, made: Date, seq: number): Event[] {
  const scope = a.scope ?? NATIONAL;
  const stageNotices = a.stageNotices === true;
  const base = { announcementId: a.id, title: a.title, scope, announcedAt: made, stageNotices };
  switch (a.kind) {
    case 'unplanned-downtime': {
      const start = time(a.startsAt) ?? made.getTime();
      return [
        {
          at: Math.max(made.getTime(), start),
          order: 0,
          seq,
          apply: (state) => {
            // An overrun of a planned downtime keeps counting from the planned start if it said none.
            const keep = state.kind === 'down' && a.startsAt === undefined ? state.startedAt : new Date(start);
            return { kind: 'down', ...base, planned: false, startedAt: keep };
          },
        },
      ];
    }
    case 'planned-downtime': {
      const start = time(a.startsAt);
      if (start === undefined) return [];
      const end = time(a.endsAt);
      const events: Event[] = [
        {
          at: start,
          order: 0,
          seq,
          apply: (state) => {
            const extends_ =
              state.kind === 'down' && state.planned && state.endsAt !== undefined && start <= state.endsAt.getTime();
            const startedAt = extends_ && state.kind === 'down' ? state.startedAt : new Date(start);
            return {
              kind: 'down',
              ...base,
              planned: true,
              startedAt,
              ...(end !== undefined ? { endsAt: new Date(end) } : {}),
            };
          },
        },
      ];
      if (end !== undefined) {
        events.push({
          at: end,
          order: 1,
          seq,
          apply: (state) =>
            state.kind === 'down' && state.planned && state.endsAt?.getTime() === end
              ? {
                  kind: 'restored',
                  restoredAt: new Date(end),
                  how: 'planned-end',
                  announcementId: a.id,
                  startedAt: state.startedAt,
                  scope: state.scope,
                }
              : state,
        });
      }
      return events;
    }
    case 'restored': {
      const at = Math.min(made.getTime(), time(a.startsAt) ?? made.getTime());
      return [
        {
          at: made.getTime(),
          order: 0,
          seq,
          apply: (state) => ({
            kind: 'restored',
            restoredAt: new Date(at),
            how: 'announced',
            announcementId: a.id,
            ...(state.kind === 'down' ? { startedAt: state.startedAt } : {}),
            scope: state.kind === 'down' ? state.scope : NATIONAL,
          }),
        },
      ];
    }
    default:
      // 'general', or a record from storage this version does not know: no part in a downtime.
      return [];
  }
}

/**
 * @example
 *   // "e-RS is down" sent Monday 10:00, saying it went down Sunday 04:00; asked Monday 10:00:
 *   currentDowntime([unplanned], new Date('2026-11-09T10:00:00Z'))
 *   // { kind: 'down', stage: { stage: 2, nextStageAt: Monday 16 November 04:00, ... }, ... }
 */
export function currentDowntime(announcements: readonly Announcement[], now: Date): CurrentDowntime {
  const events: Event[] = [];
  const ordered = [...announcements].sort((x, y) => x.sendAt.localeCompare(y.sendAt) || x.id.localeCompare(y.id));
  ordered.forEach((a, seq) => {
    const made = announcedAt(a, now);
    if (made) events.push(...eventsOf(a, made, seq));
  });
  events.sort((x, y) => x.at - y.at || x.order - y.order || x.seq - y.seq);
  let state: State = { kind: 'none' };
  for (const event of events) {
    if (event.at > now.getTime()) break;
    state = event.apply(state);
  }
  if (state.kind === 'none') return state;
  if (state.kind === 'restored') {
    return now.getTime() - state.restoredAt.getTime() > RESTORED_SHOWN_DAYS * DAY_MS ? { kind: 'none' } : state;
  }
  if (state.scope.kind === 'optum-vision') return state;
  const stage = downtimeStage(state.startedAt, now);
  return stage.kind === 'stage' ? { ...state, stage } : state;
}
