import { describe, expect, test } from 'vitest';
import { readable, setup } from '../helpers/setup.js';

describe('a practice manager opens the bot for the first time', () => {
  test('the bot greets them with a welcome card listing what it can do as buttons', async () => {
    const { adapter } = setup();
    const replies: string[] = [];
    await adapter
      .send({
        type: 'conversationUpdate',
        membersAdded: [{ id: 'bot', name: 'e-RS Helper' }],
        recipient: { id: 'bot', name: 'e-RS Helper' },
      })
      .assertReply((a) => {
        replies.push(readable(a));
      });
    expect(replies[0]).toContain('Welcome to e-RS Helper');
    expect(replies[0]).toContain('Troubleshoot a problem');
  });

  test('typing help lists the features as buttons that can also be typed', async () => {
    const { adapter } = setup();
    let card: unknown;
    await adapter.send('help').assertReply((a) => {
      card = a.attachments?.[0]?.content;
    });
    const text = JSON.stringify(card);
    for (const command of [
      'troubleshoot',
      'e-RS is down',
      'who to contact',
      'work out a date',
      'tips for finding a service',
    ]) {
      expect(text).toContain(`"choice":"${command}"`);
    }
    expect(text).toContain('Troubleshoot a problem');
  });

  test('cancel when nothing is going on says so', async () => {
    const { adapter } = setup();
    await adapter.send('cancel').assertReply((a) => {
      expect(a.text).toContain('nothing to cancel');
    });
  });
});

describe('thanks are thanks, however they are put', () => {
  test.each(['thanks that helped', 'thanks, all sorted', 'cheers mate', 'thank you so much'])('%s', async (text) => {
    const { adapter } = setup();
    await adapter.send(text).assertReply((a) => {
      expect(readable(a)).toContain("You're welcome");
    });
  });

  test('a thank-you with a new problem in it is answered as the problem', async () => {
    const { adapter } = setup();
    await adapter.send('thanks but my smartcard is blocked now').assertReply((a) => {
      expect(readable(a)).not.toContain("You're welcome");
    });
  });
});
