import { ActivityTypes, TestAdapter, TurnContext } from 'botbuilder';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { setup } from '../helpers/setup.js';

describe('typing indicator', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('the app is built with startTypingTimer off, and no typing timer starts on a message', () => {
    vi.useFakeTimers();
    const { app } = setup();
    expect(app.options.startTypingTimer).toBe(false);
    const sent: string[] = [];
    const adapter = new TestAdapter(async () => {});
    const context = new TurnContext(adapter, {
      type: ActivityTypes.Message,
      text: 'hello',
      channelId: 'msteams',
      conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'u1', name: 'Pat' },
      recipient: { id: 'bot', name: 'bot' },
      serviceUrl: 'https://smba.example/',
    });
    context.onSendActivities(async (_ctx, activities, next) => {
      for (const activity of activities) sent.push(activity.type ?? '');
      return next();
    });
    app.startTypingTimer(context);
    // teams-ai's own timer would send "typing" after 1 s and every second after.
    vi.advanceTimersByTime(3_500);
    expect(sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
