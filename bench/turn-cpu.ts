import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Activity, Storage } from 'botbuilder';
import { TurnContext } from 'botbuilder';
import { projectRoot } from '../knowledge/project-root.js';
import { messageActivity } from './load.js';

/*
 * `npx tsx bench/turn-cpu.ts [--build dist] [--scenario dialog] [--alloc] [--no-build]`: the app's
 * own cost of one turn, in process, with no HTTP and no connector: the app made as bot/index.ts
 * makes it (SQLite storage in a temp DATA_DIR, the insights and usage recorders), turns run one
 * after another over 50 conversations with the bench's messages, replies dropped by the adapter.
 * Prints CPU time per turn (process.cpuUsage over a batch, five batches after a warm-up), which
 * moves far less with other work on the machine than anything measured over HTTP, so it is the
 * figure for judging one change to the turn's own code. `--build dist/old` measures an earlier
 * build (see bench/README.md for making one). `--alloc` prints where the turn allocates instead
 * (V8's sampling heap profiler, collected objects included): garbage is what the scavenger pays for.
 */

const ROOT = projectRoot();
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const BUILD = path.resolve(ROOT, arg('--build') ?? 'dist');
const ONLY = arg('--scenario');
const ALLOC = process.argv.includes('--alloc');
const CONVERSATIONS = 50;
const WARMUP = 2_000;
const BATCH = 3_000;
const SCENARIOS: Record<string, string[]> = {
  knowledge: ['list the e-RS worklists'],
  dialog: ['troubleshoot', '5'],
  deadline: ['routine referral deferred on 2 March 2026 - contact-by date'],
};
const say = (line: string) => process.stdout.write(`${line}\n`);

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: HeapNode[];
}

// The compiled app is loaded at run time, so an earlier build can be measured the same way.
async function load<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(BUILD, file)).href)) as T;
}

function where(frame: HeapNode['callFrame']): string {
  const file = frame.url.replace(/.*node_modules\//, '').replace(/.*\/(?:dist|old|c\d)\//, '');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

async function main() {
  if (!process.argv.includes('--no-build') && !arg('--build'))
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ers-turn-cpu-'));
  const { loadConfig } = await load<typeof import('../bot/config.js')>('bot/config.js');
  const { createLogger } = await load<typeof import('../bot/logger.js')>('bot/logger.js');
  const { createStorage } = await load<typeof import('../bot/storage/create-storage.js')>(
    'bot/storage/create-storage.js',
  );
  const { createInsightsRecorder } =
    await load<typeof import('../bot/insights/recorder.js')>('bot/insights/recorder.js');
  const { appDeps } = await load<typeof import('../bot/deps.js')>('bot/deps.js');
  const { createAdapter } = await load<typeof import('../bot/adapter.js')>('bot/adapter.js');
  const { createApp } = await load<typeof import('../bot/app.js')>('bot/app.js');
  const { systemClock } = await load<typeof import('../knowledge/time/clock.js')>('knowledge/time/clock.js');

  const config = loadConfig({ STORAGE_KIND: 'sqlite', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const storage: Storage = await createStorage(config.storage, logger);
  const insights = createInsightsRecorder(storage, logger);
  const deps = appDeps({ storage, clock: systemClock, logger, insights });
  const adapter = createAdapter(config);
  // Replies go nowhere: the connector's cost is the same for any bot on this stack (the echo's).
  adapter.sendActivities = async (_context, activities) => activities.map(() => ({ id: 'sent' }));
  const app = createApp(config, { ...deps, adapter });

  const turn = async (text: string, conversation: number) => {
    // The activity the HTTP bench sends (bench/load.ts), as the body parser would hand it over.
    const activity = JSON.parse(
      messageActivity(text, `conversation-${conversation}`, 'http://127.0.0.1:9/', `user-${conversation}`),
    ) as Activity;
    await app.run(new TurnContext(adapter, activity));
  };

  try {
    for (const [name, messages] of Object.entries(SCENARIOS)) {
      if (ONLY && ONLY !== name) continue;
      const said = new Array<number>(CONVERSATIONS).fill(0);
      const run = async (turns: number) => {
        for (let i = 0; i < turns; i++) {
          const conversation = i % CONVERSATIONS;
          const n = said[conversation] ?? 0;
          said[conversation] = n + 1;
          await turn(messages[n % messages.length] ?? '', conversation);
        }
      };
      await run(WARMUP);
      if (ALLOC) {
        const session = new Session();
        session.connect();
        await session.post('HeapProfiler.enable');
        // Objects the scavenger and the full collector took are counted too: garbage is the cost here.
        const sampling = {
          samplingInterval: 512,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        };
        await session.post('HeapProfiler.startSampling', sampling);
        await run(BATCH);
        const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: HeapNode } };
        session.disconnect();
        const self = new Map<string, number>();
        let total = 0;
        const walk = (node: HeapNode, parent: string) => {
          // A built-in (String.prototype.split, RegExp exec) is named with the function that called it.
          const key =
            node.callFrame.url === '' && parent ? `${parent} > ${node.callFrame.functionName}` : where(node.callFrame);
          total += node.selfSize;
          if (node.selfSize > 0) self.set(key, (self.get(key) ?? 0) + node.selfSize);
          for (const child of node.children ?? []) walk(child, node.callFrame.url === '' ? parent : key);
        };
        walk(profile.head, '');
        say(`${name}: about ${(total / BATCH / 1024).toFixed(1)} KB allocated per turn (sampled)`);
        for (const [key, bytes] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20))
          say(`  ${(bytes / BATCH / 1024).toFixed(2).padStart(6)} KB  ${key}`);
        continue;
      }
      const perTurn: number[] = [];
      for (let batch = 0; batch < 5; batch++) {
        const before = process.cpuUsage();
        await run(BATCH);
        const used = process.cpuUsage(before);
        perTurn.push((used.user + used.system) / BATCH);
      }
      perTurn.sort((a, b) => a - b);
      say(
        `${name.padEnd(9)} CPU per turn: min ${perTurn[0]?.toFixed(0)} µs, median ${perTurn[2]?.toFixed(0)} µs (${perTurn.map((u) => u.toFixed(0)).join(', ')})`,
      );
    }
  } finally {
    await insights.flushed();
    await deps.usage.flushed();
    (storage as { close?: () => void }).close?.();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
