import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

const { kb } = testKnowledge();
const ts5 = kb.entries.find((e) => e.id.startsWith('ts-5-'));

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}
declare const axe: { run(): Promise<{ violations: AxeViolation[] }> };

/** Serious and critical axe-core findings, as "rule: help (n nodes)" so a failure says what to fix. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const { violations } = await page.evaluate(() => axe.run());
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${JSON.stringify(v.nodes[0]?.target)})`);
}

describe('a GP IT facilitator uses the guidance pages in a browser', () => {
  let bot: HttpBot;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (as root) first`);
    }
    bot = await startHttpBot();
    userDataDir = mkdtempSync(path.join(tmpdir(), 'ers-guidance-browser-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      // The pages forbid every script by CSP; axe-core is injected as one, so only this test lifts it.
      bypassCSP: true,
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
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await bot?.stop();
  });

  test('searches from the list, follows a result and reads the entry with its contacts and source', async () => {
    await page.goto(`${bot.base}/guidance`);
    expect(await page.locator('h1').textContent()).toBe('e-RS guidance for South East London practices');
    await page.getByLabel('Search the guidance').fill('smartcard blocked');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/guidance\?q=smartcard\+blocked$/);
    expect(await page.locator('h1').textContent()).toBe('Search results');
    await page
      .getByRole('link', { name: ts5?.title ?? 'missing entry' })
      .first()
      .click();
    await page.waitForURL(new RegExp(`/guidance/${ts5?.id}$`));

    const headings = await page.locator('main h1, main h2').allTextContents();
    expect(headings[0]).toBe(ts5?.title);
    expect(headings).toEqual(expect.arrayContaining(['Contacts', 'Related topics']));
    const mail = page.locator('main a[href="mailto:bhc.ithelpdesk@nhs.net"]');
    expect(await mail.textContent()).toBe('bhc.ithelpdesk@nhs.net');
    expect(await page.locator('.source').textContent()).toContain(
      'Source: eRS Information Pack v4.1, October 2025: e-RS Trouble Shooting Guide > Issue 5',
    );
    // The stylesheet applied (its CSP hash matched): the header is NHS blue.
    const headerColour = await page.locator('header').evaluate((el) => {
      // The project's tsconfig has no DOM lib: this runs in the page, where the browser provides it.
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } };
      return view.getComputedStyle(el).backgroundColor;
    });
    expect(headerColour).toBe('rgb(0, 94, 184)');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'guidance-entry.png'), fullPage: true });
  });

  test('the skip link is the first thing the keyboard reaches, and it is visible when focused', async () => {
    await page.goto(`${bot.base}/guidance/about`);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.textContent()).toBe('Skip to main content');
    const box = await focused.boundingBox();
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
  });

  test.each([
    ['the topic list', '/guidance'],
    ['a search results page', '/guidance?q=downtime'],
    ['an entry page', `/guidance/${ts5?.id}`],
    ['the about page', '/guidance/about'],
  ])('%s has no serious or critical accessibility problems (axe-core)', async (_name, pagePath) => {
    await page.goto(`${bot.base}${pagePath}`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('no page logged an error or failed to load anything in the browser', () => {
    expect(consoleErrors).toEqual([]);
  });
});
