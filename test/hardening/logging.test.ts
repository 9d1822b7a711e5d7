import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogger } from '../../bot/logger.js';
import { type HttpBot, startHttpBot } from '../helpers/http-bot.js';
import { type CapturedLogs, captureLogs } from '../helpers/setup.js';

const NHS_NUMBER = '401 023 2137';
const NHS_FORMS = [NHS_NUMBER, '4010232137', '401-023-2137'];

describe('the app logger (bot/logger.ts)', () => {
  test('writes JSON lines with the app name, and redacts message text in structured fields', () => {
    const written: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void written.push(line) });
    logger.info({ event: 'x', activity: { text: 'my secret question', type: 'message' } }, 'received');
    const line = JSON.parse(written.join('')) as Record<string, unknown>;
    expect(line).toMatchObject({ app: 'ers-helper', event: 'x', activity: { text: '[redacted]', type: 'message' } });
    expect(written.join('')).not.toContain('my secret question');
  });

  test('masks an NHS number that reaches a log message by another route', () => {
    const written: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void written.push(line) });
    logger.warn({ reason: `lookup failed for ${NHS_NUMBER}` }, 'failed for %s', '4010232137');
    for (const form of NHS_FORMS) expect(written.join('')).not.toContain(form);
  });

  test('respects the level', () => {
    const written: string[] = [];
    createLogger('warn', { write: (line: string) => void written.push(line) }).info('quiet');
    expect(written).toEqual([]);
  });
});

describe('a person types an NHS number into a real turn', () => {
  let bot: HttpBot;
  let logs: CapturedLogs;

  beforeAll(async () => {
    logs = captureLogs('trace');
    bot = await startHttpBot({ logger: logs.logger });
  });
  afterAll(async () => {
    await bot.stop();
  });

  test.each([
    [`referral rejected for ${NHS_NUMBER} what do I do`],
    [`PDS icon is red for patient 4010232137`],
    [`2WW for 401-023-2137 deferred on 3 April, contact-by date`],
  ])('nothing logged for "%s" contains the number or the message', async (text) => {
    const before = logs.lines().length;
    const { status, text: reply } = await bot.ask(text);
    expect(status).toBe(200);
    expect(reply).toContain('patient');
    const lines = logs.lines().slice(before);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.event === 'http.activity')).toBe(true);
    // The trace line carries the whole activity: the text is there to leak, and must not.
    const received = lines.find((l) => l.event === 'http.activity.received');
    expect(received).toMatchObject({ activity: { type: 'message', text: '[redacted]' } });
    const raw = lines.map((l) => JSON.stringify(l)).join('\n');
    for (const form of NHS_FORMS) expect(raw).not.toContain(form);
    expect(raw).not.toContain(text.slice(0, 20));
  });
});
