import { html, type SafeHtml } from '../../knowledge/safety/html.js';

/**
 * Hand-written SVG charts, rendered on the server: no scripts, no library. Each chart is an image
 * with a title and a description that states its figures in words (role="img", aria-labelledby),
 * and the page puts a table with the same figures next to it.
 *
 * Colours are NHS palette colours with at least 3:1 contrast against white, so bars are visible to
 * people with low vision; series are also told apart by the legend order and the table.
 */
export const SERIES_COLOURS = Object.freeze(['#005eb8', '#007f3b', '#7c2855', '#d5281b', '#330072', '#4c6272']);
const TEXT = '#212b32';
const GRID = '#aeb7bd';
const SHADE = '#fff9c4';

export interface Series {
  label: string;
  colour: string;
  values: readonly number[];
}

/** 1, 2, 5 × 10^k at or above n (at least 1), so gridlines fall on round numbers. */
export function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function legend(series: readonly Pick<Series, 'label' | 'colour'>[]): SafeHtml {
  return html`<ul class="legend">${series.map(
    (s) =>
      html`<li><svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="${s.colour}"/></svg> ${s.label}</li>`,
  )}</ul>`;
}

/**
 * Vertical stacked bars, one per category (a week, a day). `shaded` marks categories with a light
 * band behind the bar (announced downtime days).
 */
export function stackedBarChart(opts: {
  id: string;
  title: string;
  desc: string;
  categories: readonly string[];
  series: readonly Series[];
  shaded?: readonly boolean[];
}): SafeHtml {
  const width = 720;
  const height = 260;
  const m = { left: 44, right: 10, top: 12, bottom: 40 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const n = Math.max(1, opts.categories.length);
  const totals = opts.categories.map((_, i) => opts.series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const slot = plotW / n;
  const barW = Math.max(1, slot * 0.7);
  const y = (v: number) => m.top + plotH - (v / max) * plotH;
  const every = Math.ceil(n / 12);
  const grid = [0, max / 2, max].map(
    (
      v,
    ) => html`<line x1="${m.left}" x2="${width - m.right}" y1="${round(y(v))}" y2="${round(y(v))}" stroke="${GRID}" stroke-width="1"/>
<text x="${m.left - 6}" y="${round(y(v) + 4)}" text-anchor="end" font-size="12" fill="${TEXT}">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
  );
  const bars = opts.categories.map((cat, i) => {
    const x = m.left + i * slot + (slot - barW) / 2;
    let base = 0;
    const rects = opts.series.map((s) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return html``;
      const top = y(base + v);
      const r = html`<rect x="${round(x)}" y="${round(top)}" width="${round(barW)}" height="${round(y(base) - top)}" fill="${s.colour}"/>`;
      base += v;
      return r;
    });
    const shade = opts.shaded?.[i]
      ? html`<rect x="${round(m.left + i * slot)}" y="${m.top}" width="${round(slot)}" height="${plotH}" fill="${SHADE}"/>`
      : html``;
    const label =
      i % every === 0
        ? html`<text x="${round(x + barW / 2)}" y="${height - m.bottom + 16}" text-anchor="middle" font-size="12" fill="${TEXT}">${cat}</text>`
        : html``;
    return html`${shade}${rects}${label}`;
  });
  return html`<svg class="chart" role="img" aria-labelledby="${opts.id}-t ${opts.id}-d" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet">
<title id="${opts.id}-t">${opts.title}</title>
<desc id="${opts.id}-d">${opts.desc}</desc>
${grid}
${bars}
<line x1="${m.left}" x2="${width - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="${TEXT}" stroke-width="1"/>
</svg>`;
}

/** Horizontal bars with their labels and values written out (topics, boroughs, trusts). */
export function horizontalBarChart(opts: {
  id: string;
  title: string;
  desc: string;
  items: readonly { label: string; value: number }[];
  colour?: string;
}): SafeHtml {
  const width = 720;
  const row = 26;
  const labelW = 300;
  const valueW = 44;
  const height = Math.max(1, opts.items.length) * row + 8;
  const max = niceMax(Math.max(0, ...opts.items.map((i) => i.value)));
  const plotW = width - labelW - valueW;
  const colour = opts.colour ?? SERIES_COLOURS[0];
  const rows = opts.items.map((item, i) => {
    const yTop = 4 + i * row;
    const w = (item.value / max) * plotW;
    const label = item.label.length > 44 ? `${item.label.slice(0, 43)}…` : item.label;
    return html`<text x="${labelW - 8}" y="${yTop + 17}" text-anchor="end" font-size="12" fill="${TEXT}">${label}</text>
<rect x="${labelW}" y="${yTop + 4}" width="${round(Math.max(w, 1))}" height="${row - 8}" fill="${colour}"/>
<text x="${round(labelW + w + 6)}" y="${yTop + 17}" font-size="12" fill="${TEXT}">${item.value}</text>`;
  });
  return html`<svg class="chart" role="img" aria-labelledby="${opts.id}-t ${opts.id}-d" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet">
<title id="${opts.id}-t">${opts.title}</title>
<desc id="${opts.id}-d">${opts.desc}</desc>
${rows}
</svg>`;
}
