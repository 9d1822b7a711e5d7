import { createHash } from 'node:crypto';
import { routeLabel } from '../../dialogs/contacts-view.js';
import type { PageBanner } from '../../dialogs/downtime-live.js';
import type { KnowledgeBase } from '../../knowledge/load.js';
import { html, raw, type SafeHtml } from '../../knowledge/safety/html.js';
import { type ContactRoute, type Entry, SOURCE_DOCUMENTS, type SourceId } from '../../knowledge/schema.js';
import { citation } from '../../knowledge/sources.js';
import type { Config } from '../config.js';
import { ABOUT_TEXT, PAGE_TEXT } from './page-text.js';

/**
 * The guidance pages as plain server-rendered HTML: no framework, no scripts, one inline stylesheet
 * allowed by its hash. Everything interpolated goes through {@link html}, which escapes it unless
 * it is already {@link SafeHtml}, so pack text, contacts and the search words can never become markup.
 */

export type { PageBanner };

export type SiteConfig = Pick<
  Config,
  'publicBaseUrl' | 'version' | 'pack' | 'retentionDays' | 'dialogTimeoutMinutes'
> & {
  banner?: PageBanner;
};

/*
 * NHS palette: #005EB8 (blue) on white is 5.9:1, text #212B32 on white 15:1, secondary text #4C6272
 * 6.2:1; focus is the NHS yellow (#FFEB3B) with a dark underline, visible on every background here.
 */
export const GUIDANCE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;font-size:100%;line-height:1.5;color:#212b32;background:#fff;-webkit-text-size-adjust:100%}
body{margin:0}
a{color:#005eb8;text-decoration:underline;text-underline-offset:.15em}
a:visited{color:#330072}
a:hover{color:#7c2855;text-decoration-thickness:3px}
a:focus-visible,button:focus-visible,input:focus-visible{outline:4px solid transparent;background:#ffeb3b;color:#212b32;box-shadow:0 -2px #ffeb3b,0 4px #212b32;text-decoration:none}
input:focus-visible{box-shadow:inset 0 0 0 2px #212b32;outline:4px solid #ffeb3b;outline-offset:0}
.skip-link{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:#ffeb3b;color:#212b32}
.skip-link:focus{left:1rem;z-index:10}
.wrap{max-width:60rem;margin:0 auto;padding:0 1rem}
.site-header{background:#005eb8;color:#fff;padding:1rem 0}
.site-header a,.site-header a:visited{color:#fff}
.site-header a:focus-visible{color:#212b32}
.site-name{display:inline-block;font-size:1.375rem;font-weight:700;text-decoration:none;margin-bottom:.5rem}
.site-nav ul{list-style:none;margin:0 0 .75rem;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.search label{flex-basis:100%;font-weight:700}
.search .hint{flex-basis:100%;margin:-.25rem 0 0;font-size:.9375rem}
.search input{flex:1 1 16rem;min-width:0;font:inherit;padding:.5rem;border:2px solid #212b32;border-radius:0;color:#212b32;background:#fff}
.search button{font:inherit;font-weight:700;padding:.5rem 1.25rem;border:2px solid #fff;background:#007f3b;color:#fff;cursor:pointer}
.search button:hover{background:#00662f}
main{display:block;padding:1.5rem 0 2.5rem}
h1{font-size:2rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.5rem;line-height:1.3;margin:2rem 0 .75rem}
h3{font-size:1.1875rem;line-height:1.35;margin:1.5rem 0 .5rem}
p,ul,ol{margin:0 0 1rem}
li{margin-bottom:.35rem}
.lede{font-size:1.1875rem}
.meta,.section-path{color:#4c6272}
.breadcrumb ol{list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.25rem}
.breadcrumb li+li::before{content:"\\203A";margin:0 .4rem;color:#4c6272}
.contents{columns:2 18rem;padding-left:1.25rem}
.topics{padding-left:1.25rem}
.results{padding-left:1.5rem}
.results p{margin:.25rem 0 .25rem}
.contact{border-left:4px solid #005eb8;padding:.25rem 0 .25rem 1rem;margin:0 0 1.25rem}
.contact h3{margin-top:0}
.contact ul{list-style:none;padding:0}
.downtime-banner{background:#fff9c4;border-bottom:4px solid #ffeb3b;padding:.75rem 0}
.downtime-banner p{margin:0}
.source{border-top:1px solid #d8dde0;padding-top:1rem;margin-top:2rem;color:#4c6272}
.site-footer{background:#f0f4f5;border-top:4px solid #005eb8;padding:1.25rem 0;font-size:.9375rem}
.site-footer ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
@media print{
.skip-link,.site-nav,.search,.breadcrumb{display:none}
.site-header{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 .5rem}
.site-header a,.site-header a:visited{color:#000}
html{font-size:11pt;color:#000}
a,a:visited{color:#000}
main a[href^="http"]:not(.url)::after{content:" (" attr(href) ")";font-size:.9em}
.contact,h2,h3{break-inside:avoid;break-after:avoid-page}
.site-footer{background:none;border-top:1px solid #000}
}
`.trim();

/**
 * No scripts, no frames, nothing from other hosts; the page's one stylesheet is inline and allowed
 * by hash, so a page still works from a file saved for offline use. Every server-rendered page uses it.
 */
export function inlineStyleCsp(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    // data: only for the empty icon, which stops browsers asking for a /favicon.ico that 404s.
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const GUIDANCE_CSP = inlineStyleCsp(GUIDANCE_CSS);

/** The path prefix of the public base URL ("" at the host root), for links that work on any host. */
export function basePath(site: Pick<SiteConfig, 'publicBaseUrl'>): string {
  try {
    return new URL(site.publicBaseUrl).pathname.replace(/\/+$/, '');
  } catch (err: unknown) {
    if (err instanceof TypeError) return '';
    throw err;
  }
}

/** Root-relative links keep the site usable behind a proxy or on a test port; canonical links are absolute. */
export function guidancePath(site: Pick<SiteConfig, 'publicBaseUrl'>, entryId?: string): string {
  const root = `${basePath(site)}/guidance`;
  return entryId === undefined ? root : `${root}/${encodeURIComponent(entryId)}`;
}

function aboutPath(site: SiteConfig, anchor?: string): string {
  return `${guidancePath(site)}/about${anchor ? `#${anchor}` : ''}`;
}

interface PageParts {
  title: string;
  body: SafeHtml;
  /** Path from the site root for the canonical link, e.g. "/guidance/ts-5-smartcard-blocked". */
  canonicalPath?: string;
  /** The search words, put back in the search box. */
  query?: string;
  description?: string;
}

function bannerHtml(site: SiteConfig): SafeHtml | '' {
  const b = site.banner;
  if (!b) return '';
  const link = b.entryId ? html` <a href="${guidancePath(site, b.entryId)}">${b.linkText ?? b.entryId}</a>` : '';
  return html`<div class="downtime-banner" role="status">
<div class="wrap">
<p><strong>${b.heading}:</strong> ${b.lines.join(' ')}${link}</p>
</div>
</div>`;
}

function page(site: SiteConfig, parts: PageParts): string {
  const origin = (() => {
    try {
      return new URL(site.publicBaseUrl).origin;
    } catch (err: unknown) {
      if (err instanceof TypeError) return '';
      throw err;
    }
  })();
  const canonical = parts.canonicalPath ? `${origin}${parts.canonicalPath}` : undefined;
  const doc = html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title} – ${PAGE_TEXT.siteName}</title>
${parts.description ? html`<meta name="description" content="${parts.description}">` : ''}
${canonical ? html`<link rel="canonical" href="${canonical}">` : ''}
<link rel="icon" href="data:,">
<style>${raw(GUIDANCE_CSS)}</style>
</head>
<body>
<a class="skip-link" href="#main">${PAGE_TEXT.skipLink}</a>
<header class="site-header">
<div class="wrap">
<a class="site-name" href="${guidancePath(site)}">${PAGE_TEXT.siteName}</a>
<nav class="site-nav" aria-label="${PAGE_TEXT.navLabel}">
<ul>
<li><a href="${guidancePath(site)}">${PAGE_TEXT.navAll}</a></li>
<li><a href="${aboutPath(site)}">${PAGE_TEXT.navAbout}</a></li>
</ul>
</nav>
<form class="search" role="search" method="get" action="${guidancePath(site)}">
<label for="q">${PAGE_TEXT.searchLabel}</label>
<p class="hint" id="q-hint">${PAGE_TEXT.searchHint}</p>
<input id="q" name="q" type="search" maxlength="200" autocomplete="off" aria-describedby="q-hint" value="${parts.query ?? ''}">
<button type="submit">${PAGE_TEXT.searchButton}</button>
</form>
</div>
</header>
${bannerHtml(site)}
<main id="main" tabindex="-1">
<div class="wrap">
${parts.body}
</div>
</main>
<footer class="site-footer">
<div class="wrap">
<p>${PAGE_TEXT.lastUpdated}: ${site.pack.date} (${site.pack.title} ${site.pack.version}). ${PAGE_TEXT.botVersion} ${site.version}.</p>
<ul>
<li><a href="${aboutPath(site)}">${PAGE_TEXT.about}</a></li>
<li><a href="${aboutPath(site, 'privacy')}">${PAGE_TEXT.privacy}</a></li>
<li><a href="${aboutPath(site, 'terms')}">${PAGE_TEXT.terms}</a></li>
</ul>
</div>
</footer>
</body>
</html>
`;
  return doc.value;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** Text with its web addresses as links (trailing punctuation stays text). */
export function linkify(value: string): SafeHtml {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of value.matchAll(URL_IN_TEXT)) {
    const start = match.index ?? 0;
    const url = match[0].replace(/[.,;:!?)]+$/, '');
    parts.push(html`${value.slice(last, start)}<a class="url" href="${url}">${url}</a>`);
    last = start + url.length;
  }
  parts.push(html`${value.slice(last)}`);
  return html`${parts}`;
}

type Block = { kind: 'p'; text: string } | { kind: 'ul' | 'ol'; items: string[] };

/** The pack's answers use plain lines: "- " starts a bullet, "1. " a numbered item, else a paragraph. */
export function answerBlocks(answer: string): Block[] {
  const blocks: Block[] = [];
  for (const line of answer.split('\n').map((l) => l.trim())) {
    if (line === '') continue;
    const bullet = /^[-•]\s+(.*)$/.exec(line);
    const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
    const kind = bullet ? 'ul' : numbered ? 'ol' : 'p';
    const content = bullet?.[1] ?? numbered?.[1] ?? line;
    const previous = blocks.at(-1);
    if (kind !== 'p' && previous && previous.kind === kind) previous.items.push(content);
    else if (kind === 'p') blocks.push({ kind, text: content });
    else blocks.push({ kind, items: [content] });
  }
  return blocks;
}

function renderBlocks(answer: string): SafeHtml {
  return html`${answerBlocks(answer).map((block) => {
    if (block.kind === 'p') return html`<p>${linkify(block.text)}</p>\n`;
    const items = block.items.map((item) => html`<li>${linkify(item)}</li>`);
    return block.kind === 'ul' ? html`<ul>${items}</ul>\n` : html`<ol>${items}</ol>\n`;
  })}`;
}

/** The first line of an answer, for result lists. */
export function firstLine(entry: Entry): string {
  return (entry.answer.split('\n')[0] ?? '').trim();
}

function topSection(entry: Entry): string {
  return entry.section.split(' > ')[0] ?? entry.section;
}

function documentName(source: SourceId): string {
  const doc = SOURCE_DOCUMENTS[source];
  return source === 'ers-pack' ? `${doc.title} ${doc.version}` : `${doc.title} (${doc.version})`;
}

function slug(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/&/g, ' and ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  );
}

export interface SectionGroup {
  source: SourceId;
  section: string;
  anchor: string;
  entries: Entry[];
}

/** Topics grouped by source document, then by top-level section, in the order the data lists them. */
export function groupBySection(kb: KnowledgeBase): SectionGroup[] {
  const groups: SectionGroup[] = [];
  const used = new Set<string>();
  for (const entry of kb.entries) {
    const section = topSection(entry);
    let group = groups.find((g) => g.source === entry.source && g.section === section);
    if (!group) {
      let anchor = `s-${slug(section)}`;
      for (let n = 2; used.has(anchor); n++) anchor = `s-${slug(section)}-${n}`;
      used.add(anchor);
      group = { source: entry.source, section, anchor, entries: [] };
      groups.push(group);
    }
    group.entries.push(entry);
  }
  const order = Object.keys(SOURCE_DOCUMENTS);
  return groups.sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
}

/** GET /guidance: every topic, by section. */
export function renderIndex(site: SiteConfig, kb: KnowledgeBase): string {
  const groups = groupBySection(kb);
  const sources = [...new Set(groups.map((g) => g.source))];
  const body = html`<h1>${PAGE_TEXT.indexTitle}</h1>
<p class="lede">${PAGE_TEXT.indexIntro}</p>
<nav aria-labelledby="contents-heading">
<h2 id="contents-heading">${PAGE_TEXT.contentsHeading}</h2>
<ul class="contents">${groups.map((g) => html`<li><a href="#${g.anchor}">${g.section}</a></li>`)}</ul>
</nav>
${sources.map(
  (source) => html`<h2 id="doc-${source}">${documentName(source)}</h2>
${groups
  .filter((g) => g.source === source)
  .map(
    (g) => html`<section aria-labelledby="${g.anchor}">
<h3 id="${g.anchor}">${g.section}</h3>
<ul class="topics">${g.entries.map((e) => html`<li><a href="${guidancePath(site, e.id)}">${e.title}</a></li>`)}</ul>
</section>
`,
  )}`,
)}`;
  return page(site, {
    title: PAGE_TEXT.indexTitle,
    body,
    canonicalPath: guidancePath(site),
    description: PAGE_TEXT.indexIntro,
  });
}

export interface SearchPage {
  query: string;
  results: readonly Entry[];
  /** The question was about something else than e-RS (a clinical question): say so. */
  outOfScope?: boolean;
}

/** GET /guidance?q=...: the same search as the chat, as a list of links. */
export function renderSearch(site: SiteConfig, search: SearchPage): string {
  const browse = html`<a href="${guidancePath(site)}">${PAGE_TEXT.navAll.toLowerCase()}</a>`;
  let body: SafeHtml;
  if (search.query.trim() === '') {
    body = html`<h1>${PAGE_TEXT.searchTitle}</h1>
<p>${PAGE_TEXT.emptySearch} ${browse}.</p>`;
  } else if (search.results.length === 0) {
    body = html`<h1>${PAGE_TEXT.searchTitle}</h1>
<p><strong>${PAGE_TEXT.noResults} “${search.query}”.</strong></p>
<p>${search.outOfScope ? PAGE_TEXT.outOfScope : PAGE_TEXT.noResultsHelp} ${browse}.</p>`;
  } else {
    body = html`<h1>${PAGE_TEXT.searchTitle}</h1>
<p>${PAGE_TEXT.resultsFor(search.results.length)} “${search.query}”.</p>
<ol class="results">${search.results.map(
      (e) => html`<li><a href="${guidancePath(site, e.id)}">${e.title}</a>
<p>${firstLine(e)}</p>
<p class="meta">${PAGE_TEXT.sectionLabel}: ${e.section}</p></li>
`,
    )}</ol>`;
  }
  return page(site, { title: `${PAGE_TEXT.searchTitle}: ${search.query}`, body, query: search.query });
}

function contactHtml(route: ContactRoute): SafeHtml {
  const label = routeLabel(route);
  const who = route.who && route.who !== label ? route.who : undefined;
  const details: SafeHtml[] = [];
  if (route.emails.length > 0) {
    details.push(
      html`<li>${PAGE_TEXT.email}: ${route.emails.map((e, i) => html`${i > 0 ? ' and ' : ''}<a href="mailto:${e}">${e}</a>`)}</li>`,
    );
  }
  if (route.cc.length > 0) {
    details.push(
      html`<li>${PAGE_TEXT.cc}: ${route.cc.map((e, i) => html`${i > 0 ? ', ' : ''}<a href="mailto:${e}">${e}</a>`)}</li>`,
    );
  }
  if (route.phones.length > 0) {
    details.push(
      html`<li>${PAGE_TEXT.phone}: ${route.phones.map(
        (p, i) => html`${i > 0 ? ', ' : ''}<a href="tel:${p.replace(/\s+/g, '')}">${p}</a>`,
      )}</li>`,
    );
  }
  for (const link of route.links) details.push(html`<li><a href="${link.url}">${link.title}</a></li>`);
  return html`<section class="contact" aria-labelledby="c-${route.id}">
<h3 id="c-${route.id}">${label}</h3>
${who ? html`<p>${who}</p>` : ''}
<p>${linkify(route.how)}</p>
${details.length > 0 ? html`<ul>${details}</ul>` : ''}
</section>
`;
}

/** GET /guidance/<id>: one entry in full. */
export function renderEntry(site: SiteConfig, kb: KnowledgeBase, entry: Entry): string {
  const routes = entry.contacts.map((id) => kb.routesById.get(id)).filter((r): r is ContactRoute => r !== undefined);
  const related = entry.related.map((id) => kb.byId.get(id)).filter((e): e is Entry => e !== undefined);
  const doc = SOURCE_DOCUMENTS[entry.source];
  const body = html`<nav class="breadcrumb" aria-label="Breadcrumb">
<ol><li><a href="${guidancePath(site)}">${PAGE_TEXT.navAll}</a></li><li>${topSection(entry)}</li></ol>
</nav>
<h1>${entry.title}</h1>
<p class="section-path">${PAGE_TEXT.sectionLabel}: ${entry.section}</p>
${renderBlocks(entry.answer)}
${
  entry.steps.length > 0
    ? html`<h2>${PAGE_TEXT.stepsHeading}</h2>
<ol class="steps">${entry.steps.map((s) => html`<li>${linkify(s)}</li>`)}</ol>`
    : ''
}
${
  routes.length > 0
    ? html`<h2>${PAGE_TEXT.contactsHeading}</h2>
${routes.map(contactHtml)}`
    : ''
}
${
  related.length > 0
    ? html`<h2>${PAGE_TEXT.relatedHeading}</h2>
<ul>${related.map((r) => html`<li><a href="${guidancePath(site, r.id)}">${r.title}</a></li>`)}</ul>`
    : ''
}
<div class="source">
<p>${citation(entry.source, entry.section)}</p>
<p>${PAGE_TEXT.packVersion}: ${doc.title} ${doc.version} (${doc.date}).</p>
</div>`;
  return page(site, {
    title: entry.title,
    body,
    canonicalPath: guidancePath(site, entry.id),
    description: firstLine(entry),
  });
}

/** Any unknown guidance address: a page, not a JSON error, with a way back. */
export function renderNotFound(site: SiteConfig): string {
  const body = html`<h1>${PAGE_TEXT.notFoundTitle}</h1>
<p>${PAGE_TEXT.notFoundBody}</p>
<p><a href="${guidancePath(site)}">${PAGE_TEXT.backToAll}</a></p>`;
  return page(site, { title: PAGE_TEXT.notFoundTitle, body });
}

/** One `<li>` per line of wording. */
function listItems(items: readonly string[]): SafeHtml[] {
  return items.map((item) => html`<li>${item}</li>\n`);
}

/**
 * GET /guidance/about: what the bot is, privacy (what it keeps and for how long) and terms. The
 * Teams manifest links to `#privacy` and `#terms`. Durations come from the running configuration.
 */
export function renderAbout(site: SiteConfig, kb: KnowledgeBase): string {
  const pack = `${site.pack.title} ${site.pack.version} (${site.pack.date})`;
  const bsu = SOURCE_DOCUMENTS['bulk-service-update'];
  const training = kb.byId.get('ers-training-contact');
  const body = html`<h1>${ABOUT_TEXT.title}</h1>
<p class="lede">${ABOUT_TEXT.lede}</p>
<p>${ABOUT_TEXT.intro(pack, bsu.title, bsu.date)}</p>
<h2 id="privacy">${ABOUT_TEXT.privacyHeading}</h2>
<p><strong>${ABOUT_TEXT.noPatientDataWarning}</strong>${ABOUT_TEXT.noPatientData}</p>
<h3>${ABOUT_TEXT.keptHeading}</h3>
<ul>
${listItems(ABOUT_TEXT.kept(site.dialogTimeoutMinutes, site.retentionDays))}</ul>
<p>${ABOUT_TEXT.noCookies}</p>
<h2 id="terms">${ABOUT_TEXT.termsHeading}</h2>
<ul>
${listItems(ABOUT_TEXT.terms(pack))}${training ? html`<li>${ABOUT_TEXT.trainingLead} <a href="${guidancePath(site, training.id)}">${training.title}</a>.</li>` : ''}
</ul>`;
  return page(site, {
    title: ABOUT_TEXT.pageTitle,
    body,
    canonicalPath: `${guidancePath(site)}/about`,
    description: ABOUT_TEXT.description,
  });
}
