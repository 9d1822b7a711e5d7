import { html, SafeHtml } from '../../knowledge/safety/html.js';
import { formatShortDate, type IsoDate, MONTH_NAMES, parseIsoDate } from '../../knowledge/time/calendar-date.js';
import { formatLondon } from '../../knowledge/time/london-time.js';
import { inlineStyleCsp } from '../guidance/layout.js';
import { horizontalBarChart, legend, SERIES_COLOURS, stackedBarChart } from './charts.js';
import type { InsightsData, Labelled } from './data.js';
import { FEATURE_LABELS, INSIGHTS_TEXT as T } from './insights-text.js';
import { FEATURES } from './recorder.js';

/**
 * The insights page (server-rendered HTML, no scripts, one inline stylesheet allowed by its hash)
 * and the same figures as CSV. Everything from storage goes through `html`, which escapes it.
 */

export const INSIGHTS_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;line-height:1.5;color:#212b32;background:#fff}
body{margin:0}
a{color:#005eb8}
a:visited{color:#330072}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:4px solid #ffeb3b;outline-offset:0;box-shadow:0 0 0 6px #212b32}
.skip-link{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:#ffeb3b;color:#212b32}
.skip-link:focus{left:1rem;z-index:10}
.wrap{max-width:60rem;margin:0 auto;padding:0 1rem}
.site-header{background:#005eb8;color:#fff;padding:1rem 0}
.site-header p{margin:0;font-size:1.375rem;font-weight:700}
main{display:block;padding:1.5rem 0 2.5rem}
h1{font-size:2rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.5rem;margin:2.5rem 0 .75rem;border-top:1px solid #d8dde0;padding-top:1rem}
form.range{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;margin:0 0 1rem}
fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}
legend{font-weight:700;padding:0;margin-bottom:.25rem}
label{display:block;font-weight:700}
.hint{display:block;font-size:.9375rem;color:#4c6272}
input{font:inherit;padding:.4rem;border:2px solid #212b32;width:11rem}
button{font:inherit;font-weight:700;padding:.45rem 1.25rem;border:2px solid #00662f;background:#007f3b;color:#fff;cursor:pointer}
.error{border-left:5px solid #d5281b;padding:.5rem 1rem;color:#212b32;background:#fde8e6}
.chart{width:100%;height:auto;display:block;margin:.5rem 0}
.legend{list-style:none;padding:0;margin:.25rem 0 .75rem;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.legend svg{vertical-align:-2px}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
caption{text-align:left;font-weight:700;padding:.25rem 0}
th,td{border-bottom:1px solid #d8dde0;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}
details{margin:.5rem 0 1rem}
summary{cursor:pointer;color:#005eb8;text-decoration:underline}
.meta{color:#4c6272}
`.trim();

export const INSIGHTS_CSP = inlineStyleCsp(INSIGHTS_CSS);

function dayMonth(date: IsoDate): string {
  const { month, day } = parseIsoDate(date);
  return `${day} ${MONTH_NAMES[month - 1]?.slice(0, 3)}`;
}

function percent(share: number | undefined): string {
  return share === undefined ? '-' : `${Math.round(share * 100)}%`;
}

function details(table: SafeHtml): SafeHtml {
  return html`<details><summary>${T.showTable}</summary>${table}</details>`;
}

function labelledTable(caption: string, items: readonly Labelled[], col: string, countCol: string): SafeHtml {
  return html`<table><caption>${caption}</caption>
<thead><tr><th scope="col">${col}</th><th scope="col" class="n">${countCol}</th></tr></thead>
<tbody>${items.map((i) => html`<tr><th scope="row">${i.label}</th><td class="n">${i.count}</td></tr>`)}</tbody></table>`;
}

/** "Highest: X (n)." for a chart's description, so the figures are in words too. */
function highest(items: readonly { label: string; value: number }[]): string {
  const top = [...items].sort((a, b) => b.value - a.value)[0];
  return top && top.value > 0 ? ` Highest: ${top.label}, ${top.value}.` : '';
}

function perWeek(data: InsightsData): SafeHtml {
  const series = FEATURES.map((f, i) => ({
    label: FEATURE_LABELS[f],
    colour: SERIES_COLOURS[i % SERIES_COLOURS.length] ?? '#005eb8',
    values: data.weeks.map((w) => w.features[f]),
  }));
  const totals = data.weeks.map((w) => ({
    label: `week beginning ${dayMonth(w.start)}`,
    value: FEATURES.reduce((a, f) => a + w.features[f], 0),
  }));
  const chart = stackedBarChart({
    id: 'weeks',
    title: T.perWeekHeading,
    desc: `${T.perWeekDesc(data.weeks.length)}${highest(totals)}`,
    categories: data.weeks.map((w) => dayMonth(w.start)),
    series,
  });
  const table = html`<table><caption>${T.perWeekHeading}</caption>
<thead><tr><th scope="col">${T.weekCol}</th>${FEATURES.map((f) => html`<th scope="col" class="n">${FEATURE_LABELS[f]}</th>`)}<th scope="col" class="n">${T.totalCol}</th></tr></thead>
<tbody>${data.weeks.map(
    (w, i) =>
      html`<tr><th scope="row">${formatShortDate(w.start)}</th>${FEATURES.map((f) => html`<td class="n">${w.features[f]}</td>`)}<td class="n">${totals[i]?.value ?? 0}</td></tr>`,
  )}</tbody></table>`;
  return html`<section aria-labelledby="h-weeks"><h2 id="h-weeks">${T.perWeekHeading}</h2>
${chart}${legend(series)}${details(table)}</section>`;
}

function topTopics(data: InsightsData): SafeHtml {
  const top = data.topics.slice(0, 10);
  const body =
    top.length === 0
      ? html`<p>${T.none}</p>`
      : html`${horizontalBarChart({
          id: 'topics',
          title: T.topTopicsHeading,
          desc: `${T.topTopicsDesc(top.length)}${highest(top.map((t) => ({ label: t.label, value: t.count })))}`,
          items: top.map((t) => ({ label: t.label, value: t.count })),
        })}${details(labelledTable(T.topTopicsHeading, data.topics, T.topicCol, T.answersCol))}`;
  return html`<section aria-labelledby="h-topics"><h2 id="h-topics">${T.topTopicsHeading}</h2><p>${T.topTopicsIntro}</p>${body}</section>`;
}

function feedback(data: InsightsData): SafeHtml {
  if (data.feedbackTopics.length === 0) {
    return html`<section aria-labelledby="h-feedback"><h2 id="h-feedback">${T.feedbackHeading}</h2><p>${T.none}</p></section>`;
  }
  const series = [
    { label: T.helpfulLegend, colour: '#007f3b', values: data.feedbackWeeks.map((w) => w.helpful) },
    { label: T.notHelpfulLegend, colour: '#d5281b', values: data.feedbackWeeks.map((w) => w.notHelpful) },
  ];
  const helpful = data.feedbackWeeks.reduce((a, w) => a + w.helpful, 0);
  const notHelpful = data.feedbackWeeks.reduce((a, w) => a + w.notHelpful, 0);
  const chart = stackedBarChart({
    id: 'feedback',
    title: T.feedbackHeading,
    desc: `${T.feedbackWeeksDesc} ${helpful} helpful and ${notHelpful} not helpful in all.`,
    categories: data.feedbackWeeks.map((w) => dayMonth(w.start)),
    series,
  });
  const table = html`<table><caption>${T.feedbackHeading}</caption>
<thead><tr><th scope="col">${T.topicCol}</th><th scope="col" class="n">${T.helpfulCol}</th><th scope="col" class="n">${T.notHelpfulCol}</th><th scope="col" class="n">${T.shareCol}</th><th scope="col" class="n">${T.previousCol}</th><th scope="col">${T.trendCol}</th></tr></thead>
<tbody>${data.feedbackTopics.map(
    (t) =>
      html`<tr><th scope="row">${t.label}</th><td class="n">${t.helpful}</td><td class="n">${t.notHelpful}</td><td class="n">${percent(t.share)}</td><td class="n">${percent(t.previousShare)}</td><td>${T.trend[t.trend]}</td></tr>`,
  )}</tbody></table>`;
  return html`<section aria-labelledby="h-feedback"><h2 id="h-feedback">${T.feedbackHeading}</h2>
${chart}${legend(series)}<p>${T.feedbackTrendIntro}</p>${table}</section>`;
}

function unanswered(data: InsightsData): SafeHtml {
  const body =
    data.unanswered.length === 0
      ? html`<p>${T.none}</p>`
      : html`<table><caption>${T.unansweredHeading}</caption>
<thead><tr><th scope="col">${T.wordsCol}</th><th scope="col" class="n">${T.timesCol}</th><th scope="col">${T.lastCol}</th><th scope="col">${T.suggestedCol}</th></tr></thead>
<tbody>${data.unanswered.map(
          (g) =>
            html`<tr><th scope="row">${g.words.length > 0 ? g.words.join(', ') : T.noWords}</th><td class="n">${g.count}</td><td>${formatLondon(new Date(g.lastAt))}</td><td>${g.suggestions.map((s) => s.label).join('; ') || '-'}</td></tr>`,
        )}</tbody></table>`;
  return html`<section aria-labelledby="h-unanswered"><h2 id="h-unanswered">${T.unansweredHeading}</h2>
<p>${T.unansweredIntro}</p>${body}</section>`;
}

function downtime(data: InsightsData): SafeHtml {
  const used = data.downtime.reduce((a, d) => a + d.used, 0);
  const announcedDays = data.downtime.filter((d) => d.announced.length > 0).length;
  const chart = stackedBarChart({
    id: 'downtime',
    title: T.downtimeHeading,
    desc: `${T.downtimeDesc} ${used} uses in all; ${announcedDays} days with a downtime announced.${highest(
      data.downtime.map((d) => ({ label: formatShortDate(d.date), value: d.used })),
    )}`,
    categories: data.downtime.map((d) => dayMonth(d.date)),
    series: [{ label: T.usedCol, colour: '#005eb8', values: data.downtime.map((d) => d.used) }],
    shaded: data.downtime.map((d) => d.announced.length > 0),
  });
  const rows = data.downtime.filter((d) => d.used > 0 || d.announced.length > 0);
  const table = html`<table><caption>${T.downtimeHeading}</caption>
<thead><tr><th scope="col">${T.dayCol}</th><th scope="col" class="n">${T.usedCol}</th><th scope="col">${T.announcedCol}</th></tr></thead>
<tbody>${rows.map(
    (d) =>
      html`<tr><th scope="row">${formatShortDate(d.date)}</th><td class="n">${d.used}</td><td>${d.announced.join('; ') || '-'}</td></tr>`,
  )}</tbody></table>`;
  return html`<section aria-labelledby="h-downtime"><h2 id="h-downtime">${T.downtimeHeading}</h2>
${chart}<p class="meta">${T.shaded}</p>${rows.length === 0 ? html`<p>${T.none}</p>` : details(table)}</section>`;
}

function places(data: InsightsData): SafeHtml {
  const block = (id: string, caption: string, desc: string, items: readonly Labelled[]) =>
    items.length === 0
      ? html`<h3>${caption}</h3><p>${T.none}</p>`
      : html`<h3>${caption}</h3>${horizontalBarChart({
          id,
          title: caption,
          desc: `${desc}${highest(items.map((i) => ({ label: i.label, value: i.count })))}`,
          items: items.map((i) => ({ label: i.label, value: i.count })),
          colour: '#330072',
        })}${details(labelledTable(caption, items, T.placeCol, T.questionsCol))}`;
  return html`<section aria-labelledby="h-places"><h2 id="h-places">${T.placesHeading}</h2>
<p>${T.placesIntro}</p>
${block('boroughs', T.boroughsCaption, T.boroughsDesc, data.boroughs)}
${block('trusts', T.trustsCaption, T.trustsDesc, data.trusts)}</section>`;
}

export interface InsightsPage {
  data: InsightsData;
  /** Why the dates asked for were not used, when they were not. */
  error?: string;
  /** The dates as typed, put back in the form. */
  asked: { from: string; to: string };
  /** Path of the page, e.g. "/insights" (for the form and the CSV link). */
  path: string;
}

export function renderInsights(page: InsightsPage): string {
  const { data } = page;
  const { from, to } = data.range;
  const csv = `${page.path}.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const doc = html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${T.title} – ${T.siteName}</title>
<link rel="icon" href="data:,">
<style>${new SafeHtml(INSIGHTS_CSS)}</style>
</head>
<body>
<a class="skip-link" href="#main">${T.skipLink}</a>
<header class="site-header"><div class="wrap"><p>${T.siteName}</p></div></header>
<main id="main" tabindex="-1"><div class="wrap">
<h1>${T.title}</h1>
<p>${T.intro}</p>
${page.error ? html`<p class="error" role="alert">${T.badRange(page.error)}</p>` : ''}
<form class="range" method="get" action="${page.path}">
<fieldset><legend>${T.rangeLegend}</legend>
<div><label for="from">${T.from}</label><span class="hint" id="from-hint">${T.dateHint}</span>
<input id="from" name="from" type="date" aria-describedby="from-hint" value="${page.error ? page.asked.from : from}"></div>
<div><label for="to">${T.to}</label><span class="hint" id="to-hint">${T.dateHint}</span>
<input id="to" name="to" type="date" aria-describedby="to-hint" value="${page.error ? page.asked.to : to}"></div>
<button type="submit">${T.show}</button>
</fieldset>
</form>
<p>${T.rangeLine(formatShortDate(from), formatShortDate(to))} ${T.totals(data.totals.questions, data.totals.answers, data.totals.feedback, data.totals.unanswered)}</p>
<p><a href="${csv}" download>${T.download}</a></p>
${perWeek(data)}
${topTopics(data)}
${feedback(data)}
${unanswered(data)}
${downtime(data)}
${places(data)}
</div></main>
</body>
</html>
`;
  return doc.value;
}

/** A CSV cell: quoted, and a leading = + - @ made text so a spreadsheet cannot run it as a formula. */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) || s !== String(value) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every figure on the page as rows of table, period, label, value. */
export function renderCsv(data: InsightsData): string {
  const rows: Array<Array<string | number>> = [['table', 'period', 'label', 'value']];
  for (const w of data.weeks)
    for (const f of FEATURES) rows.push(['questions-per-week', w.start, FEATURE_LABELS[f], w.features[f]]);
  const range = `${data.range.from}/${data.range.to}`;
  for (const t of data.topics) rows.push(['topics', range, t.label, t.count]);
  for (const t of data.feedbackTopics) {
    rows.push(['feedback-helpful', range, t.label, t.helpful]);
    rows.push(['feedback-not-helpful', range, t.label, t.notHelpful]);
  }
  for (const g of data.unanswered) rows.push(['unanswered', range, g.words.join(' ') || T.noWords, g.count]);
  for (const d of data.downtime) {
    rows.push([
      'downtime-advice-used',
      d.date,
      d.announced.length > 0 ? 'announced downtime' : 'no announcement',
      d.used,
    ]);
  }
  for (const b of data.boroughs) rows.push(['boroughs', range, b.label, b.count]);
  for (const t of data.trusts) rows.push(['trusts', range, t.label, t.count]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
