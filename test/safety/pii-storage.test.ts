import type { Activity } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { listAnnouncements, listReminders } from '../../bot/announcements/store.js';
import { parseAnnouncementInput } from '../../knowledge/announcements/input.js';
import { PII_WARNING } from '../../knowledge/safety/pii.js';
import { readable, setup } from '../helpers/setup.js';

// Security review C1 and M5: these labels were stored in DATA_DIR, echoed back and sent again on the
// day, and these messages went through chat with no warning.
const LABELS = [
  'Mrs Smith 943.476.5919',
  'J Smith 9 4 3 4 7 6 5 9 1 9',
  'ring Jane Smith 07700 900123',
  'Jane Smith 12 Acacia Avenue',
  'smith jane 1/2/1950',
  '943 4765 919',
  '\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669',
];

const CHAT = [
  'nhs number 943.476.5919 pds icon red',
  '943/476/5919 was rejected',
  '943_476_5919 was rejected',
  '9 4 3 4 7 6 5 9 1 9 deferred',
  '943 4765 919 deferred',
  '94347 65919 deferred',
  '\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669 deferred',
  'Pt: SMITH, Jane 01.02.1950 referral returned',
  'please call Jane Smith on 07700 900123',
  'mr patel mobile +44 7700 900123',
];

const ANNOUNCER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const staff = { id: '29:staff', name: 'Practice staff', aadObjectId: '00000000-0000-4000-8000-000000000009' };

async function replies(bot: ReturnType<typeof setup>, activity: Partial<Activity>, count = 1): Promise<string[]> {
  const out: string[] = [];
  let flow = bot.adapter.send({ type: 'message', ...activity });
  for (let i = 0; i < count; i++) {
    flow = flow.assertReply((a) => {
      out.push(readable(a));
    });
  }
  await flow.startTest();
  return out;
}

describe('a reminder label that identifies the patient', () => {
  test.each(LABELS)('%j is refused, not stored and not echoed', async (label) => {
    const bot = setup();
    const said = (
      await replies(bot, { from: staff, value: { verb: 'reminder-create', date: '2026-12-16', label } })
    ).join('\n');
    expect(said).toContain('I have not set that reminder');
    expect(said).not.toContain(label);
    expect(await listReminders(bot.storage)).toHaveLength(0);
  });
});

describe('an announcement that identifies a patient', () => {
  test('is refused by the schema the API and the chat form share', () => {
    const result = parseAnnouncementInput({
      kind: 'general',
      title: 'Call Jane Smith on 07700 900123',
      message: 'her postcode SE1 7EH, NHS 943.476.5919',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fields.map((f) => f.field).sort()).toEqual(['message', 'title']);
  });

  test('is refused in chat and nothing is stored', async () => {
    const bot = setup({ env: { ANNOUNCERS: ANNOUNCER } });
    const said = await replies(bot, {
      from: { id: '29:icb', name: 'ICB lead', aadObjectId: ANNOUNCER },
      value: { verb: 'announce-create', kind: 'general', title: 'Call Jane Smith on 07700 900123' },
    });
    expect(said.join('\n')).toMatch(/patient-identifiable/);
    expect(await listAnnouncements(bot.storage)).toHaveLength(0);
  });
});

describe('a chat message with an identifier in a form the detector used to miss', () => {
  test.each(CHAT)('%j is answered after the warning', async (text) => {
    const bot = setup();
    const said = await replies(bot, { text }, 2);
    expect(said[0]).toBe(PII_WARNING);
    expect(said[1]).not.toBe(PII_WARNING);
  });
});
