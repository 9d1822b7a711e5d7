import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { routesFor } from '../../dialogs/contacts-view.js';
import { DT_TEXT } from '../../dialogs/downtime-text.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { testKnowledge } from '../helpers/knowledge.js';
import { type Playground, startPlayground } from '../helpers/playground.js';

/**
 * The real client: the bot on 127.0.0.1, the Microsoft 365 Agents Playground (a Teams-like chat UI)
 * in front of it, and headless Chromium pressing the card buttons a practice receptionist would.
 * The page may only reach 127.0.0.1: anything else (the Playground's CDN fonts) is refused.
 */

const CHROMIUM = '/usr/bin/chromium';
const { kb } = testKnowledge();
const emailsOf = (routes: ReturnType<typeof routesFor>) => routes.flatMap((r) => r.emails);

describe('a practice receptionist uses the bot in the Agents Playground', () => {
  let bot: HttpBot;
  let playground: Playground;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (as root) first`);
    bot = await startHttpBot();
    playground = await startPlayground(bot.url);
    userDataDir = mkdtempSync(path.join(tmpdir(), 'ers-playground-browser-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1024, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
    });
    await context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    );
    page = context.pages()[0] ?? (await context.newPage());
    // The card code's failures (e.g. "Cannot add property msTeams, object is not extensible").
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(playground.url);
    await page.locator('div[role="textbox"][contenteditable="true"]').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await playground?.stop();
    await bot?.stop();
  });

  const replies = () => page.locator('.fai-OutputCard');

  /** Waits for a new reply from the bot after `act`, and returns the latest reply. */
  async function replyAfter(act: () => Promise<void>, saying: string | RegExp): Promise<Locator> {
    const before = await replies().count();
    await act();
    await expect.poll(async () => replies().count(), { timeout: 15_000 }).toBeGreaterThan(before);
    const latest = replies().last();
    await expect.poll(async () => latest.innerText(), { timeout: 15_000 }).toMatch(saying);
    return latest;
  }

  async function type(words: string, saying: string | RegExp): Promise<Locator> {
    return replyAfter(async () => {
      const box = page.locator('div[role="textbox"][contenteditable="true"]');
      await box.click();
      await page.keyboard.type(words);
      await page.locator('button[aria-label="Send Message"]').click();
    }, saying);
  }

  async function press(card: Locator, button: string | RegExp, saying: string | RegExp): Promise<Locator> {
    return replyAfter(() => card.getByRole('button', { name: button }).first().click(), saying);
  }

  test('troubleshooting: the list, an issue, "No, still stuck", then the borough, all by buttons', async () => {
    const menu = await type('troubleshoot', 'Troubleshooting: what is the problem?');
    // All eight problems are on the card as whole rows (nothing behind an overflow "...").
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
      expect(await menu.getByRole('button', { name: new RegExp(`^${n}\\. `) }).isVisible(), `issue ${n}`).toBe(true);
    }
    const issue = await press(menu, /^5\. /, 'Did that solve it?');
    const borough = await press(issue, 'No, still stuck', /Which borough/);
    const ra = await press(borough, 'Bromley', /Registration Authority/);
    const text = await ra.innerText();
    for (const email of emailsOf(routesFor(kb, 'smartcard-ra', { boroughs: ['bromley'] })))
      expect(text).toContain(email);
    expect(pageErrors).toEqual([]);
  });

  test('downtime: "more than 24 hours" gives stage 2 with the 2WW addresses', async () => {
    const ask = await type('e-RS is down', /When did e-RS go down/);
    const stage = await press(ask, DT_TEXT.moreThan24, /Stage 2 of 3/);
    const text = await stage.innerText();
    for (const email of emailsOf(routesFor(kb, 'downtime-2ww'))) expect(text).toContain(email);
    expect(pageErrors).toEqual([]);
  });

  test('downtime: "Only our practice is affected" gives the facilitator advice once', async () => {
    // The same chat as the test before: "cancel" leaves the downtime it was told about, so the
    // advisor asks again rather than answering for the start time given earlier.
    await type('cancel', /stopped that|nothing to cancel/i);
    const ask = await type('e-RS is down', /When did e-RS go down/);
    const local = await press(ask, DT_TEXT.localButton, /Primary Care IT Facilitator/);
    const text = await local.innerText();
    expect(text.match(/notify (?:your|their) local Primary Care IT Facilitator/gi)).toHaveLength(1);
    expect(text.match(/gives no email address or phone number/gi)).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  test('contacts: a purpose from the menu gives its contacts', async () => {
    const menu = await type('who to contact', /What do you need a contact for/);
    const contact = await press(menu, 'A&G request not actioned', /Who to contact: A&G request not actioned/);
    const text = await contact.innerText();
    const emails = emailsOf(routesFor(kb, 'ag-not-actioned'));
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expect(text).toContain(email);
    expect(pageErrors).toEqual([]);
  });

  test('deadlines: a question missing its priority, the priority by button, then "Remind me on that date"', async () => {
    const ask = await type('when is the contact-by date for a deferral on 2 December 2026', /priority/i);
    const answer = await press(ask, 'Routine', /Contact-by date/);
    expect(await answer.innerText()).toMatch(/2026/);
    await answer.getByRole('textbox').first().fill('check booked');
    const before = await replies().count();
    await answer.getByRole('button', { name: 'Remind me on that date' }).click();
    // The card itself changes to say the reminder is set (no new message), and loses the button.
    await expect
      .poll(async () => answer.innerText(), { timeout: 15_000 })
      .toMatch(/Reminder \w+ set for .*09:00: "check booked"/);
    expect(await answer.getByRole('button', { name: 'Remind me on that date' }).count()).toBe(0);
    expect(await replies().count()).toBe(before);
    expect(pageErrors).toEqual([]);
  });

  test('deadlines: the form with the date cleared says what is missing', async () => {
    const form = await type('work out a date', 'Work out a date');
    // The Playground draws Input.Date as a text box with a date picker.
    const date = form.locator('input[placeholder="Select a date..."]');
    await date.fill('');
    await date.press('Tab');
    await press(form, 'Work it out', /missing the date \(deferral, referral or cancellation\)/);
    expect(pageErrors).toEqual([]);
  });

  test('an answer rated Helpful: the card says so and the buttons go', async () => {
    const entry = kb.byId.get('dummy-appointment-letter');
    if (!entry) throw new Error('entry missing');
    const answer = await type(entry.title, entry.title);
    const before = await replies().count();
    await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
    await expect.poll(async () => answer.innerText(), { timeout: 15_000 }).toMatch(/You marked this answer helpful/);
    expect(await answer.getByRole('button', { name: /helpful/i }).count()).toBe(0);
    expect(await replies().count()).toBe(before);
    expect(pageErrors).toEqual([]);
  });
});
