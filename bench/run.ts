import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../knowledge/project-root.js';
import { renderChart } from './chart.js';
import { type Connector, createClient, messageActivity, runLoad, startConnector } from './load.js';
import { type BotProcess, rssMb, startBotProcess } from './processes.js';
import { type ProfileSummary, summariseProfile } from './profile.js';
import { benchBaselineSearch, benchGrowth, benchOurSearch, labelledQuestions } from './search-bench.js';
import { type BenchResults, type BotName, renderTables } from './tables.js';

/*
 * `npm run bench`: search in process, then the HTTP endpoint of four bots, one at a time, each in a
 * process of its own on 127.0.0.1 with this process as the load generator and connector. `--quick`
 * shortens every window (for trying the bench itself, not for figures); `--report` only redraws the
 * chart and tables from bench/results.json.
 */

const ROOT = projectRoot();
const QUICK = process.argv.includes('--quick');
const CONCURRENCY = [1, 10, 50, 200] as const;
const WINDOW = QUICK
  ? { warmupMs: 200, measureMs: 600, capMs: 4_000 }
  : { warmupMs: 400, measureMs: 2_000, capMs: 10_000 };
const SCENARIOS = [
  { name: 'knowledge', messages: ['list the e-RS worklists'] },
  { name: 'dialog', messages: ['troubleshoot', '5'] },
  { name: 'deadline', messages: ['routine referral deferred on 2 March 2026 - contact-by date'] },
] as const;
const MEMORY_TURNS = QUICK ? 2_000 : 10_000;
const MEMORY_SAMPLE_EVERY = QUICK ? 200 : 1_000;
const COLD_STARTS = QUICK ? 2 : 5;
const MEMORY_OLD_SPACE_MB = 192;

const say = (line: string) => process.stdout.write(`${line}\n`);
const NODE_FLAGS = ['--enable-source-maps', '--disable-warning=DEP0111'];
const TSX = ['--import', 'tsx'];

interface BotSpec {
  name: BotName;
  args: string[];
  env: Record<string, string>;
}

function botSpecs(dataDir: string): BotSpec[] {
  const ours = [...NODE_FLAGS, 'dist/bot/index.js'];
  return [
    { name: 'ours-memory', args: ours, env: { STORAGE_KIND: 'memory', LOG_LEVEL: 'silent' } },
    { name: 'ours-sqlite', args: ours, env: { STORAGE_KIND: 'sqlite', DATA_DIR: dataDir, LOG_LEVEL: 'silent' } },
    { name: 'baseline', args: [...TSX, 'bench/baseline-bot.ts'], env: { LOG_LEVEL: 'silent' } },
    { name: 'echo', args: [...TSX, 'bench/echo-bot.ts'], env: { LOG_LEVEL: 'silent' } },
  ];
}

/** What a person would read first in a reply: its text, or the first text of its card. */
function firstWords(activity: unknown): string {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (found.length > 0 || node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.text === 'string' && record.text.trim() !== '') {
      found.push(record.text);
      return;
    }
    for (const value of Object.values(record)) walk(value);
  };
  walk(activity);
  return (found[0] ?? '').replace(/\s+/g, ' ').slice(0, 110);
}

/**
 * Every cell of the grid, the four bots taking turns within each scenario and concurrency, so a
 * comparison is between runs seconds apart: other work on a shared machine then weighs on all alike.
 */
async function loadGrid(bots: ReadonlyArray<{ spec: BotSpec; bot: BotProcess }>, connector: Connector) {
  const endpoint: BenchResults['endpoint'] = {};
  const samples: BenchResults['samples'] = {};
  for (const scenario of SCENARIOS) {
    for (const concurrency of CONCURRENCY) {
      for (const { spec, bot } of bots) {
        const prefix = `${spec.name}-${scenario.name}-${concurrency}`;
        if (concurrency === 1) connector.keepSamplesFor(`${prefix}-0`);
        const result = await runLoad({ url: bot.url, connector, scenario, concurrency, prefix, ...WINDOW });
        if (concurrency === 1) {
          const replies = samples[spec.name] ?? {};
          replies[scenario.name] = firstWords(connector.sample(`${prefix}-0`));
          samples[spec.name] = replies;
        }
        const cells = endpoint[spec.name] ?? [];
        cells.push({ ...result, loadAverage: loadavg()[0] ?? Number.NaN });
        endpoint[spec.name] = cells;
        say(
          `  ${scenario.name.padEnd(9)} c=${String(concurrency).padEnd(3)} ${spec.name.padEnd(11)} ` +
            `${result.turnsPerSecond.toFixed(0).padStart(5)} turns/s  p50 ${result.latency.p50.toFixed(1)} ms  ` +
            `p99 ${result.latency.p99.toFixed(1)} ms  reply p50 ${result.replyLatency.p50.toFixed(1)} ms  (${result.turns} turns, ${result.errors} errors, ` +
            `${result.repliedBeforePostReturned} replied before the POST returned)`,
        );
      }
    }
  }
  return { endpoint, samples };
}

/**
 * 10,000 turns over a fixed set of 200 conversations in a fresh bot, RSS read every 1,000 turns.
 * RSS saw-tooths with V8's collections, so the bot also runs with --trace-gc: the heap left after
 * each full (mark-compact) collection is the live data, and that is what must not grow.
 */
async function memoryRun(connector: Connector, dataDir: string) {
  const bot = await startBotProcess(
    'ours-sqlite (--trace-gc)',
    // The cap was recorded in the results but not passed before: the run then saw one full collection.
    ['--trace-gc', `--max-old-space-size=${MEMORY_OLD_SPACE_MB}`, ...NODE_FLAGS, 'dist/bot/index.js'],
    {
      STORAGE_KIND: 'sqlite',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    },
    { cwd: ROOT },
  );
  const liveAfterGc: Array<{ turns: number; heapMb: number }> = [];
  bot.child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      const match = /Mark-Compact\s+[\d.]+\s+\([\d.]+\)\s+->\s+([\d.]+)/.exec(line);
      if (match) liveAfterGc.push({ turns: done, heapMb: Number(match[1]) });
    }
  });
  const client = createClient(bot.url);
  const concurrency = 50;
  const conversationsPerWorker = 4;
  const mixed = ['list the e-RS worklists', 'troubleshoot', '5', SCENARIOS[2].messages[0]];
  const samples: Array<{ turns: number; rssMb: number }> = [{ turns: 0, rssMb: rssMb(bot.pid) }];
  let done = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async (n: number) => {
    let step = 0;
    while (next < MEMORY_TURNS) {
      next += 1;
      const conversationId = `mem-${n}-${step % conversationsPerWorker}`;
      const text = mixed[Math.floor(step / conversationsPerWorker) % mixed.length] ?? '';
      step += 1;
      const result = await client.post(messageActivity(text, conversationId, connector.url, `mem-user-${n}`));
      if (result.status !== 200) errors += 1;
      done += 1;
      if (done % MEMORY_SAMPLE_EVERY === 0) samples.push({ turns: done, rssMb: rssMb(bot.pid) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, n) => worker(n)));
  client.close();
  await bot.stop();
  // Slopes over the samples after the first 1,000 turns (start-up and JIT settle first).
  const slopeMbPer1000 =
    slope(samples.filter((s) => s.turns >= MEMORY_SAMPLE_EVERY).map((s) => [s.turns, s.rssMb])) * 1000;
  const gcTail = liveAfterGc.filter((g) => g.turns >= MEMORY_SAMPLE_EVERY);
  return {
    liveAfterGc,
    liveSlopeMbPer1000Turns: slope(gcTail.map((g) => [g.turns, g.heapMb])) * 1000,
    turns: done,
    errors,
    seconds: (performance.now() - started) / 1000,
    samples,
    slopeMbPer1000Turns: slopeMbPer1000,
  };
}

/** Least-squares slope of y over x (0 with fewer than two distinct x). */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const meanX = points.reduce((a, [x]) => a + x, 0) / points.length;
  const meanY = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const num = points.reduce((a, [x, y]) => a + (x - meanX) * (y - meanY), 0);
  const den = points.reduce((a, [x]) => a + (x - meanX) ** 2, 0);
  return den > 0 ? num / den : 0;
}

async function coldStarts(dataRoot: string) {
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const bot = await startBotProcess(
      'ours',
      [...NODE_FLAGS, 'dist/bot/index.js'],
      {
        STORAGE_KIND: 'sqlite',
        DATA_DIR: path.join(dataRoot, `cold-${i}`),
        LOG_LEVEL: 'silent',
      },
      { cwd: ROOT },
    );
    runs.push(bot.startMs);
    cpu.push(bot.startCpuMs);
    await bot.stop();
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN;
  return { runsMs: runs, medianMs: median(runs), cpuMs: cpu, medianCpuMs: median(cpu), loadAverage: loadavg()[0] ?? 0 };
}

/** The bot again, under `--cpu-prof`, through the 50-conversation runs; then where its CPU went. */
async function profileRun(spec: BotSpec, connector: Connector, profileDir: string): Promise<ProfileSummary> {
  const bot = await startBotProcess(
    `${spec.name} (profiled)`,
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...spec.args],
    spec.env,
    {
      cwd: ROOT,
    },
  );
  for (const scenario of SCENARIOS) {
    await runLoad({
      url: bot.url,
      connector,
      scenario,
      concurrency: 50,
      prefix: `prof-${spec.name}-${scenario.name}`,
      ...WINDOW,
    });
  }
  await bot.stop(10_000);
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${profileDir}:\n${bot.output()}`);
  return summariseProfile(path.join(profileDir, file), 15, bot.startMs);
}

async function main() {
  const began = performance.now();
  const scratch = mkdtempSync(path.join(tmpdir(), 'ers-bench-'));
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  say(
    `load average before the run: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  say(`e-RS Helper bench: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}`);

  say('building (npm run build)…');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

  say('search in process…');
  const questions = labelledQuestions();
  const search = {
    ours: benchOurSearch(questions, QUICK ? 2 : 4),
    baseline: benchBaselineSearch(questions, 2),
    growth: benchGrowth(questions, QUICK ? [1, 10] : [1, 10, 100]),
  };

  const connector = await startConnector();
  say('HTTP endpoint: four bots, taking turns cell by cell…');
  const bots: Array<{ spec: BotSpec; bot: BotProcess }> = [];
  let grid: Awaited<ReturnType<typeof loadGrid>>;
  try {
    for (const spec of botSpecs(path.join(scratch, 'data'))) {
      bots.push({ spec, bot: await startBotProcess(spec.name, spec.args, spec.env, { cwd: ROOT }) });
    }
    grid = await loadGrid(bots, connector);
  } finally {
    await Promise.all(bots.map(({ bot }) => bot.stop()));
  }

  say(`memory: ${MEMORY_TURNS} turns in a fresh ours-sqlite, RSS every ${MEMORY_SAMPLE_EVERY}…`);
  const memory = {
    storage: 'sqlite',
    maxOldSpaceMb: MEMORY_OLD_SPACE_MB,
    ...(await memoryRun(connector, path.join(scratch, 'memory-data'))),
  };
  say(
    `  RSS slope ${memory.slopeMbPer1000Turns.toFixed(2)} MB / 1,000 turns; live heap after full GC slope ` +
      `${memory.liveSlopeMbPer1000Turns.toFixed(2)} MB / 1,000 turns`,
  );

  say('cold start…');
  const coldStart = await coldStarts(path.join(scratch, 'cold'));

  say('profiling ours-memory and ours-sqlite at 50 conversations…');
  const profiles: BenchResults['profiles'] = {};
  for (const spec of botSpecs(path.join(scratch, 'prof-data')).filter((s) => s.name.startsWith('ours'))) {
    const dir = path.join(scratch, `profile-${spec.name}`);
    profiles[spec.name] = await profileRun(spec, connector, dir);
  }
  await connector.close();
  rmSync(scratch, { recursive: true, force: true });

  const results: BenchResults = {
    date: new Date().toISOString(),
    quick: QUICK,
    machine,
    window: WINDOW,
    scenarios: SCENARIOS.map((s) => ({ name: s.name, messages: [...s.messages] })),
    search,
    endpoint: grid.endpoint,
    samples: grid.samples,
    memory,
    coldStart,
    profiles,
    seconds: (performance.now() - began) / 1000,
    loadAverageAfter: loadavg()[0] ?? Number.NaN,
  };
  const benchDir = path.join(ROOT, 'bench');
  writeFileSync(path.join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(benchDir, 'latency.svg'), renderChart(results));
  say('');
  say(renderTables(results));
  say(`\nwrote bench/results.json and bench/latency.svg in ${results.seconds.toFixed(0)} s`);
}

/** `--report`: redraw the chart and print the tables from bench/results.json without measuring again. */
function report() {
  const results = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
  writeFileSync(path.join(ROOT, 'bench', 'latency.svg'), renderChart(results));
  say(renderTables(results));
}

/** `--memory`: only the 10,000-turn memory run (after a build), printed, not written to results.json. */
async function memoryOnly() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const scratch = mkdtempSync(path.join(tmpdir(), 'ers-bench-'));
  const connector = await startConnector();
  try {
    const memory = await memoryRun(connector, path.join(scratch, 'memory-data'));
    say(`RSS: ${memory.samples.map((s) => s.rssMb.toFixed(0)).join(' → ')} MB`);
    say(
      `live heap after full GC: ${memory.liveAfterGc.map((g) => `${g.heapMb.toFixed(1)} (at ${g.turns})`).join(', ')} MB`,
    );
    say(
      `slopes per 1,000 turns: RSS ${memory.slopeMbPer1000Turns.toFixed(2)} MB, live heap ${memory.liveSlopeMbPer1000Turns.toFixed(2)} MB; ${memory.errors} errors`,
    );
  } finally {
    await connector.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv.includes('--report')) report();
else if (process.argv.includes('--memory')) await memoryOnly();
else await main();
