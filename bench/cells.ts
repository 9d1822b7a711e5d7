import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../knowledge/project-root.js';
import { runLoad, startConnector } from './load.js';
import { type BotProcess, cpuMs, startBotProcess } from './processes.js';
import { summariseProfile } from './profile.js';

/*
 * `npx tsx bench/cells.ts [--rounds N] [--scenario deadline] [--profile] [--no-build]`: only the
 * 50-conversation cells of ours (SQLite, memory) and the echo floor, repeated, with ours as a share
 * of the echo measured seconds apart. For checking one change quickly on a shared machine; the
 * figures to publish come from `npm run bench`. `--profile` runs ours-sqlite under --cpu-prof and
 * prints the profile summary.
 */

const ROOT = projectRoot();
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROUNDS = Number(arg('--rounds') ?? 3);
// The bench's figure is at 50; other concurrencies show how in-flight turns weigh on each other.
const CONCURRENCY = Number(arg('--concurrency') ?? 50);
const ONLY = arg('--scenario');
const PROFILE = process.argv.includes('--profile');
const WINDOW = { warmupMs: 400, measureMs: 2_000, capMs: 10_000 };
const SCENARIOS = [
  { name: 'knowledge', messages: ['list the e-RS worklists'] },
  { name: 'dialog', messages: ['troubleshoot', '5'] },
  { name: 'deadline', messages: ['routine referral deferred on 2 March 2026 - contact-by date'] },
].filter((s) => !ONLY || s.name === ONLY);
const NODE_FLAGS = ['--enable-source-maps', '--disable-warning=DEP0111'];
const say = (line: string) => process.stdout.write(`${line}\n`);

function push(lists: Record<string, number[]>, key: string, value: number): void {
  const list = lists[key] ?? [];
  list.push(value);
  lists[key] = list;
}

async function main() {
  if (!process.argv.includes('--no-build'))
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const scratch = mkdtempSync(path.join(tmpdir(), 'ers-cells-'));
  const profileDir = path.join(scratch, 'profile');
  const connector = await startConnector();
  // `--ours-flags '--some-v8-flag'`: extra node or V8 flags for ours, for trying what a cost is.
  const extra = (arg('--ours-flags') ?? '').split(' ').filter(Boolean);
  const ours = (flags: string[]) => [...flags, ...extra, ...NODE_FLAGS, 'dist/bot/index.js'];
  const specs: Array<{ name: string; args: string[]; env: Record<string, string> }> = [
    {
      name: 'ours-sqlite',
      args: ours(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      env: { STORAGE_KIND: 'sqlite', DATA_DIR: path.join(scratch, 'data'), LOG_LEVEL: 'silent' },
    },
    { name: 'ours-memory', args: ours([]), env: { STORAGE_KIND: 'memory', LOG_LEVEL: 'silent' } },
    { name: 'echo', args: ['--import', 'tsx', 'bench/echo-bot.ts'], env: { LOG_LEVEL: 'silent' } },
  ];
  // `--before dist/old/bot/index.js`: an earlier build of ours (SQLite), measured in the same cells.
  const before = arg('--before');
  if (before)
    specs.splice(1, 0, {
      name: 'before-sqlite',
      args: [...NODE_FLAGS, before],
      env: { STORAGE_KIND: 'sqlite', DATA_DIR: path.join(scratch, 'before-data'), LOG_LEVEL: 'silent' },
    });
  // `--with bench/x.ts`: another comparison bot (hosted by bench-host.ts), for trying what a cost is.
  process.argv.forEach((a, i) => {
    const file = process.argv[i + 1];
    if (a === '--with' && file)
      specs.push({ name: path.basename(file, '.ts'), args: ['--import', 'tsx', file], env: { LOG_LEVEL: 'silent' } });
  });
  const bots: Array<{ name: string; bot: BotProcess }> = [];
  const shares: Record<string, number[]> = {};
  // CPU time the bot spent per turn: less swayed by other work on the machine than turns a second.
  const cpuPerTurn: Record<string, number[]> = {};
  try {
    for (const spec of specs)
      bots.push({ name: spec.name, bot: await startBotProcess(spec.name, spec.args, spec.env, { cwd: ROOT }) });
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of SCENARIOS) {
        const tps: Record<string, number> = {};
        const cpu: Record<string, number> = {};
        for (const { name, bot } of bots) {
          const cpuBefore = cpuMs(bot.pid);
          const mainBefore = cpuMs(bot.pid, bot.pid);
          const result = await runLoad({
            url: bot.url,
            connector,
            scenario,
            concurrency: CONCURRENCY,
            prefix: `${name}-${scenario.name}-${round}`,
            ...WINDOW,
          });
          tps[name] = result.turnsPerSecond;
          cpu[name] = ((cpuMs(bot.pid) - cpuBefore) * 1000) / result.allTurns;
          push(cpuPerTurn, `${scenario.name} ${name}`, cpu[name] ?? Number.NaN);
          push(
            cpuPerTurn,
            `${scenario.name} ${name} main`,
            ((cpuMs(bot.pid, bot.pid) - mainBefore) * 1000) / result.allTurns,
          );
        }
        const echo = tps.echo ?? Number.NaN;
        const line = bots
          .map(({ name }) => `${name} ${(tps[name] ?? 0).toFixed(0)} (${(cpu[name] ?? 0).toFixed(0)} µs cpu)`)
          .join(' · ');
        const sqliteShare = (tps['ours-sqlite'] ?? 0) / echo;
        const memoryShare = (tps['ours-memory'] ?? 0) / echo;
        if (before) push(shares, `${scenario.name} before-sqlite`, (tps['before-sqlite'] ?? 0) / echo);
        push(shares, `${scenario.name} sqlite`, sqliteShare);
        push(shares, `${scenario.name} memory`, memoryShare);
        say(
          `round ${round + 1} ${scenario.name.padEnd(9)} ${line}  sqlite ${(sqliteShare * 100).toFixed(0)}% memory ${(memoryShare * 100).toFixed(0)}% (load ${loadavg()[0]?.toFixed(1)})`,
        );
      }
    }
  } finally {
    await Promise.all(bots.map(({ bot }) => bot.stop(10_000)));
    await connector.close();
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN;
  for (const [key, list] of Object.entries(shares))
    say(
      `median ${key.padEnd(16)} ${(median(list) * 100).toFixed(0)}% of echo (${list.map((s) => (s * 100).toFixed(0)).join(', ')})`,
    );
  for (const [key, list] of Object.entries(cpuPerTurn))
    say(
      `median cpu per turn ${key.padEnd(22)} ${median(list).toFixed(0)} µs (${list.map((s) => s.toFixed(0)).join(', ')})`,
    );
  if (PROFILE) {
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (file) {
      const keep = arg('--keep-profile');
      if (keep) copyFileSync(path.join(profileDir, file), keep);
      const summary = summariseProfile(path.join(profileDir, file), 30, bots[0]?.bot.startMs ?? 0);
      say(`\nprofile ours-sqlite: busy ${summary.busyMs.toFixed(0)} of ${summary.totalMs.toFixed(0)} ms`);
      for (const l of summary.topSelf)
        say(`  self ${l.ms.toFixed(0).padStart(5)} ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.name} ${l.where}`);
      for (const l of summary.ourInclusive)
        say(`  incl ${l.ms.toFixed(0).padStart(5)} ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.name} ${l.where}`);
      for (const l of summary.steps)
        say(`  step ${l.ms.toFixed(0).padStart(5)} ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.name}`);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
}

await main();
