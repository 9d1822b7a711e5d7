/**
 * How sends are paced and retried: which connector errors are worth another try (and when), which
 * mean the conversation is gone, backoff with jitter, and the per-conversation and global send
 * rates. Pure apart from the limiter's own memory; time is passed in.
 */

export interface Backoff {
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_BACKOFF: Readonly<Backoff> = Object.freeze({ baseBackoffMs: 1_000, maxBackoffMs: 30_000 });

export type SendErrorClass =
  | { kind: 'retry'; retryAfterMs?: number; code: string }
  | { kind: 'inactive'; code: string }
  | { kind: 'failed'; code: string };

const RETRY_STATUSES = new Set([412, 429, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'REQUEST_SEND_ERROR']);
const GONE =
  /MessageWritesBlocked|ConversationBlockedByUser|BotNotInConversationRoster|not installed|BotDisabledByAdmin/i;

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/** Retry-After as seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(value: unknown, now: Date): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value * 1000);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function retryAfterOf(err: unknown, now: Date): number | undefined {
  const explicit = field(err, 'retryAfterMs');
  if (typeof explicit === 'number') return explicit;
  // bot/adapter.ts's ThrottledError (cut off by the budget while throttled) keeps the header's value.
  const kept = field(err, 'retryAfter');
  if (typeof kept === 'string') return parseRetryAfter(kept, now);
  // botframework-connector throws @azure/core-rest-pipeline's RestError: headers live on `response`.
  const headers = field(field(err, 'response'), 'headers') as { get?: (name: string) => unknown } | undefined;
  const fromHeader = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  return parseRetryAfter(fromHeader, now);
}

/**
 * What to do after a failed send. botbuilder's connector client already retries a 429 three times
 * (honouring Retry-After) and 5xx with backoff before it throws, so an error here is one that
 * outlasted those; it carries the HTTP status as `statusCode` and the Teams error code as `code`.
 */
export function classifySendError(err: unknown, now: Date): SendErrorClass {
  const status = field(err, 'statusCode');
  const rawCode = field(err, 'code');
  const code = typeof rawCode === 'string' ? rawCode : '';
  const message = err instanceof Error ? err.message : '';
  const label = typeof status === 'number' ? `${status}${code ? ` ${code}` : ''}` : code || 'error';
  if (typeof status === 'number') {
    if (RETRY_STATUSES.has(status)) return { kind: 'retry', retryAfterMs: retryAfterOf(err, now), code: label };
    if (status === 404 || (status === 403 && GONE.test(`${code} ${message}`))) return { kind: 'inactive', code: label };
    return { kind: 'failed', code: label };
  }
  if (NETWORK_CODES.has(code)) return { kind: 'retry', code: label };
  return { kind: 'failed', code: label };
}

/** Exponential backoff with jitter (half fixed, half random), never sooner than Retry-After. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: number,
  options: Backoff = DEFAULT_BACKOFF,
): number {
  const backoff = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  const jittered = backoff / 2 + random * (backoff / 2);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

/**
 * Sliding one-second windows, one for all sends and one per conversation. `waitMs` says how long until
 * a send is allowed; `record` counts one. Pure apart from its own memory; time is passed in.
 */
export class SendRateLimiter {
  private readonly all: number[] = [];
  private readonly byConversation = new Map<string, number[]>();

  constructor(
    private readonly perConversation: number,
    private readonly global: number,
    private readonly windowMs = 1_000,
  ) {}

  private prune(list: number[], now: number): void {
    while (list.length > 0 && (list[0] ?? 0) <= now - this.windowMs) list.shift();
  }

  waitMs(conversationId: string, now: number): number {
    this.prune(this.all, now);
    const mine = this.byConversation.get(conversationId) ?? [];
    this.prune(mine, now);
    let wait = 0;
    if (this.all.length >= this.global) {
      wait = Math.max(wait, (this.all[this.all.length - this.global] ?? now) + this.windowMs - now);
    }
    if (mine.length >= this.perConversation) {
      wait = Math.max(wait, (mine[mine.length - this.perConversation] ?? now) + this.windowMs - now);
    }
    return wait;
  }

  record(conversationId: string, now: number): void {
    this.all.push(now);
    const mine = this.byConversation.get(conversationId) ?? [];
    mine.push(now);
    this.byConversation.set(conversationId, mine);
  }
}
