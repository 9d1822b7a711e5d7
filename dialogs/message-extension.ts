import type { Application, Query } from '@microsoft/teams-ai';
import {
  type Attachment,
  CardFactory,
  type MessagingExtensionAttachment,
  type MessagingExtensionResult,
} from 'botbuilder';
import type { Entities } from '../knowledge/entities.js';
import { truncateText } from '../knowledge/safety/input-limits.js';
import type { Entry } from '../knowledge/schema.js';
import { answerCard, entryBody, guidanceUrl, sourceLine } from './answer-card.js';
import { text } from './cards/card.js';
import { routeMarkdown } from './contacts-view.js';
import type { FeatureConfig, FeatureDeps } from './feature-deps.js';
import { focusedRoutes } from './knowledge.js';
import { ME_TEXT } from './message-extension-text.js';
import { commonTopics, mostUsed } from './most-used.js';
import type { AppTurnState } from './state.js';

export const SEARCH_COMMAND_ID = 'searchGuidance';
/** Teams shows at most a short list in the compose box; more would only be scrolled past. */
export const MAX_RESULTS = 10;
/** Longer contact tables (the downtime addresses) stay on the guidance page, as in chat. */
const MAX_CONTACTS_IN_CARD = 6;
const PREVIEW_CHARS = 140;
/** Compose-box searches are a few words; more is pasted text, not a search. */
const MAX_QUERY_CHARS = 200;

/** A fresh value each time: focusedRoutes only reads it, but Entities' arrays are mutable. */
const noEntities = (): Entities => ({ sites: [], trusts: [], boroughs: [] });

/**
 * The card a facilitator drops into a chat: title, answer, steps, contacts, source line and a link
 * to the guidance page. No submit or choice buttons (card.ts `choice`): the people reading it may not have the bot, and
 * a button that posts into their chat would do nothing useful there.
 */
export function shareCard(deps: Pick<FeatureDeps, 'config' | 'kb'>, entry: Entry, entities: Entities): Attachment {
  const body = entryBody(entry);
  const routes = focusedRoutes(entry, deps.kb.routesById, entities);
  if (routes.length > 0 && routes.length <= MAX_CONTACTS_IN_CARD) {
    body.push(text(routes.map((r) => routeMarkdown(r)).join('\n\n')));
  } else if (routes.length > MAX_CONTACTS_IN_CARD) {
    body.push(text(ME_TEXT.contactsOnPage));
  }
  return answerCard({
    title: entry.title,
    body,
    source: sourceLine(entry),
    pageUrl: guidanceUrl(deps.config, entry.id),
  });
}

/** The first line of the answer, cut at a word so the compose-box list stays one line each. */
export function previewText(entry: Entry): string {
  const first = (entry.answer.split('\n')[0] ?? '').trim();
  if (first.length <= PREVIEW_CHARS) return first;
  const cut = first.slice(0, PREVIEW_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > PREVIEW_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** One search result: the full card that is inserted, with a small preview for the list. */
export function resultAttachment(
  deps: Pick<FeatureDeps, 'config' | 'kb'>,
  entry: Entry,
  entities: Entities = noEntities(),
): MessagingExtensionAttachment {
  return { ...shareCard(deps, entry, entities), preview: CardFactory.thumbnailCard(entry.title, previewText(entry)) };
}

function listResult(attachments: MessagingExtensionAttachment[]): MessagingExtensionResult {
  return { type: 'result', attachmentLayout: 'list', attachments };
}

function messageResult(message: string): MessagingExtensionResult {
  return { type: 'message', text: message };
}

/**
 * The compose-box search: the same search as the chat, up to ten results; an empty box (or the
 * initial run when the extension opens) lists the most used topics.
 */
export async function searchGuidance(
  deps: Pick<FeatureDeps, 'config' | 'kb' | 'search' | 'logger' | 'usage'>,
  queryText: string,
  paging: { skip: number; count: number } = { skip: 0, count: MAX_RESULTS },
): Promise<MessagingExtensionResult> {
  const skip = Math.max(0, Math.floor(paging.skip) || 0);
  const count = Math.min(MAX_RESULTS, Math.max(0, Math.floor(paging.count) || MAX_RESULTS));
  // Only the first page has results: the list is capped at ten, so a scroll for more gets none.
  if (skip >= MAX_RESULTS) return listResult([]);
  const trimmed = truncateText(queryText, MAX_QUERY_CHARS).trim();
  if (trimmed === '') {
    let entries: Entry[];
    try {
      entries = mostUsed(await deps.usage.counts(), deps.kb, MAX_RESULTS);
    } catch (err: unknown) {
      deps.logger.warn(
        { event: 'usage.read.failed', err: err instanceof Error ? err.name : 'unknown' },
        'usage counts unavailable; showing the common topics',
      );
      entries = commonTopics(deps.kb, MAX_RESULTS);
    }
    return listResult(entries.slice(skip, skip + count).map((entry) => resultAttachment(deps, entry)));
  }
  const result = deps.search.search(trimmed, { limit: MAX_RESULTS });
  if (result.outOfScope === 'clinical' || result.outOfScope === 'emergency') return messageResult(ME_TEXT.outOfScope);
  if (result.results.length === 0) return messageResult(ME_TEXT.noResults);
  return listResult(
    result.results.slice(skip, skip + count).map(({ entry }) => resultAttachment(deps, entry, result.entities)),
  );
}

/**
 * The entry id in a guidance page link on this bot's public host (`<base>/guidance/<id>`), or
 * undefined for any other link. The scheme is not compared: Teams may hand over http or https.
 */
export function entryIdFromUrl(config: Pick<FeatureConfig, 'publicBaseUrl'>, url: string): string | undefined {
  let link: URL;
  let base: URL;
  try {
    link = new URL(url);
    base = new URL(config.publicBaseUrl);
  } catch (err: unknown) {
    if (err instanceof TypeError) return undefined;
    throw err;
  }
  if (link.host.toLowerCase() !== base.host.toLowerCase()) return undefined;
  const prefix = `${base.pathname.replace(/\/+$/, '')}/guidance/`;
  if (!link.pathname.startsWith(prefix)) return undefined;
  const rest = link.pathname.slice(prefix.length).replace(/\/+$/, '');
  if (rest === '' || rest.includes('/')) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch (err: unknown) {
    if (err instanceof URIError) return undefined;
    throw err;
  }
}

/** Link unfurling: a guidance page link becomes that entry's card; anything else, nothing. */
export function unfurl(deps: Pick<FeatureDeps, 'config' | 'kb'>, url: string): MessagingExtensionResult {
  const id = entryIdFromUrl(deps.config, url);
  const entry = id === undefined ? undefined : deps.kb.byId.get(id);
  return listResult(entry ? [resultAttachment(deps, entry)] : []);
}

/**
 * The search message extension (`searchGuidance` in the manifest) and link unfurling for the
 * guidance pages. Both answer from memory, well inside Teams' five-second limit for invokes.
 */
export function registerMessageExtension(app: Application<AppTurnState>, deps: FeatureDeps): void {
  app.messageExtensions.query(
    SEARCH_COMMAND_ID,
    async (_context, _state, query: Query<Record<string, unknown>>): Promise<MessagingExtensionResult> => {
      const raw = query.parameters.query;
      // The initial run (manifest `initialRun: true`) sends no query parameter at all.
      const queryText = typeof raw === 'string' ? raw : '';
      const result = await searchGuidance(deps, queryText, { skip: query.skip, count: query.count });
      deps.logger.info(
        { event: 'message-extension.query', results: result.attachments?.length ?? 0, empty: queryText.trim() === '' },
        'compose-box search answered',
      );
      return result;
    },
  );

  app.messageExtensions.queryLink(async (_context, _state, url): Promise<MessagingExtensionResult> => {
    const result = unfurl(deps, typeof url === 'string' ? url : '');
    deps.logger.info(
      { event: 'message-extension.unfurl', unfurled: (result.attachments?.length ?? 0) > 0 },
      'guidance link unfurled',
    );
    return result;
  });
}
