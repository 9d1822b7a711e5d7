import { describe, expect, test } from 'vitest';
import { setup } from '../helpers/setup.js';

describe('a practice manager opens the date calculator just after midnight in summer', () => {
  test('the date picker starts on the London date, not the UTC one', async () => {
    // 00:30 BST on 2 June 2026 is still 1 June in UTC.
    const { adapter } = setup({ now: '2026-06-01T23:30:00Z' });
    let picker: unknown;
    await adapter.send('work out a date').assertReply((a) => {
      const card = a.attachments?.[0]?.content as { body?: { type: string; value?: string }[] } | undefined;
      picker = card?.body?.find((e) => e.type === 'Input.Date')?.value;
    });
    expect(picker).toBe('2026-06-02');
  });
});
