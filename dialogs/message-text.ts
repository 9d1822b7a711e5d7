import type { TurnContext } from 'botbuilder';

const MAX_CHARS = 2000;

/**
 * The user's words, cleaned the same way for every route: Teams mention markup and HTML removed
 * (teams-ai strips the bot's own mention, but a channel message may carry others), entities decoded,
 * white space folded, and cut to a bounded length so a pasted essay cannot slow a turn.
 */
export function cleanText(raw: string | undefined): string {
  if (!raw) return '';
  return raw
    .slice(0, MAX_CHARS * 2)
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_CHARS);
}

const CACHE_KEY = Symbol('ers.messageText');

export function messageText(context: TurnContext): string {
  const cached = context.turnState.get(CACHE_KEY) as string | undefined;
  if (cached !== undefined) return cached;
  const value = cleanText(context.activity.text);
  context.turnState.set(CACHE_KEY, value);
  return value;
}
