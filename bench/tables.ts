import type { LoadResult } from './load.js';
import type { ProfileSummary } from './profile.js';
import type { GrowthFigures, SearchFigures } from './search-bench.js';

export type BotName = 'ours-memory' | 'ours-sqlite' | 'baseline' | 'echo';

export interface BenchResults {
  date: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  window: { warmupMs: number; measureMs: number; capMs: number };
  scenarios: Array<{ name: string; messages: string[] }>;
  search: {
    ours: SearchFigures;
    baseline: SearchFigures & { paragraphs: number };
    growth: GrowthFigures[];
  };
  endpoint: Partial<Record<BotName, Array<LoadResult & { loadAverage: number }>>>;
  /** The first words of the reply each bot gave in each scenario (proof the turn did the real work). */
  samples: Partial<Record<BotName, Record<string, string>>>;
  memory?: {
    storage: string;
    maxOldSpaceMb: number;
    turns: number;
    errors: number;
    seconds: number;
    samples: Array<{ turns: number; rssMb: number }>;
    slopeMbPer1000Turns: number;
    liveAfterGc: Array<{ turns: number; heapMb: number }>;
    liveSlopeMbPer1000Turns: number;
  };
  coldStart: { runsMs: number[]; medianMs: number; cpuMs: number[]; medianCpuMs: number; loadAverage: number };
  profiles: Partial<Record<BotName, ProfileSummary>>;
  seconds: number;
  loadAverageAfter: number;
}

export const TARGETS = Object.freeze({
  searchP99Ms: 1,
  singleTurnP50Ms: 5,
  echoShareAt50: 0.75,
  coldStartMs: 2_000,
  /** "Flat": under 1 MB per 1,000 turns (a leak of a few KB a turn would show as several MB). */
  rssSlopeMbPer1000: 1,
});

const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(0)) : '–');
const tps = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');
const times = (value: number) => (Number.isFinite(value) && value > 0 ? `${value.toFixed(value < 10 ? 2 : 0)}×` : '–');

export function cell(
  results: BenchResults,
  bot: BotName,
  scenario: string,
  concurrency: number,
): LoadResult | undefined {
  return results.endpoint[bot]?.find((c) => c.scenario === scenario && c.concurrency === concurrency);
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const s = results.search.ours;
  checks.push({
    target: `search p99 < ${TARGETS.searchP99Ms} ms (warm)`,
    measured: `${ms(s.warm.p99)} ms (first pass, cold word cache: ${ms(s.firstPass.p99)} ms)`,
    met: s.warm.p99 < TARGETS.searchP99Ms,
  });
  for (const bot of ['ours-sqlite', 'ours-memory'] as const) {
    const worst = Math.max(...results.scenarios.map((sc) => cell(results, bot, sc.name, 1)?.latency.p50 ?? Number.NaN));
    checks.push({
      target: `${bot}: turn p50 < ${TARGETS.singleTurnP50Ms} ms at 1 conversation (worst scenario)`,
      measured: `${ms(worst)} ms`,
      met: worst < TARGETS.singleTurnP50Ms,
    });
    for (const scenario of results.scenarios) {
      const echo = cell(results, 'echo', scenario.name, 50)?.turnsPerSecond ?? Number.NaN;
      const ours = cell(results, bot, scenario.name, 50)?.turnsPerSecond ?? Number.NaN;
      checks.push({
        target: `${bot} ${scenario.name}: turns/s at 50 ≥ ${TARGETS.echoShareAt50 * 100}% of echo`,
        measured: `${tps(ours)} vs ${tps(echo)} = ${((ours / echo) * 100).toFixed(0)}%`,
        met: ours / echo >= TARGETS.echoShareAt50,
      });
    }
  }
  checks.push({
    target: `cold start < ${TARGETS.coldStartMs} ms (median)`,
    measured: `${ms(results.coldStart.medianMs)} ms wall, ${ms(results.coldStart.medianCpuMs)} ms CPU (load average ${results.coldStart.loadAverage.toFixed(1)})`,
    met: results.coldStart.medianMs < TARGETS.coldStartMs,
  });
  if (results.memory) {
    const live = results.memory.liveAfterGc;
    checks.push({
      target: `memory flat over ${results.memory.turns} turns (live heap after full GC: slope < ${TARGETS.rssSlopeMbPer1000} MB / 1,000 turns)`,
      measured:
        `live heap ${results.memory.liveSlopeMbPer1000Turns.toFixed(2)} MB / 1,000 turns (${live.map((g) => g.heapMb.toFixed(0)).join(' → ')} MB); ` +
        `RSS ${results.memory.slopeMbPer1000Turns.toFixed(2)} MB / 1,000 turns (saw-tooth, max ${Math.max(...results.memory.samples.map((s) => s.rssMb)).toFixed(0)} MB)`,
      met: live.length >= 2 && Math.abs(results.memory.liveSlopeMbPer1000Turns) < TARGETS.rssSlopeMbPer1000,
    });
  }
  return checks;
}

function allCells(results: BenchResults) {
  return Object.values(results.endpoint).flatMap((cells) => cells ?? []);
}

/** The bench's tables, as Markdown (printed by `npm run bench` and pasted into bench/README.md). */
export function renderTables(results: BenchResults): string {
  const out: string[] = [];
  out.push(
    `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GB, Node ${results.machine.node}; ` +
      `load average (1 min) after the run ${results.loadAverageAfter.toFixed(1)}, during the HTTP cells ` +
      `${Math.min(...allCells(results).map((c) => c.loadAverage)).toFixed(1)}–${Math.max(...allCells(results).map((c) => c.loadAverage)).toFixed(1)}.`,
  );
  out.push('');
  const { ours, baseline, growth } = results.search;
  out.push(`### Search in process (${ours.queries} labelled questions)`);
  out.push('');
  out.push('| | ours (index, 98 entries) | baseline (fuse.js, raw paragraphs) | ours vs baseline |');
  out.push('| --- | ---: | ---: | ---: |');
  out.push(
    `| p50 per query, ms | ${ms(ours.warm.p50)} | ${ms(baseline.warm.p50)} | ${times(baseline.warm.p50 / ours.warm.p50)} faster |`,
  );
  out.push(
    `| p99 per query, ms | ${ms(ours.warm.p99)} | ${ms(baseline.warm.p99)} | ${times(baseline.warm.p99 / ours.warm.p99)} faster |`,
  );
  out.push(
    `| p99, first pass (cold), ms | ${ms(ours.firstPass.p99)} | ${ms(baseline.firstPass.p99)} | ${times(baseline.firstPass.p99 / ours.firstPass.p99)} faster |`,
  );
  out.push(`| index build, ms | ${ms(ours.buildMs)} | ${ms(baseline.buildMs)} | |`);
  out.push(
    `| top-1 right on the labelled set | ${((ours.top1 ?? 0) * 100).toFixed(1)}% | not comparable (paragraphs, not entries) | |`,
  );
  out.push('');
  out.push('### Search as the knowledge base grows (synthetic perturbed clones)');
  out.push('');
  out.push('| size | entries | load + validate, ms | index build, ms | p50, ms | p99, ms | top-1 right topic |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const g of growth) {
    out.push(
      `| ${g.factor}× | ${g.entries} | ${ms(g.loadMs)} | ${ms(g.buildMs)} | ${ms(g.latency.p50)} | ${ms(g.latency.p99)} | ${(g.top1 * 100).toFixed(1)}% |`,
    );
  }
  for (const scenario of results.scenarios) {
    out.push('');
    out.push(`### HTTP turns: ${scenario.name} (${scenario.messages.map((m) => `"${m}"`).join(' then ')})`);
    out.push('');
    out.push(
      'p50 / p99 ms · turns per second. Ratios: ours (SQLite, the default storage) against the baseline and the echo floor run seconds apart.',
    );
    out.push('');
    out.push(
      '| conversations | ours, SQLite | ours, memory | baseline | echo floor | t/s vs baseline | p50 vs baseline | t/s vs echo |',
    );
    out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const concurrency of [1, 10, 50, 200]) {
      const show = (c: LoadResult | undefined) =>
        c ? `${ms(c.latency.p50)} / ${ms(c.latency.p99)} · ${tps(c.turnsPerSecond)}` : '–';
      const mine = cell(results, 'ours-sqlite', scenario.name, concurrency);
      const base = cell(results, 'baseline', scenario.name, concurrency);
      const echo = cell(results, 'echo', scenario.name, concurrency);
      out.push(
        `| ${concurrency} | ${show(mine)} | ${show(cell(results, 'ours-memory', scenario.name, concurrency))} | ${show(base)} | ${show(echo)} | ` +
          `${times((mine?.turnsPerSecond ?? Number.NaN) / (base?.turnsPerSecond ?? Number.NaN))} | ` +
          `${times((base?.latency.p50 ?? Number.NaN) / (mine?.latency.p50 ?? Number.NaN))} faster | ` +
          `${(((mine?.turnsPerSecond ?? Number.NaN) / (echo?.turnsPerSecond ?? Number.NaN)) * 100).toFixed(0)}% |`,
      );
    }
  }
  out.push('');
  out.push('### Start-up and memory');
  out.push('');
  out.push(
    `- cold start, spawn → first GET /healthz 200 (SQLite storage): median ${ms(results.coldStart.medianMs)} ms over ${results.coldStart.runsMs.length} runs (${results.coldStart.runsMs.map((r) => ms(r)).join(', ')}); CPU used by then: median ${ms(results.coldStart.medianCpuMs)} ms`,
  );
  if (results.memory) {
    out.push(
      `- RSS over ${results.memory.turns} mixed turns (${results.memory.storage} storage, --max-old-space-size=${results.memory.maxOldSpaceMb}, 200 conversations, 50 at a time): ` +
        `${results.memory.samples.map((s) => s.rssMb.toFixed(0)).join(' → ')} MB; slope ${results.memory.slopeMbPer1000Turns.toFixed(2)} MB per 1,000 turns`,
    );
    out.push(
      `- live heap after each full GC: ${results.memory.liveAfterGc.map((g) => `${g.heapMb.toFixed(1)} (at ${g.turns})`).join(', ')} MB; slope ${results.memory.liveSlopeMbPer1000Turns.toFixed(2)} MB per 1,000 turns`,
    );
  }
  out.push('');
  out.push('### Targets');
  out.push('');
  out.push('| target | measured | met |');
  out.push('| --- | --- | :---: |');
  for (const check of checkTargets(results))
    out.push(`| ${check.target} | ${check.measured} | ${check.met ? 'yes' : '**no**'} |`);
  for (const [bot, profile] of Object.entries(results.profiles)) {
    if (!profile) continue;
    out.push('');
    out.push(`### Profile: ${bot} at 50 conversations (busy ${ms(profile.busyMs)} ms of ${ms(profile.totalMs)} ms)`);
    out.push('');
    out.push('| top self time | where | ms | share of busy |');
    out.push('| --- | --- | ---: | ---: |');
    for (const line of profile.topSelf.slice(0, 12)) {
      out.push(`| ${line.name} | ${line.where} | ${ms(line.ms)} | ${(line.share * 100).toFixed(1)}% |`);
    }
    out.push('');
    out.push('| self time by area | ms | share |');
    out.push('| --- | ---: | ---: |');
    for (const line of profile.byArea.slice(0, 12))
      out.push(`| ${line.name} | ${ms(line.ms)} | ${(line.share * 100).toFixed(1)}% |`);
    out.push('');
    out.push('| turn step (inclusive) | ms | share |');
    out.push('| --- | ---: | ---: |');
    for (const line of profile.steps) out.push(`| ${line.name} | ${ms(line.ms)} | ${(line.share * 100).toFixed(1)}% |`);
  }
  return out.join('\n');
}
