import { type BenchResults, type BotName, cell } from './tables.js';

/*
 * A hand-written SVG: one column per scenario; top row turns per second (grouped bars per
 * concurrency, linear scale), bottom row p50 bars with a p99 tick (log scale, since the baseline is
 * two orders of magnitude slower than ours at high concurrency).
 */

const BOTS: ReadonlyArray<{ bot: BotName; label: string; colour: string }> = [
  { bot: 'ours-memory', label: 'ours (memory storage)', colour: '#005eb8' },
  { bot: 'ours-sqlite', label: 'ours (SQLite, the default storage)', colour: '#41b6e6' },
  { bot: 'baseline', label: 'baseline (fuse.js paragraphs)', colour: '#da291c' },
  { bot: 'echo', label: 'echo floor (same stack)', colour: '#768692' },
];
const CONCURRENCY = [1, 10, 50, 200];

const PANEL_W = 360;
const PANEL_H = 220;
const LEFT = 70;
const TOP = 112;
const GAP_X = 80;
const GAP_Y = 80;

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(0) : value.toFixed(1));

function niceMax(value: number): number {
  const exp = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * exp >= value) return step * exp;
  return 10 * exp;
}

function panel(
  x0: number,
  y0: number,
  title: string,
  yLabel: string,
  values: (bot: BotName, concurrency: number) => { bar: number; tick?: number } | undefined,
  scale: 'linear' | 'log',
): string {
  const parts: string[] = [];
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const { bot } of BOTS) {
    for (const c of CONCURRENCY) {
      const v = values(bot, c);
      if (!v) continue;
      for (const n of [v.bar, v.tick ?? v.bar]) {
        if (Number.isFinite(n) && n > 0) {
          max = Math.max(max, n);
          min = Math.min(min, n);
        }
      }
    }
  }
  const ticks: number[] = [];
  let y: (v: number) => number;
  if (scale === 'linear') {
    const top = niceMax(max);
    for (let i = 0; i <= 4; i++) ticks.push((top * i) / 4);
    y = (v) => y0 + PANEL_H - (Math.max(0, v) / top) * PANEL_H;
  } else {
    const lo = 10 ** Math.floor(Math.log10(Math.max(min, 0.01)));
    const hi = 10 ** Math.ceil(Math.log10(Math.max(max, lo * 10)));
    for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t);
    y = (v) =>
      y0 + PANEL_H - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * PANEL_H;
  }
  parts.push(`<text x="${x0}" y="${y0 - 12}" class="title">${esc(title)}</text>`);
  for (const t of ticks) {
    const ty = y(t);
    parts.push(`<line x1="${x0}" x2="${x0 + PANEL_W}" y1="${ty}" y2="${ty}" class="grid"/>`);
    parts.push(`<text x="${x0 - 6}" y="${ty + 4}" class="tick" text-anchor="end">${fmt(t)}</text>`);
  }
  parts.push(
    `<text transform="translate(${x0 - 48},${y0 + PANEL_H / 2}) rotate(-90)" class="axis" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  const groupW = PANEL_W / CONCURRENCY.length;
  const barW = (groupW - 16) / BOTS.length;
  CONCURRENCY.forEach((c, gi) => {
    const gx = x0 + gi * groupW + 8;
    BOTS.forEach(({ bot, colour }, bi) => {
      const v = values(bot, c);
      if (!v || !Number.isFinite(v.bar)) return;
      const bx = gx + bi * barW;
      const by = y(v.bar);
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.max(0, y0 + PANEL_H - by).toFixed(1)}" fill="${colour}"><title>${esc(`${bot}, ${c} conversations: ${fmt(v.bar)}${v.tick !== undefined ? ` (p99 ${fmt(v.tick)})` : ''}`)}</title></rect>`,
      );
      if (v.tick !== undefined && Number.isFinite(v.tick)) {
        const ty = y(v.tick);
        parts.push(
          `<line x1="${bx.toFixed(1)}" x2="${(bx + barW - 2).toFixed(1)}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="#212b32" stroke-width="2.5"/>`,
        );
        parts.push(
          `<line x1="${(bx + (barW - 2) / 2).toFixed(1)}" x2="${(bx + (barW - 2) / 2).toFixed(1)}" y1="${by.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="#212b32" stroke-width="1"/>`,
        );
      }
    });
    parts.push(
      `<text x="${(x0 + gi * groupW + groupW / 2).toFixed(1)}" y="${y0 + PANEL_H + 18}" class="tick" text-anchor="middle">${c}</text>`,
    );
  });
  parts.push(`<line x1="${x0}" x2="${x0 + PANEL_W}" y1="${y0 + PANEL_H}" y2="${y0 + PANEL_H}" class="axisline"/>`);
  parts.push(`<line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y0 + PANEL_H}" class="axisline"/>`);
  parts.push(
    `<text x="${x0 + PANEL_W / 2}" y="${y0 + PANEL_H + 38}" class="axis" text-anchor="middle">concurrent conversations</text>`,
  );
  return parts.join('\n');
}

export function renderChart(results: BenchResults): string {
  const scenarios = results.scenarios.map((s) => s.name);
  const width = LEFT + scenarios.length * (PANEL_W + GAP_X) + 20;
  const height = TOP + 2 * PANEL_H + GAP_Y + 90;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif" role="img" aria-labelledby="chart-title">`,
  );
  parts.push(
    '<title id="chart-title">Turns per second and p50/p99 turn latency at 1, 10, 50 and 200 concurrent conversations, for e-RS Helper (memory and file storage), the fuse.js paragraph baseline and the echo floor</title>',
  );
  parts.push(
    '<style>.title{font-size:15px;font-weight:bold;fill:#212b32}.tick{font-size:11px;fill:#425563}.axis{font-size:12px;fill:#212b32}.grid{stroke:#d8dde0;stroke-width:1}.axisline{stroke:#425563;stroke-width:1}.legend{font-size:13px;fill:#212b32}.note{font-size:12px;fill:#425563}</style>',
  );
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${LEFT - 50}" y="28" font-size="19" font-weight="bold" fill="#212b32">e-RS Helper over HTTP: turns per second and latency, ${results.machine.cpus} cores, load generator on the same machine</text>`,
  );
  BOTS.forEach(({ label, colour }, i) => {
    const lx = LEFT - 50 + i * 250;
    parts.push(`<rect x="${lx}" y="44" width="14" height="14" fill="${colour}"/>`);
    parts.push(`<text x="${lx + 20}" y="56" class="legend">${esc(label)}</text>`);
  });
  parts.push(
    `<text x="${LEFT - 50}" y="80" class="note">Each cell: the four bots one after another, seconds apart. Bottom row: bar = p50, black tick = p99 (log scale). A turn ends when the bot's POST returns (its replies have reached the connector by then).</text>`,
  );
  scenarios.forEach((scenario, si) => {
    const x0 = LEFT + si * (PANEL_W + GAP_X);
    parts.push(
      panel(
        x0,
        TOP + 10,
        `${scenario}: turns per second (higher is better)`,
        'turns / s',
        (bot, c) => {
          const found = cell(results, bot, scenario, c);
          return found ? { bar: found.turnsPerSecond } : undefined;
        },
        'linear',
      ),
    );
    parts.push(
      panel(
        x0,
        TOP + PANEL_H + GAP_Y,
        `${scenario}: turn latency, ms (lower is better)`,
        'ms (log)',
        (bot, c) => {
          const found = cell(results, bot, scenario, c);
          return found ? { bar: found.latency.p50, tick: found.latency.p99 } : undefined;
        },
        'log',
      ),
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
