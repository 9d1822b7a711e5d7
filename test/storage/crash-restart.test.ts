import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../knowledge/project-root.js';

// Security review H1: a kill -9 under load left lock files, and after a restart under another host
// name (any new container) those conversations answered every message with an apology, after 16 s.
// With SQLite there is nothing to leave behind: this kills the bot in the middle of 30 busy
// conversations and restarts it under a new host name on the same DATA_DIR.

interface Connector {
  url: string;
  replies: Map<string, string[]>;
  close(): Promise<void>;
}

/** A Bot Framework connector that records every reply by conversation and answers 200. */
async function startConnector(): Promise<Connector> {
  const replies = new Map<string, string[]>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const conversation = decodeURIComponent(/\/v3\/conversations\/([^/]+)\//.exec(req.url ?? '')?.[1] ?? '');
      try {
        const activity = JSON.parse(body) as { type?: string; text?: string; attachments?: unknown[] };
        if (activity.type === 'message') {
          const list = replies.get(conversation) ?? [];
          list.push(`${activity.text ?? ''} ${JSON.stringify(activity.attachments ?? [])}`);
          replies.set(conversation, list);
        }
      } catch {
        // Not JSON: ignored.
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"reply"}');
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    replies,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

// A new UTS namespace gives the restarted bot another host name, as a new container would.
const canRenameHost = process.platform === 'linux' && spawnSync('unshare', ['-u', 'true']).status === 0;

async function startBot(dataDir: string, hostName?: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const node = [process.execPath, '--import', 'tsx', 'bot/index.ts'];
  const [command, ...args] =
    hostName && canRenameHost ? ['unshare', '-u', 'sh', '-c', `hostname ${hostName} && exec "$0" "$@"`, ...node] : node;
  const child = spawn(command ?? process.execPath, args, {
    cwd: projectRoot(),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`bot exited: ${log}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { base, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`bot did not start: ${log}`);
}

function activity(serviceUrl: string, conversationId: string, text: string) {
  return {
    type: 'message',
    id: `m-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user', aadObjectId: '00000000-0000-4000-8000-000000000001' },
    recipient: { id: '28:bot' },
    conversation: { id: conversationId, conversationType: 'personal' },
    text,
  };
}

async function post(base: string, body: unknown): Promise<number> {
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

const CONVERSATIONS = Array.from({ length: 30 }, (_, i) => `crash-conv-${i}`);
const children: ChildProcess[] = [];
let connector: Connector;
let dataDir: string;

beforeAll(async () => {
  connector = await startConnector();
  dataDir = await mkdtemp(join(tmpdir(), 'ers-crash-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await connector.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the bot is killed with SIGKILL under load and restarted under another host name', () => {
  test('every conversation answers its next message once, with no apology, and nothing is left to clean', async () => {
    const first = await startBot(dataDir);
    children.push(first.child);
    // Each conversation keeps a dialog going (state written every turn) until the kill.
    let stop = false;
    let turns = 0;
    const load = CONVERSATIONS.map(async (id) => {
      while (!stop) {
        for (const text of ['troubleshoot', '3']) {
          await post(first.base, activity(connector.url, id, text)).catch(() => 0);
          turns += 1;
        }
      }
    });
    while (turns < 150) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(load);
    expect(turns).toBeGreaterThanOrEqual(150);

    const second = await startBot(dataDir, 'newcontainer');
    children.push(second.child);
    connector.replies.clear();
    const statuses = await Promise.all(
      CONVERSATIONS.map((id) => post(second.base, activity(connector.url, id, 'help'))),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const id of CONVERSATIONS) {
      const replies = connector.replies.get(id) ?? [];
      expect(replies, id).toHaveLength(1);
      expect(replies[0], id).toContain('Troubleshoot a problem');
      expect(replies[0], id).not.toContain('Sorry, something went wrong');
    }
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    // SQLite's own files only: no lock files, no temporary files.
    const left = (await readdir(dataDir)).filter((name) => !/^ers-helper\.sqlite(?:-wal|-shm)?$/.test(name));
    expect(left).toEqual([]);
  });
});

describe('the bot is started with a DATA_DIR it cannot use', () => {
  test('it exits at once with the path and the reason, instead of reporting healthy', async () => {
    const file = join(dataDir, 'a-file');
    await writeFile(file, 'not a directory');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
      cwd: projectRoot(),
      env: { ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: file, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot use DATA_DIR ${file}: it is a file, not a directory`);
  });
});
