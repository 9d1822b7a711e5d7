/**
 * A token bucket per key (usually the client address), with the clock passed in so tests and the
 * server agree on time. Memory is bounded: past `maxKeys`, the least recently used key is evicted.
 * An evicted key comes back with a full bucket, so `maxKeys` should comfortably exceed the number of
 * clients active within one refill period.
 */

export interface RateLimiterOptions {
  /** Most requests allowed in a burst; a new key starts with this many tokens. */
  capacity: number;
  /** Tokens added back per second, up to `capacity`. */
  refillPerSecond: number;
  /** Most keys remembered at once. */
  maxKeys: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise whole seconds until one token is back (for a Retry-After header). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string, nowMs: number): RateLimitDecision;
  /** Keys currently remembered (for tests and metrics). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
}

/**
 * @example
 * const limiter = createRateLimiter({ capacity: 20, refillPerSecond: 1, maxKeys: 10_000 });
 * const { allowed, retryAfterSeconds } = limiter.take(req.socket.remoteAddress ?? 'unknown', clock.now().getTime());
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { capacity, refillPerSecond, maxKeys } = options;
  assertPositive('capacity', capacity);
  assertPositive('refillPerSecond', refillPerSecond);
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);
  }

  // A Map iterates in insertion order, so re-inserting on every use keeps the oldest key first.
  const buckets = new Map<string, Bucket>();

  function take(key: string, nowMs: number): RateLimitDecision {
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: capacity, updatedMs: nowMs };
      while (buckets.size >= maxKeys) {
        const oldest = buckets.keys().next();
        if (oldest.done === true) break;
        buckets.delete(oldest.value);
      }
    } else {
      buckets.delete(key);
      // A clock that steps backwards (NTP correction) must not mint or drain tokens.
      const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
      bucket.tokens = Math.min(capacity, bucket.tokens + (elapsedMs / 1000) * refillPerSecond);
      bucket.updatedMs = Math.max(bucket.updatedMs, nowMs);
    }
    buckets.set(key, bucket);

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond));
    return { allowed: false, retryAfterSeconds };
  }

  return {
    take,
    get size() {
      return buckets.size;
    },
  };
}
