import http from 'node:http';
import net from 'node:net';

/**
 * Talks to the bot the way Azure Bot Service does: POSTs Bot Framework activities to its /api/messages
 * and runs a local connector (the activities' serviceUrl) that records every reply the bot sends back.
 * Everything binds 127.0.0.1.
 */

export interface Activity {
  type?: string;
  text?: string;
  attachments?: { contentType: string; content?: unknown }[];
  suggestedActions?: unknown;
  [key: string]: unknown;
}
export interface Received {
  method: string;
  path: string;
  /** The id the connector gave a posted activity (what a later submit's replyToId names). */
  id: string;
  activity: Activity;
  at: number;
}
export interface Connector {
  url: string;
  received(conversationId: string): Received[];
  all(): Map<string, Received[]>;
  onPost(fn: (conversationId: string) => void): void;
  /** The next `n` posts to this conversation get 429 with Retry-After: 1. */
  failNext(conversationId: string, n: number): void;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A local Bot Framework connector: records every activity the bot posts or updates (PUT). */
export async function startConnector({
  fail429 = 0,
  port = 0,
}: {
  fail429?: number;
  port?: number;
} = {}): Promise<Connector> {
  const byConversation = new Map<string, Received[]>();
  const failuresLeft = new Map<string, number>();
  const listeners = new Set<(conversationId: string) => void>();
  let counter = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (req.method === 'POST' && path === '/v3/conversations') {
        // createConversation (proactive 1:1 or a new channel thread)
        counter += 1;
        sendJson(res, 200, { id: `created-${counter}`, activityId: `a-${counter}` });
        return;
      }
      const m = ACTIVITIES.exec(path);
      if (m?.[1] && (req.method === 'POST' || req.method === 'PUT')) {
        const conv = m[1];
        const left = failuresLeft.get(conv) ?? fail429;
        if (left > 0) {
          failuresLeft.set(conv, left - 1);
          sendJson(res, 429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '1' });
          return;
        }
        let activity: Activity;
        try {
          activity = JSON.parse(body || '{}') as Activity;
        } catch {
          activity = { unparsable: body };
        }
        counter += 1;
        // A PUT updates the activity it names; a POST to .../activities/<id> is a reply to <id>.
        const id = req.method === 'PUT' && m[2] ? m[2] : `r-${counter}`;
        const list = byConversation.get(conv) ?? [];
        list.push({ method: req.method, path, id, activity, at: Date.now() });
        byConversation.set(conv, list);
        for (const listener of listeners) listener(conv);
        sendJson(res, 200, { id });
        return;
      }
      if (req.method === 'GET' && path.includes('/members')) {
        sendJson(res, 200, [{ id: 'user-1', name: 'Test User', aadObjectId: '00000000-0000-0000-0000-000000000001' }]);
        return;
      }
      sendJson(res, 200, {});
    });
  });
  await new Promise<void>((resolveListen) => server.listen(port, HOST, resolveListen));
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${HOST}:${boundPort}/`,
    received: (conv) => byConversation.get(conv) ?? [],
    all: () => byConversation,
    onPost: (fn) => {
      listeners.add(fn);
    },
    failNext: (conv, n) => {
      failuresLeft.set(conv, n);
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
      }),
  };
}

export interface MessageOptions {
  conversationId?: string;
  serviceUrl?: string;
  conversationType?: string;
  channelId?: string;
  value?: unknown;
  from?: unknown;
  /** The id of the bot's activity this one answers (a card's submit carries it). */
  replyToId?: string;
}

export type MessageActivity = Activity & {
  id: string;
  conversation: { id: string; conversationType: string; tenantId: string };
};

let sequence = 0;
/** A message activity as Teams sends it, in a conversation of its own unless one is given. */
export function message(text: string | undefined, options: MessageOptions = {}): MessageActivity {
  sequence += 1;
  const now = new Date().toISOString();
  const mention = text?.match(/<at>.*?<\/at>/)?.[0];
  return {
    type: 'message',
    id: `in-${Date.now()}-${sequence}`,
    timestamp: now,
    localTimestamp: now,
    serviceUrl: options.serviceUrl,
    channelId: options.channelId ?? 'msteams',
    from: options.from ?? {
      id: '29:user-1',
      name: 'Test User',
      aadObjectId: '00000000-0000-0000-0000-000000000001',
    },
    conversation: {
      id: options.conversationId ?? `conv-${Date.now()}-${sequence}`,
      conversationType: options.conversationType ?? 'personal',
      tenantId: 'tenant-1',
    },
    recipient: { id: '28:bot', name: 'e-RS Helper' },
    text,
    textFormat: 'plain',
    locale: 'en-GB',
    value: options.value,
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    entities: mention ? [{ type: 'mention', text: mention, mentioned: { id: '28:bot', name: 'e-RS Helper' } }] : [],
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

/** POSTs one activity to the bot; resolves with the HTTP status and body once the turn is over. */
export async function post(
  botUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(botUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}

// Card properties that are layout or machinery, not words a person reads.
const NOT_READ = new Set([
  'type',
  'version',
  '$schema',
  'style',
  'size',
  'weight',
  'color',
  'spacing',
  'horizontalAlignment',
  'verticalContentAlignment',
  'width',
  'height',
  'id',
  'wrap',
  'isSubtle',
  'fontType',
  'contentType',
  'msteams',
  'mode',
  // What a button sends back, and a tappable row's action (its row's text is what is read).
  'data',
  'selectAction',
]);

function strings(node: unknown, out: string[]): void {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const item of node) strings(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) if (!NOT_READ.has(key)) strings(value, out);
  }
}

/** Everything a person would read in the bot's replies: text, cards and suggested actions. */
export function readable(activities: readonly Partial<Activity>[]): string {
  const out: string[] = [];
  for (const activity of activities) {
    if (activity.type && activity.type !== 'message') continue;
    if (activity.text) out.push(activity.text);
    if (activity.attachments)
      strings(
        activity.attachments.map((a) => a.content ?? a),
        out,
      );
    if (activity.suggestedActions) strings(activity.suggestedActions, out);
  }
  return out.join('\n');
}

/** Waits until the bot's replies to a conversation have been quiet for `quietMs` (at most `maxMs`). */
export async function settle(connector: Connector, conv: string, quietMs = 150, maxMs = 5000): Promise<Activity[]> {
  const start = Date.now();
  let last = connector.received(conv).length;
  let since = Date.now();
  while (Date.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 25));
    const n = connector.received(conv).length;
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return connector.received(conv).map((r) => r.activity);
}

/** A port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The activities Teams sends when the app is added to a team (its General channel). */
export function teamInstall(teamId: string, serviceUrl: string, teamName = 'Practice team'): Activity[] {
  const { text: _text, ...base } = message(undefined, {
    conversationId: teamId,
    serviceUrl,
    conversationType: 'channel',
  });
  base.entities = [];
  const channelData = {
    team: { id: teamId, name: teamName },
    channel: { id: teamId, name: 'General' },
    tenant: { id: 'tenant-1' },
  };
  return [
    { ...base, id: `${base.id}-i`, type: 'installationUpdate', action: 'add', channelData },
    {
      ...base,
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:bot' }],
      channelData: { ...channelData, eventType: 'teamMemberAdded' },
    },
  ];
}

/** The helpers as one object, for code that passes them around. */
export const botwire = { startConnector, message, post, readable, settle, freePort, teamInstall };
export type Botwire = typeof botwire;
