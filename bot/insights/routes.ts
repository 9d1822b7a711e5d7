import type { Storage } from 'botbuilder';
import type { Logger } from 'pino';
import type restify from 'restify';
import type { KnowledgeBase } from '../../knowledge/load.js';
import type { Clock } from '../../knowledge/time/clock.js';
import { londonDate } from '../../knowledge/time/london-time.js';
import type { Config } from '../config.js';
import { basePath } from '../guidance/layout.js';
import { safeEqual } from '../safety/secure-compare.js';
import { parseRange, readInsights, summarise } from './data.js';
import { INSIGHTS_TEXT } from './insights-text.js';
import type { InsightsRecorder } from './recorder.js';
import { INSIGHTS_CSP, renderCsv, renderInsights } from './render.js';

export interface InsightsDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  kb: KnowledgeBase;
  insights?: InsightsRecorder;
}

/**
 * The key a request carries: `Authorization: Bearer <key>` (as the records API takes it), or HTTP
 * Basic with the key as the password, which a browser asks for itself, so a content owner can
 * open the page without a tool. Any user name is accepted; the key is the secret.
 */
export function credentialOf(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

function headers(res: restify.Response, type: string): void {
  res.setHeader('content-type', type);
  res.setHeader('content-security-policy', INSIGHTS_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  // Usage figures are for the content owners only: never kept by a shared cache.
  res.setHeader('cache-control', 'no-store');
}

function plain(res: restify.Response, status: number, text: string): void {
  headers(res, 'text/plain; charset=utf-8');
  res.writeHead(status);
  res.end(`${text}\n`);
}

/**
 * `GET /insights` (the page) and `GET /insights.csv` (its figures), behind the announcements API
 * key, like the records API. In production they are also meant to sit behind the organisation's
 * sign-in (README). `?from=YYYY-MM-DD&to=YYYY-MM-DD` picks the London dates; default the last 12 weeks.
 */
export function registerInsightsRoutes(server: restify.Server, deps: InsightsDeps): void {
  const apiKey = deps.config.announce.apiKey;
  const path = `${basePath(deps.config)}/insights`;

  const authorised = (req: restify.Request, res: restify.Response): boolean => {
    if (!apiKey) {
      plain(res, 503, INSIGHTS_TEXT.turnedOff);
      return false;
    }
    const key = credentialOf(req.headers.authorization);
    if (!key || !safeEqual(key, apiKey)) {
      deps.logger.warn({ event: 'insights.unauthorised' }, 'insights page requested without a valid key');
      res.setHeader('WWW-Authenticate', ['Basic realm="e-RS Helper insights", charset="UTF-8"', 'Bearer']);
      plain(res, 401, INSIGHTS_TEXT.unauthorised);
      return false;
    }
    return true;
  };

  const figures = async (req: restify.Request) => {
    const query = (req.query ?? {}) as { from?: unknown; to?: unknown };
    const range = parseRange(query, londonDate(deps.clock.now()));
    // Counts made a moment ago are still on their way to storage: wait for them.
    await deps.insights?.flushed();
    const data = summarise(await readInsights(deps.storage, range.range), range.range, deps.kb);
    const asText = (v: unknown) => (typeof v === 'string' ? v.slice(0, 20) : '');
    return { range, data, asked: { from: asText(query.from), to: asText(query.to) } };
  };

  const page = async (req: restify.Request, res: restify.Response) => {
    if (!authorised(req, res)) return;
    const { range, data, asked } = await figures(req);
    headers(res, 'text/html; charset=utf-8');
    res.writeHead(range.ok ? 200 : 400);
    res.end(renderInsights({ data, asked, path, ...(range.ok ? {} : { error: range.error }) }));
  };
  server.get('/insights', page);
  server.get('/insights/', page);

  server.get('/insights.csv', async (req, res) => {
    if (!authorised(req, res)) return;
    const { range, data } = await figures(req);
    if (!range.ok) {
      plain(res, 400, INSIGHTS_TEXT.badRange(range.error));
      return;
    }
    headers(res, 'text/csv; charset=utf-8');
    res.setHeader(
      'content-disposition',
      `attachment; filename="ers-helper-insights-${data.range.from}-to-${data.range.to}.csv"`,
    );
    res.writeHead(200);
    res.end(renderCsv(data));
  });
}
