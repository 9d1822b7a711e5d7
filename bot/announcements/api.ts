import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Storage, TurnContext } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type restify from 'restify';
import { parseAnnouncementInput } from '../../knowledge/announcements/input.js';
import type { Announcement, Renderer } from '../../knowledge/announcements/model.js';
import type { KnowledgeBase } from '../../knowledge/load.js';
import type { Clock } from '../../knowledge/time/clock.js';
import type { BotAdapter } from '../adapter.js';
import type { Config } from '../config.js';
import { downtimeLookup } from '../downtime/lookup.js';
import { downtimeReport } from '../downtime/report.js';
import { startHousekeeping } from '../housekeeping.js';
import { guarded, stackFrames } from '../http-guards.js';
import { safeEqual } from '../safety/secure-compare.js';
import { readRecords } from '../storage/records.js';
import { pruneExpired, type TimedRecord } from '../storage/retention.js';
import type { DeliveryKick } from './kick.js';
import { createDeliveryRunner, type DeliveryRunner, type Sender } from './runner.js';
import {
  cancelAnnouncement,
  createAnnouncement,
  deliveryResult,
  getAnnouncement,
  readDeliveries,
  summarise,
} from './store.js';

/**
 * The announcements HTTP API for ICB automation, and the scheduler that delivers announcements and
 * reminders. Both hang off the HTTP server: the scheduler starts when the server listens and stops
 * when it closes, so in-process tests that never listen start no timers.
 */

export interface AnnouncementDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  adapter: BotAdapter;
  kb: KnowledgeBase;
  delivery: DeliveryKick;
  /** The cards delivered (dialogs/downtime-cards.ts `createLiveRenderer`). */
  render: Renderer;
}

/** The status of an announcement and each target's delivery, as GET returns it. */
export async function announcementStatus(storage: Storage, announcement: Announcement) {
  const targets = announcement.resolvedTargets ?? [];
  const deliveries = await readDeliveries(storage, announcement.id, targets);
  return {
    id: announcement.id,
    kind: announcement.kind,
    title: announcement.title,
    status: announcement.status,
    sendAt: announcement.sendAt,
    createdAt: announcement.createdAt,
    ...(announcement.finishedAt ? { finishedAt: announcement.finishedAt } : {}),
    summary: announcement.resolvedTargets ? summarise(deliveries, targets) : undefined,
    deliveries: targets.map((conversationId) => {
      const record = deliveries.get(conversationId);
      const result = deliveryResult(record);
      return {
        conversationId,
        status: result?.outcome ?? (record ? 'sending' : 'pending'),
        ...(result ? { attempts: result.attempts } : {}),
        ...(result?.error ? { error: result.error } : {}),
        ...(record?.completedAt ? { at: record.completedAt } : {}),
      };
    }),
  };
}

/**
 * Proactive sends through the adapter. Local mode has no app id: botbuilder then builds claims with
 * an empty audience and sends without a token, which the local connector accepts.
 *
 * The send's error is caught inside the turn and rethrown after it: botbuilder hands errors thrown in
 * a proactive turn to the adapter's onTurnError, which logs and swallows them, and a swallowed 429
 * would be recorded as delivered.
 */
export function createBotSender(adapter: BotAdapter, config: Config): Sender {
  const appId = config.bot.appId ?? '';
  return async (target, activity) => {
    let sent = false;
    let failure: unknown;
    const logic = async (context: TurnContext) => {
      try {
        await context.sendActivity(activity);
        sent = true;
      } catch (err: unknown) {
        failure = err;
      }
    };
    const personal = target.createPersonalFor;
    if (!personal) {
      await adapter.continueConversationAsync(appId, target.reference, logic);
    } else {
      const ref = target.reference;
      await adapter.createConversationAsync(
        appId,
        ref.channelId ?? 'msteams',
        ref.serviceUrl ?? '',
        AuthenticationConstants.ToChannelFromBotOAuthScope,
        {
          isGroup: false,
          bot: ref.bot ?? { id: '', name: '' },
          members: [{ id: personal.user.id, name: personal.user.name ?? '' }],
          tenantId: personal.tenantId,
          channelData: personal.tenantId ? { tenant: { id: personal.tenantId } } : undefined,
        },
        logic,
      );
    }
    if (failure !== undefined) throw failure;
    if (!sent) throw new Error('The proactive turn ended without sending');
  };
}

export interface AnnouncementScheduler {
  runner: DeliveryRunner;
  stop(): void;
}

/** Checks every 2 seconds (and once at start, catching up anything missed while down). */
export function startAnnouncementScheduler(deps: AnnouncementDeps): AnnouncementScheduler {
  const runner = createDeliveryRunner({
    storage: deps.storage,
    clock: deps.clock,
    logger: deps.logger,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    sender: createBotSender(deps.adapter, deps.config),
    render: deps.render,
  });
  const run = () => {
    runner.tick().catch((err: unknown) => {
      // The kind, code and stack name the cause; the message is left out, as it can carry what a
      // storage or connector echoed back.
      deps.logger.error(
        {
          event: 'announcements.tick-failed',
          err: err instanceof Error ? err.name : 'unknown',
          code: typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined,
          stack: stackFrames(err),
        },
        'announcement delivery pass failed',
      );
    });
  };
  const job = new Cron('*/2 * * * * *', { protect: true, unref: true }, run);
  const offKick = deps.delivery.onKick(run);
  run();
  return {
    runner,
    stop() {
      job.stop();
      offKick();
    },
  };
}

function bearer(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * `POST /api/announcements`, `GET /api/announcements/:id`, `DELETE /api/announcements/:id`, all behind
 * `Authorization: Bearer <ANNOUNCE_API_KEY>`; and the delivery scheduler, started when the server listens.
 */
export function registerAnnouncementRoutes(server: restify.Server, deps: AnnouncementDeps): void {
  const apiKey = deps.config.announce.apiKey;

  const authorised = (req: restify.Request, res: restify.Response): boolean => {
    if (!apiKey) {
      res.json(503, {
        error: 'The announcements API is turned off on this server: set ANNOUNCE_API_KEY to turn it on.',
      });
      return false;
    }
    const token = bearer(req.headers.authorization);
    if (!token || !safeEqual(token, apiKey)) {
      deps.logger.warn({ event: 'announcements.api.unauthorised' }, 'announcements API call without a valid key');
      res.header('WWW-Authenticate', 'Bearer');
      res.json(401, { error: 'Unauthorized: send Authorization: Bearer <announcements API key>.' });
      return false;
    }
    return true;
  };

  server.post(
    '/api/announcements',
    guarded(deps.logger, async (req, res) => {
      if (!authorised(req, res)) return;
      const input = parseAnnouncementInput(req.body);
      if (!input.ok) {
        res.json(400, { error: 'Invalid announcement', fields: input.fields });
        return;
      }
      const announcement = await createAnnouncement(
        deps.storage,
        input.value,
        { via: 'api' },
        deps.clock.now(),
        deps.delivery.kick,
      );
      deps.logger.info({ event: 'announcements.created', id: announcement.id, via: 'api' }, 'announcement created');
      res.header('Location', `/api/announcements/${announcement.id}`);
      res.json(201, { id: announcement.id, status: announcement.status, sendAt: announcement.sendAt });
    }),
  );

  server.get(
    '/api/announcements/:id',
    guarded(deps.logger, async (req, res) => {
      if (!authorised(req, res)) return;
      const announcement = await getAnnouncement(deps.storage, String(req.params.id ?? ''));
      if (!announcement) {
        res.json(404, { error: 'No announcement with that id.' });
        return;
      }
      res.json(200, await announcementStatus(deps.storage, announcement));
    }),
  );

  server.del(
    '/api/announcements/:id',
    guarded(deps.logger, async (req, res) => {
      if (!authorised(req, res)) return;
      const id = String(req.params.id ?? '');
      const outcome = await cancelAnnouncement(deps.storage, id, deps.clock.now());
      if (outcome === 'not-found') res.json(404, { error: 'No announcement with that id.' });
      else if (outcome === 'already-sent') res.json(409, { error: 'The announcement has already been sent.' });
      else res.json(200, { id, status: 'cancelled' });
    }),
  );

  // The current downtime, stage and next stage time: open like the guidance pages, which show it too;
  // it holds nothing about patients or practices.
  const current = downtimeLookup(deps.storage);
  server.get('/api/downtime', async (_req, res) => {
    const now = deps.clock.now();
    res.header('cache-control', 'no-store');
    res.json(200, downtimeReport(await current(now), now));
  });

  // The content owners' records (feedback per topic, the pack's words of unanswered questions),
  // behind the same key: ICB staff who send announcements also look after the guidance.
  server.get(
    '/api/records/:kind',
    guarded(deps.logger, async (req, res) => {
      if (!authorised(req, res)) return;
      const kind = String(req.params.kind ?? '');
      if (kind !== 'feedback' && kind !== 'unanswered') {
        res.json(404, { error: 'Records are "feedback" or "unanswered".' });
        return;
      }
      const records = pruneExpired(
        await readRecords<TimedRecord>(deps.storage, kind),
        deps.clock.now(),
        deps.config.retentionDays,
      );
      res.json(200, { kind, retentionDays: deps.config.retentionDays, count: records.length, records });
    }),
  );

  let scheduler: AnnouncementScheduler | undefined;
  let stopHousekeeping: (() => void) | undefined;
  server.server.once('listening', () => {
    scheduler = startAnnouncementScheduler(deps);
    stopHousekeeping = startHousekeeping({ ...deps, retentionDays: deps.config.retentionDays });
  });
  server.server.once('close', () => {
    scheduler?.stop();
    stopHousekeeping?.();
  });
}
