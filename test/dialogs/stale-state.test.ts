import { MemoryStorage } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { readable, setup } from '../helpers/setup.js';

/** The conversation-state items in a MemoryStorage (botbuilder keeps them as JSON text). */
function conversationItems(storage: MemoryStorage): Map<string, { dialog?: Record<string, unknown> }> {
  const memory = (storage as unknown as { memory: Record<string, string> }).memory;
  return new Map(
    Object.entries(memory)
      .filter(([key]) => key.includes('/conversations/'))
      .map(([key, json]) => [key, JSON.parse(json) as { dialog?: Record<string, unknown> }]),
  );
}

describe('a practice mid-conversation when a new version of the bot is deployed', () => {
  test('saved dialog state that no longer fits is dropped, and the next message is answered afresh', async () => {
    const storage = new MemoryStorage();
    const before = setup({ storage });
    await before.adapter.send('routine referral deferred, when should they hear?').assertReply(() => undefined);
    const items = conversationItems(storage);
    expect([...items.values()].some((item) => item.dialog?.name === 'deadline')).toBe(true);

    // An older release stored the facts in another shape.
    const memory = (storage as unknown as { memory: Record<string, string> }).memory;
    for (const [key, item] of items) {
      if (item.dialog)
        memory[key] = JSON.stringify({
          ...item,
          dialog: { ...item.dialog, data: { known: { rule: 'deferal', start: '2 March' } } },
          // and the topic answered last, in a shape this release does not read
          topic: { feature: 'deadline', rule: 'deferal', start: '2 March', at: 'yesterday' },
        });
    }

    const after = setup({ storage });
    let reply = '';
    await after.adapter.send('2 March 2026').assertReply((a) => {
      reply = readable(a);
    });
    expect(reply).not.toMatch(/Sorry, something went wrong/);
    expect(reply).not.toContain('Contact-by date');
    const dialogs = [...conversationItems(storage).values()].map((item) => item.dialog?.name);
    expect(dialogs).not.toContain('deadline');
  });
});
