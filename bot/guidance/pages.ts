import { routeLabel } from '../../dialogs/contacts-view.js';
import type { KnowledgeBase } from '../../knowledge/load.js';
import { html, type SafeHtml } from '../../knowledge/safety/html.js';
import { type ContactRoute, type Entry, SOURCE_DOCUMENTS, type SourceId } from '../../knowledge/schema.js';
import { citation } from '../../knowledge/sources.js';
import { linkify, renderBlocks } from './answer-html.js';
import { guidancePath, page, type SiteConfig } from './layout.js';
import { ABOUT_TEXT, PAGE_TEXT } from './page-text.js';

/**
 * The guidance pages as plain server-rendered HTML: no framework, no scripts, one inline stylesheet
 * allowed by its hash (the frame is layout.ts). Everything interpolated goes through {@link html}, which escapes it unless
 * it is already {@link SafeHtml}, so pack text, contacts and the search words can never become markup.
 */

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
