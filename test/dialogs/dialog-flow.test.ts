import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Activity, MemoryStorage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { CANCELLED } from '../../dialogs/help-text.js';
import { projectRoot } from '../../knowledge/project-root.js';
import { setup } from '../helpers/setup.js';
import { all, says, saysNot } from './transcript.js';

const MENU = says('Troubleshooting: what is the problem?');

describe('leaving a dialog part way', () => {
  for (const word of ['cancel', 'start again']) {
    test(`"${word}" in the troubleshooting menu leaves it, so a number is no longer a pick`, async () => {
      const { adapter } = setup();
      await adapter
        .send('troubleshoot')
        .assertReply(MENU)
        .send(word)
        .assertReply(says(CANCELLED))
        .send('3')
        .assertReply(saysNot('Issue 3:'));
    });
  }

  test('"help" while the bot asks for a borough shows help and drops the question', async () => {
    const { adapter } = setup();
    await adapter
      .send('my smartcard is blocked')
      .assertReply(says('Did that solve it?'))
      .send('no')
      .assertReply(says('Which borough'))
      .send('help')
      .assertReply(saysNot('Which borough', 'ICTServiceDesk@selondonics.nhs.uk'))
      .send('Lambeth')
      .assertReply(saysNot('Contact your Registration Authority (RA)'));
  });

  test('"cancel" while the downtime advisor asks when leaves it', async () => {
    const { adapter } = setup();
    await adapter
      .send('e-RS is down')
      .assertReply(says('When did e-RS go down?'))
      .send('cancel')
      .assertReply(says(CANCELLED))
      .send('for 30 hours')
      .assertReply(saysNot('Stage 2 of 3'));
  });

  test('a new question in the middle of a dialog is answered, not trapped', async () => {
    const { adapter } = setup();
    await adapter
      .send('who to contact')
      .assertReply(says('Who to contact'))
      .send('routine referral deferred on 2 March 2026 - when should the patient hear from the provider?')
      .assertReply(says('29 April 2026'));
  });

  test('a new problem in the middle of the troubleshooting menu goes to that problem', async () => {
    const { adapter } = setup();
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('e-RS has been down for 30 hours, 2WW referral to the PRUH')
      .assertReply(all(says('kch-tr.br-2weekwait@nhs.net'), saysNot('Issue')));
  });
});

describe('a dialog left silent', () => {
  test('expires after DIALOG_TIMEOUT_MINUTES: a number is then no longer a menu pick', async () => {
    const { adapter, clock } = setup({ now: '2026-12-24T10:00:00Z', env: { DIALOG_TIMEOUT_MINUTES: '15' } });
    await adapter.send('troubleshoot').assertReply(MENU);
    clock.set('2026-12-24T10:16:00Z');
    await adapter.send('3').assertReply(saysNot('Issue 3:'));
  });

  test('is still there just inside the timeout', async () => {
    const { adapter, clock } = setup({ now: '2026-12-24T10:00:00Z', env: { DIALOG_TIMEOUT_MINUTES: '15' } });
    await adapter.send('troubleshoot').assertReply(MENU);
    clock.set('2026-12-24T10:14:00Z');
    await adapter.send('3').assertReply(says('Issue 3:'));
  });

  test('the timeout counts from the last turn to within a second (times are kept to whole seconds)', async () => {
    const env = { DIALOG_TIMEOUT_MINUTES: '15' };
    const inside = setup({ now: '2026-12-24T10:00:00.700Z', env });
    await inside.adapter.send('troubleshoot').assertReply(MENU);
    inside.clock.set('2026-12-24T10:14:59.900Z');
    await inside.adapter.send('3').assertReply(says('Issue 3:'));
    const past = setup({ now: '2026-12-24T10:00:00.700Z', env });
    await past.adapter.send('troubleshoot').assertReply(MENU);
    past.clock.set('2026-12-24T10:15:00.001Z');
    await past.adapter.send('3').assertReply(saysNot('Issue 3:'));
  });
});

describe('the bot restarts part way through a dialog', () => {
  test('a new app on the same storage continues the dialog', async () => {
    const storage = new MemoryStorage();
    const first = setup({ storage });
    await first.adapter.send('troubleshoot').assertReply(MENU);
    const second = setup({ storage });
    await second.adapter.send('7').assertReply(says('Issue 7:', 'Do not cancel or duplicate'));
  });

  test('a new app on fresh storage has no dialog to continue', async () => {
    const first = setup();
    await first.adapter.send('troubleshoot').assertReply(MENU);
    const second = setup();
    await second.adapter.send('7').assertReply(saysNot('Issue 7:'));
  });
});

describe('in a Teams channel', () => {
  const thread = (n: number, text: string): Partial<Activity> => ({
    type: 'message',
    text,
    conversation: { id: `19:x@thread.tacv2;messageid=${n}`, conversationType: 'channel', isGroup: true, name: '' },
  });

  test('each thread has its own dialog', async () => {
    const { adapter } = setup({ conversationType: 'channel' });
    await adapter
      .send(thread(1, 'troubleshoot'))
      .assertReply(MENU)
      .send(thread(2, '5'))
      .assertReply(saysNot('Issue 5:'))
      .send(thread(1, '5'))
      .assertReply(says('Issue 5:'));
  });
});

describe('the order of routes', () => {
  test('the knowledge catch-all is registered after every feature', () => {
    const source = readFileSync(path.join(projectRoot(), 'bot', 'app.ts'), 'utf8');
    const calls = [...source.matchAll(/^\s*(register\w+)\(app/gm)].map((m) => m[1]);
    expect(calls).toContain('registerKnowledge');
    expect(calls.at(-1)).toBe('registerKnowledge');
    expect(calls.length).toBeGreaterThan(5);
  });

  test('every feature still wins for its own messages', async () => {
    const { adapter } = setup();
    await adapter
      .send('troubleshoot')
      .assertReply(MENU)
      .send('cancel')
      .assertReply(says(CANCELLED))
      .send('e-RS went down Friday 6 November 2026 at 4pm; it is now Monday 9 November 2026 at 9am')
      .assertReply(says('Stage 2 of 3'))
      .send('2WW deferred on Friday 3 April 2026 - contact-by date')
      .assertReply(says('8 April 2026'))
      .send('who to contact')
      .assertReply(says('Who to contact'))
      .send('cancel')
      .assertReply(says(CANCELLED))
      .send('search tips')
      .assertReply(says("'Maximum distance'"))
      .send('list the e-RS worklists')
      .assertReply(says('Triage responses'));
  });
});
