import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Latency summary in milliseconds. */
export interface Latency {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of an already sorted list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}

export function summarise(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * A minimal Bot Framework connector: answers every activity the bot posts with 200 and counts the
 * message activities per conversation, nothing more, so it costs the load generator little CPU on
 * a machine it shares with the bot. botwire's connector keeps every activity, which over tens of
 * thousands of turns would weigh on the bench process.
 */
export interface Connector {
  url: string;
  /** Message activities (not typing) received for a conversation so far. */
  messages(conversationId: string): number;
  /** When (performance.now()) the last message activity for a conversation arrived. */
  lastMessageAt(conversationId: string): number;
  /** The last message activity received for a conversation (kept for a few sample conversations). */
  sample(conversationId: string): unknown;
  keepSamplesFor(conversationId: string): void;
  close(): Promise<void>;
}

const ACTIVITY_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/;

export async function startConnector(): Promise<Connector> {
  const counts = new Map<string, number>();
  const lastAt = new Map<string, number>();
  const samples = new Map<string, unknown>();
  let replyId = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = ACTIVITY_PATH.exec(req.url ?? '');
      if (match && (req.method === 'POST' || req.method === 'PUT')) {
        const conversationId = decodeURIComponent(match[1] ?? '');
        const body = Buffer.concat(chunks).toString('utf8');
        let activity: { type?: unknown } = {};
        try {
          activity = JSON.parse(body) as { type?: unknown };
        } catch {
          activity = {};
        }
        if (activity.type === 'message') {
          counts.set(conversationId, (counts.get(conversationId) ?? 0) + 1);
          lastAt.set(conversationId, performance.now());
          if (samples.has(conversationId)) samples.set(conversationId, activity);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"r-${++replyId}"}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    messages: (id) => counts.get(id) ?? 0,
    lastMessageAt: (id) => lastAt.get(id) ?? Number.NaN,
    sample: (id) => samples.get(id),
    keepSamplesFor: (id) => {
      samples.set(id, undefined);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sequence = 0;

/** A Teams message activity, shaped as botwire's `message()` (and Teams) sends it. */
export function messageActivity(text: string, conversationId: string, serviceUrl: string, userId: string): string {
  sequence += 1;
  const now = new Date().toISOString();
  return JSON.stringify({
    type: 'message',
    id: `in-${sequence}`,
    timestamp: now,
    localTimestamp: now,
    serviceUrl,
    channelId: 'msteams',
    from: { id: `29:${userId}`, name: 'Bench User', aadObjectId: '00000000-0000-0000-0000-000000000001' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:bot', name: 'e-RS Helper' },
    text,
    textFormat: 'plain',
    locale: 'en-GB',
    entities: [],
    channelData: { tenant: { id: 'tenant-1' } },
  });
}

export interface PostResult {
  status: number;
  ms: number;
}

/** One keep-alive agent per run, so connection set-up is not part of a turn (Azure keeps connections too). */
export function createClient(url: string): { post(body: string): Promise<PostResult>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const target = new URL(url);
  return {
    post: (body) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const req = http.request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

export interface Scenario {
  name: string;
  /** Sent in order, round and round, in each conversation. */
  messages: readonly string[];
}

export interface LoadOptions {
  url: string;
  connector: Connector;
  scenario: Scenario;
  concurrency: number;
  /** Conversation ids are `${prefix}-${n}`; a fresh prefix gives fresh conversation state. */
  prefix: string;
  /** Measuring starts after this long and after one turn per conversation, whichever is later. */
  warmupMs: number;
  measureMs: number;
  /** Hard stop for the whole cell, in case the bot is far slower than expected. */
  capMs: number;
}

export interface LoadResult {
  scenario: string;
  concurrency: number;
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  latency: Latency;
  errors: number;
  /** From sending a message to its last reply reaching the connector: what the user waits for. */
  replyLatency: Latency;
  /** Turns whose reply had reached the connector by the time the POST returned (should be all). */
  repliedBeforePostReturned: number;
  statuses: Record<string, number>;
  /** Every turn of the cell, warm-up included (for CPU time per turn). */
  allTurns: number;
}

/**
 * Closed-loop load: `concurrency` conversations, each sending its next message as soon as the last
 * turn's POST returns. Turns finished inside the measuring window count towards throughput and
 * latency; the warm-up absorbs the first wave (JIT, connection set-up, state creation).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const client = createClient(options.url);
  const start = performance.now();
  let completedTotal = 0;
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let stopping = false;
  const latencies: number[] = [];
  const replyLatencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let replied = 0;

  const openWindowIfReady = (now: number) => {
    if (windowStart === Number.POSITIVE_INFINITY && now - start >= options.warmupMs) {
      // A slow bot at high concurrency may not finish one turn per conversation in half the cap.
      if (completedTotal >= options.concurrency || now - start >= options.capMs / 2) {
        windowStart = now;
        windowEnd = now + options.measureMs;
      }
    }
  };

  const worker = async (n: number) => {
    const conversationId = `${options.prefix}-${n}`;
    const userId = `${options.prefix}-user-${n}`;
    let step = 0;
    while (!stopping) {
      const text = options.scenario.messages[step % options.scenario.messages.length] ?? '';
      step += 1;
      const before = options.connector.messages(conversationId);
      const body = messageActivity(text, conversationId, options.connector.url, userId);
      let result: PostResult;
      const sent = performance.now();
      try {
        result = await client.post(body);
      } catch {
        result = { status: 0, ms: Number.NaN };
      }
      const now = performance.now();
      completedTotal += 1;
      openWindowIfReady(now);
      if (now >= windowStart && now <= windowEnd) {
        statuses[result.status] = (statuses[result.status] ?? 0) + 1;
        if (result.status === 200) {
          latencies.push(result.ms);
          if (options.connector.messages(conversationId) > before) {
            replied += 1;
            replyLatencies.push(options.connector.lastMessageAt(conversationId) - sent);
          }
        } else errors += 1;
      }
      if (now > windowEnd || now - start > options.capMs) stopping = true;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, n) => worker(n)));
  client.close();
  const end = Math.min(windowEnd, performance.now());
  const seconds = windowStart === Number.POSITIVE_INFINITY ? 0 : (end - windowStart) / 1000;
  const latency = summarise(latencies);
  return {
    scenario: options.scenario.name,
    concurrency: options.concurrency,
    turns: latency.n,
    seconds,
    turnsPerSecond: seconds > 0 ? latency.n / seconds : 0,
    latency,
    replyLatency: summarise(replyLatencies),
    errors,
    repliedBeforePostReturned: replied,
    statuses,
    allTurns: completedTotal,
  };
}
