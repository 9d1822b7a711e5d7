import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../knowledge/project-root.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { testKnowledge } from '../helpers/knowledge.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(projectRoot(), 'test-artifacts');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const KEY = 'insights-test-key-0123456789';
const RANGE = '?from=2026-11-02&to=2026-11-15';

const { kb } = testKnowledge();

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}
declare const axe: { run(): Promise<{ violations: AxeViolation[] }> };

/** Every axe-core finding, whatever its impact, as "rule: help (n nodes)". */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => axe.run());
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} (${v.nodes.length} nodes, e.g. ${JSON.stringify(v.nodes[0]?.target)})`,
  );
}

/** The rows of the table whose caption is `caption`, as arrays of cell texts. */
async function tableRows(page: Page, caption: string): Promise<string[][]> {
  const table = page.locator('table', { has: page.locator('caption', { hasText: caption }) }).first();
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) =>
        Array.from((r as unknown as { children: ArrayLike<{ textContent: string | null }> }).children).map(
          (c) => c.textContent?.trim() ?? '',
        ),
      ),
    );
}

/**
 * Staff use the bot over two weeks (real messages through the HTTP endpoint, a downtime announced
 * through the API), then a content owner opens the insights page in Chromium.
 */
describe('a content owner looks at what staff asked, in a browser', () => {
  let bot: HttpBot;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const browserErrors: string[] = [];
  let questionsAsked = 0;
  let answered: string | undefined;

  const ask = async (text: string, at: string, conversationId = `c-${questionsAsked + 1}`) => {
    questionsAsked += 1;
    bot.clock.set(at);
    const reply = await bot.ask(text, { conversationId });
    expect(reply.status).toBe(200);
    return reply.text;
  };

  beforeAll(async () => {
    bot = await startHttpBot({ env: { ANNOUNCE_API_KEY: KEY }, insights: true, now: '2026-11-02T09:00:00Z' });
    // Week 1.
    await ask('my smartcard is blocked, we are a Bromley practice', '2026-11-02T09:30:00Z');
    await ask("who do I contact at King's about a deferred referral that hasn't been booked", '2026-11-03T11:00:00Z');
    await ask('how do I attach a referral letter', '2026-11-04T14:00:00Z', 'letters');
    // The answer card's "Helpful" button, as Teams sends it.
    answered = kb.entries.find((e) => e.id === 'attaching-referral-letters')?.id;
    const feedback = await bot.wire.post(
      bot.url,
      bot.wire.message(undefined, {
        conversationId: 'letters',
        serviceUrl: bot.connector.url,
        value: { verb: 'feedback', entryId: answered, helpful: true },
      }),
    );
    expect(feedback.status).toBe(200);
    // Week 2: a downtime is announced for 10 and 11 November, and staff ask about it.
    bot.clock.set('2026-11-09T08:00:00Z');
    const announced = await bot.wire.post(
      `${bot.base}/api/announcements`,
      {
        kind: 'planned-downtime',
        title: 'e-RS planned maintenance',
        message: 'e-RS will be unavailable.',
        startsAt: '2026-11-10T09:00:00Z',
        endsAt: '2026-11-11T17:00:00Z',
        sendAt: '2026-11-09T08:05:00Z',
      },
      { authorization: `Bearer ${KEY}` },
    );
    expect(announced.status).toBe(201);
    await ask('e-RS is down what do we do', '2026-11-10T09:30:00Z');
    await ask('e-RS is down, where do we send 2WW referrals for Lewisham hospital', '2026-11-10T10:15:00Z');
    await ask('is there a downtime process for referrals', '2026-11-11T12:00:00Z');
    await ask('zebra crossing paint colours', '2026-11-12T15:00:00Z');
    await ask('zebra crossing paint colours', '2026-11-13T15:00:00Z');

    userDataDir = mkdtempSync(path.join(tmpdir(), 'ers-insights-browser-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      // The page forbids every script by CSP; axe-core is injected as one, so only this test lifts it.
      bypassCSP: true,
      // The browser's own sign-in prompt, answered with the key as the password (HTTP Basic).
      httpCredentials: { username: 'content-owner', password: KEY },
      viewport: { width: 1024, height: 768 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') browserErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) browserErrors.push(`${response.status()} ${response.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await bot?.stop();
  });

  test('the page shows every question asked, per week and feature, in charts with titles and in tables', async () => {
    await page.goto(`${bot.base}/insights${RANGE}`);
    expect(await page.locator('h1').textContent()).toBe('What staff ask e-RS Helper');
    const charts = page.locator('svg.chart[role="img"]');
    expect(await charts.count()).toBeGreaterThanOrEqual(5);
    for (const chart of await charts.all()) {
      expect((await chart.locator('title').textContent())?.length).toBeGreaterThan(0);
      expect((await chart.locator('desc').textContent())?.length).toBeGreaterThan(0);
      expect(await chart.locator('rect').count()).toBeGreaterThan(0);
    }
    const weeks = await tableRows(page, 'Questions per week, by feature');
    expect(weeks.map((r) => r[0])).toEqual(['2 November 2026', '9 November 2026']);
    const total = weeks.reduce((sum, r) => sum + Number(r.at(-1)), 0);
    expect(total).toBe(questionsAsked);
    expect(Number(weeks[1]?.[3])).toBeGreaterThanOrEqual(2); // the Downtime column, week 2
  });

  test('topics, feedback, unanswered questions, downtime against the announcement, and places named', async () => {
    await page.goto(`${bot.base}/insights${RANGE}`);
    const title = kb.byId.get(answered ?? '')?.title;
    expect((await tableRows(page, 'Top topics answered')).map((r) => r[0])).toContain(title);
    expect(await tableRows(page, 'Helpful and not helpful, per topic')).toContainEqual([
      title,
      '1',
      '0',
      '100%',
      '-',
      'No earlier feedback',
    ]);
    const unanswered = await tableRows(page, 'Questions it could not answer, grouped');
    expect(unanswered.length).toBeGreaterThan(0);
    expect(unanswered.map((r) => Number(r[1])).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    expect(unanswered.flat().join(' ')).not.toContain('zebra');

    const downtime = await tableRows(page, 'Downtime advice used per day, against announced downtimes');
    const day = (d: string) => downtime.find((r) => r[0] === d);
    expect(Number(day('10 November 2026')?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(day('11 November 2026')?.[1])).toBeGreaterThanOrEqual(1);
    expect(day('10 November 2026')?.[2]).toBe('e-RS planned maintenance');
    expect(day('11 November 2026')?.[2]).toBe('e-RS planned maintenance');
    expect(day('12 November 2026')).toBeUndefined();

    expect((await tableRows(page, 'Boroughs named')).map((r) => r[0])).toContain('Bromley');
    const trusts = (await tableRows(page, 'Trusts named')).map((r) => r[0]);
    expect(trusts).toEqual(expect.arrayContaining(["King's College Hospital (KCH)", 'Lewisham and Greenwich (LGT)']));

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'insights.png'), fullPage: true });
  });

  test('the date filter narrows the figures to the dates chosen', async () => {
    await page.goto(`${bot.base}/insights`);
    await page.getByLabel('From', { exact: true }).fill('2026-11-09');
    await page.getByLabel('To', { exact: true }).fill('2026-11-15');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/from=2026-11-09&to=2026-11-15/);
    const weeks = await tableRows(page, 'Questions per week, by feature');
    expect(weeks.map((r) => r[0])).toEqual(['9 November 2026']);
  });

  test('a mistyped date says so and shows the last 12 weeks instead', async () => {
    const response = await page.goto(`${bot.base}/insights?from=2026-13-40&to=2026-11-15`);
    expect(response?.status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toContain('year-month-day');
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('');
    browserErrors.splice(0); // the 400 is the point of this test
  });

  test('the CSV download has the same figures', async () => {
    await page.goto(`${bot.base}/insights${RANGE}`);
    const href = await page.getByRole('link', { name: 'Download these figures (CSV)' }).getAttribute('href');
    const csv = await page.request.get(`${bot.base}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('table,period,label,value');
    const perWeek = lines.filter((l) => l.startsWith('questions-per-week,'));
    expect(perWeek.reduce((sum, l) => sum + Number(l.split(',').at(-1)), 0)).toBe(questionsAsked);
    expect(lines).toContain('downtime-advice-used,2026-11-12,no announcement,0');
  });

  test('without the key there is nothing to see', async () => {
    const res = await fetch(`${bot.base}/insights${RANGE}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
    expect(await res.text()).not.toContain('Questions per week');
    const wrong = await fetch(`${bot.base}/insights.csv${RANGE}`, { headers: { authorization: 'Bearer wrong-key' } });
    expect(wrong.status).toBe(401);
  });

  test('the page, with every table opened, has no accessibility violations (axe-core)', async () => {
    await page.goto(`${bot.base}/insights${RANGE}`);
    for (const summary of await page.locator('summary').all()) await summary.click();
    expect(await violations(page)).toEqual([]);
  });

  test('nothing logged an error or failed to load in the browser', () => {
    expect(browserErrors).toEqual([]);
  });
});
