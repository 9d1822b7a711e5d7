import type restify from 'restify';
import type { KnowledgeBase } from '../../knowledge/load.js';
import { truncateText } from '../../knowledge/safety/input-limits.js';
import type { KnowledgeSearch } from '../../knowledge/search.js';
import { GUIDANCE_CSP, type PageBanner, type SiteConfig } from './layout.js';
import { renderAbout, renderEntry, renderIndex, renderNotFound, renderSearch } from './pages.js';

export interface GuidanceDeps {
  config: SiteConfig;
  kb: KnowledgeBase;
  search: KnowledgeSearch;
  /** While it gives a banner (an e-RS downtime the ICB announced), every page shows it. */
  banner?: () => Promise<PageBanner | undefined>;
}

/** The same cap as the search box's maxlength: longer is not a search, and it is echoed on the page. */
export const MAX_QUERY_CHARS = 200;
/** Up to ten results, as in the compose-box search. */
export const SEARCH_LIMIT = 10;

/** Pages change only with a new pack or release; a search may hold words typed by mistake, so it is not kept. */
const CACHE = Object.freeze({ page: 'public, max-age=300', private: 'no-store' });

function send(res: restify.Response, status: number, body: string, cache: string): void {
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-security-policy', GUIDANCE_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', cache);
  res.writeHead(status);
  res.end(body);
}

function queryOf(req: restify.Request): string | undefined {
  const query = req.query as Record<string, unknown> | undefined;
  const q = query?.q;
  const value = Array.isArray(q) ? q[0] : q;
  return typeof value === 'string' ? truncateText(value, MAX_QUERY_CHARS) : undefined;
}

/**
 * The guidance pages: `GET /guidance` (every topic, or `?q=` search results), `/guidance/about`
 * (about, privacy, terms), `/guidance/<entry-id>` (one entry) and an HTML 404 for anything else
 * under `/guidance/`. Pages are rendered from memory on each request (well under a millisecond).
 */
export function registerGuidanceRoutes(server: restify.Server, deps: GuidanceDeps): void {
  const { kb, search } = deps;
  // A page with a banner is about a downtime that moves on: it is not kept by caches.
  const siteNow = async (): Promise<{ config: SiteConfig; cache?: string }> => {
    // A storage hiccup costs the banner, not the page.
    const banner = await deps.banner?.().catch(() => undefined);
    return banner ? { config: { ...deps.config, banner }, cache: CACHE.private } : { config: deps.config };
  };

  const index = async (req: restify.Request, res: restify.Response) => {
    const { config, cache } = await siteNow();
    const q = queryOf(req);
    if (q === undefined) {
      send(res, 200, renderIndex(config, kb), cache ?? CACHE.page);
      return;
    }
    const result = q.trim() === '' ? undefined : search.search(q, { limit: SEARCH_LIMIT });
    const html = renderSearch(config, {
      query: q,
      results: result?.results.map((r) => r.entry) ?? [],
      outOfScope: result?.outOfScope === 'clinical' || result?.outOfScope === 'emergency',
    });
    send(res, 200, html, CACHE.private);
  };
  server.get('/guidance', index);
  server.get('/guidance/', index);
  server.head('/guidance', index);
  server.head('/guidance/', index);

  server.get('/guidance/about', async (_req, res) => {
    const { config, cache } = await siteNow();
    send(res, 200, renderAbout(config, kb), cache ?? CACHE.page);
  });

  server.get('/guidance/:id', async (req, res) => {
    const id = typeof req.params?.id === 'string' ? req.params.id : '';
    const entry = kb.byId.get(id);
    const { config, cache } = await siteNow();
    if (!entry) {
      send(res, 404, renderNotFound(config), CACHE.private);
      return;
    }
    send(res, 200, renderEntry(config, kb, entry), cache ?? CACHE.page);
  });

  server.get('/guidance/*', async (_req, res) => {
    send(res, 404, renderNotFound((await siteNow()).config), CACHE.private);
  });
}
