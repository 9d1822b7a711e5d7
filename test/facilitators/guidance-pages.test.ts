import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { answerBlocks } from '../../bot/guidance/answer-html.js';
import { groupBySection, renderEntry } from '../../bot/guidance/pages.js';
import { guidanceUrl, sourceLine } from '../../dialogs/answer-card.js';
import { escapeHtml, html } from '../../knowledge/safety/html.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { testKnowledge } from '../helpers/knowledge.js';

const { kb } = testKnowledge();
const ts5 = kb.entries.find((e) => e.id.startsWith('ts-5-'));

async function get(bot: HttpBot, path: string) {
  const res = await fetch(`${bot.base}${path}`);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function count(haystack: string, needle: RegExp): number {
  return haystack.match(needle)?.length ?? 0;
}

/** Heading levels in document order: a page must start at h1 and never skip a level going down. */
function headingLevels(page: string): number[] {
  return [...page.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
}

function expectWellFormedPage(page: string): void {
  expect(page.startsWith('<!doctype html>')).toBe(true);
  expect(page).toContain('<html lang="en-GB">');
  expect(count(page, /<h1[\s>]/g)).toBe(1);
  const levels = headingLevels(page);
  expect(levels[0]).toBe(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i] ?? 0).toBeLessThanOrEqual((levels[i - 1] ?? 0) + 1);
  for (const landmark of ['<header', '<nav', '<main', '<footer']) expect(page).toContain(landmark);
  expect(page).toContain('<a class="skip-link" href="#main">');
  expect(page).toMatch(/<label for="q">[^<]+<\/label>/);
  expect(page).toContain('Last updated: October 2025 (eRS Information Pack v4.1)');
  expect(page).toMatch(/e-RS Helper version \d+\.\d+\.\d+/);
  expect(page).not.toContain('<script');
}

describe('a practice manager reads the guidance pages in a browser', () => {
  let bot: HttpBot;
  beforeAll(async () => {
    bot = await startHttpBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  test('/guidance lists every topic once, grouped by document and section', async () => {
    const { status, body } = await get(bot, '/guidance');
    expect(status).toBe(200);
    expectWellFormedPage(body);
    for (const entry of kb.entries) {
      expect(count(body, new RegExp(`href="/guidance/${entry.id}"`, 'g'))).toBe(1);
    }
    expect(body).toContain('<h2 id="doc-ers-pack">eRS Information Pack v4.1</h2>');
    expect(body).toContain('<h2 id="doc-bulk-service-update">');
    // The troubleshooting guide's section lists its eight issues under one heading.
    const guide = body.split('<h3 id="s-e-rs-trouble-shooting-guide">e-RS Trouble Shooting Guide</h3>')[1] ?? '';
    const section = guide.split('</section>')[0] ?? '';
    expect(count(section, /href="\/guidance\/ts-\d-/g)).toBe(8);
    expect(groupBySection(kb).reduce((n, g) => n + g.entries.length, 0)).toBe(kb.entries.length);
  });

  test('searching "smartcard blocked" lists matching topics with links', async () => {
    const { status, headers, body } = await get(bot, '/guidance?q=smartcard+blocked');
    expect(status).toBe(200);
    expectWellFormedPage(body);
    expect(body).toMatch(/\d+ topics? match “smartcard blocked”/);
    const first = /<ol class="results"><li><a href="\/guidance\/([^"]+)">/.exec(body)?.[1];
    expect(first).toBe(ts5?.id);
    expect(body).toContain('value="smartcard blocked"');
    // A search may hold words typed by mistake: no cache keeps it.
    expect(headers.get('cache-control')).toBe('no-store');
  });

  test('a search that matches nothing says so plainly and offers the full list', async () => {
    const { status, body } = await get(bot, '/guidance?q=xyzzy+plugh');
    expect(status).toBe(200);
    expect(body).toContain('No guidance matches “xyzzy plugh”.');
    expect(body).toContain('href="/guidance">all topics</a>');
    expect(body).not.toContain('class="results"');
  });

  test('a clinical question is told the pages cover e-RS processes only', async () => {
    const { body } = await get(bot, `/guidance?q=${encodeURIComponent('what dose of amoxicillin')}`);
    expect(body).toContain('No guidance matches');
    expect(body).toContain('e-RS processes only');
  });

  test('an entry page shows the answer, steps, contacts as mailto and tel links, the source and related topics', async () => {
    const { status, headers, body } = await get(bot, `/guidance/${ts5?.id}`);
    expect(status).toBe(200);
    expectWellFormedPage(body);
    expect(body).toContain(`<h1>${escapeHtml(ts5?.title ?? 'x')}</h1>`);
    expect(body).toContain('<h2>Contacts</h2>');
    expect(body).toContain('<a href="mailto:bhc.ithelpdesk@nhs.net">bhc.ithelpdesk@nhs.net</a>');
    expect(body).toContain('<a href="tel:02083158702">0208 315 8702</a>');
    expect(body).toContain('<a href="mailto:ICTServiceDesk@selondonics.nhs.uk">');
    if (!ts5) throw new Error('the pack has no troubleshooting issue 5');
    expect(body).toContain(escapeHtml(sourceLine(ts5)));
    expect(body).toContain('Source: eRS Information Pack v4.1, October 2025: e-RS Trouble Shooting Guide &gt; Issue 5');
    expect(body).toContain('Pack version: eRS Information Pack v4.1 (October 2025).');
    expect(body).toContain('<h2>Related topics</h2>');
    for (const id of ts5?.related ?? []) expect(body).toContain(`href="/guidance/${id}"`);
    expect(body).toContain(`<link rel="canonical" href="${bot.config.publicBaseUrl}/guidance/${ts5?.id}">`);
    expect(headers.get('cache-control')).toBe('public, max-age=300');
  });

  test('every "Open in browser" link a chat answer can carry opens that entry\'s page', async () => {
    for (const entry of kb.entries) {
      const url = new URL(guidanceUrl(bot.config, entry.id));
      const { status, body } = await get(bot, url.pathname);
      expect(status, entry.id).toBe(200);
      expect(body).toContain(`<h1>${escapeHtml(entry.title)}</h1>`);
    }
  });

  test('an entry with steps shows them as an ordered list', async () => {
    const withSteps = kb.entries.find((e) => e.steps.length >= 2);
    const { body } = await get(bot, `/guidance/${withSteps?.id}`);
    expect(body).toContain('<h2>Steps</h2>');
    const list = /<ol class="steps">(.*?)<\/ol>/s.exec(body)?.[1] ?? '';
    expect(count(list, /<li>/g)).toBe(withSteps?.steps.length);
  });

  test('an unknown topic gets an HTML 404 page with a link back', async () => {
    for (const path of ['/guidance/no-such-topic', '/guidance/a/b', `/guidance/${encodeURIComponent('<b>x</b>')}`]) {
      const { status, headers, body } = await get(bot, path);
      expect(status).toBe(404);
      expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
      expectWellFormedPage(body);
      expect(body).toContain('<h1>Page not found</h1>');
      expect(body).toContain('<a href="/guidance">Go to all topics</a>');
      expect(body).not.toContain('<b>x</b>');
    }
  });

  test('the about page explains the bot, privacy and terms at the anchors the manifest links to', async () => {
    const { status, body } = await get(bot, '/guidance/about');
    expect(status).toBe(200);
    expectWellFormedPage(body);
    expect(body).toContain('<h2 id="privacy">Privacy</h2>');
    expect(body).toContain('<h2 id="terms">Terms of use</h2>');
    expect(body).toContain('patient-identifiable information');
    expect(body).toContain(`kept for ${bot.config.retentionDays} days`);
    expect(body).toContain('no clinical advice');
  });

  test('every page is sent with a strict content security policy, nosniff and a cache policy', async () => {
    for (const path of ['/guidance', '/guidance?q=pds', `/guidance/${ts5?.id}`, '/guidance/about', '/guidance/nope']) {
      const { headers, body } = await get(bot, path);
      expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('cache-control')).toMatch(/^(public, max-age=300|no-store)$/);
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      // The inline stylesheet is allowed by its hash: if the CSS changes and the hash does not, pages lose their styles.
      const css = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? '';
      const hash = createHash('sha256').update(css, 'utf8').digest('base64');
      expect(csp).toContain(`style-src 'sha256-${hash}'`);
    }
  });

  test('search words are escaped wherever the page shows them', async () => {
    const attack = '<script>alert("x")</script> smartcard "onfocus=alert(1) \'';
    const { body } = await get(bot, `/guidance?q=${encodeURIComponent(attack)}`);
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('"onfocus=alert(1)');
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(body).toMatch(
      /value="&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; smartcard &quot;onfocus=alert\(1\) &#39;"/,
    );
  });

  test('very long search words are cut to the search box limit', async () => {
    const { status, body } = await get(bot, `/guidance?q=${'smartcard '.repeat(100)}`);
    expect(status).toBe(200);
    const value = /id="q" name="q"[^>]* value="([^"]*)"/.exec(body)?.[1] ?? '';
    expect(value.length).toBeLessThanOrEqual(200);
    expect(value.length).toBeGreaterThan(100);
  });
});

describe('rendering the pages', () => {
  test('the template escapes every interpolated value and keeps nested markup', () => {
    const evil = `<img src=x onerror="alert('1')">&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</p>',
    );
    expect(html`<ul>${['a<', html`<b>b</b>`, undefined, false]}</ul>`.value).toBe('<ul>a&lt;<b>b</b></ul>');
  });

  test('answer lines become paragraphs, bullets and numbered lists', () => {
    expect(answerBlocks('Intro.\n- one\n- two\nThen:\n1. first\n2. second')).toEqual([
      { kind: 'p', text: 'Intro.' },
      { kind: 'ul', items: ['one', 'two'] },
      { kind: 'p', text: 'Then:' },
      { kind: 'ol', items: ['first', 'second'] },
    ]);
  });

  test('links in entry pages sit under the public base URL path, and web addresses in answers are links', () => {
    const config = loadConfig({ PUBLIC_BASE_URL: 'https://bots.example.nhs.uk/ers/' });
    const withUrl = kb.entries.find((e) => e.answer.includes('https://ers.nhs.uk/main'));
    if (!withUrl) throw new Error('no entry links to https://ers.nhs.uk/main');
    const page = renderEntry(config, kb, withUrl);
    expect(page).toContain('<a class="site-name" href="/ers/guidance">');
    expect(page).toContain(`<link rel="canonical" href="https://bots.example.nhs.uk/ers/guidance/${withUrl?.id}">`);
    expect(page).toContain('<a class="url" href="https://ers.nhs.uk/main">https://ers.nhs.uk/main</a>');
  });
});
