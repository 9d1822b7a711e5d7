import type { Activity } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { renderActivity } from '../../bot/card-text.js';
import { readChoiceSubmit } from '../../dialogs/cards/card-choice.js';
import { readable, setup } from '../helpers/setup.js';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every Action.Submit in a card: ActionSets, card actions and tappable rows (selectAction). */
function submits(node: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const n of node) submits(n, out);
  else if (isNode(node)) {
    if (node.type === 'Action.Submit') out.push(node);
    for (const value of Object.values(node)) submits(value, out);
  }
  return out;
}

async function say(adapter: ReturnType<typeof setup>['adapter'], activity: string | Partial<Activity>) {
  await adapter.receiveActivity(typeof activity === 'string' ? { type: 'message', text: activity } : activity);
  return adapter.activeQueue.splice(0) as Partial<Activity>[];
}

const press = (choice: string): Partial<Activity> => ({ type: 'message', value: { choice } });

describe('a receptionist presses card buttons in any client', () => {
  test('no button anywhere in the main flows uses a Teams-only form: each sends a plain choice or a verb', async () => {
    const { adapter } = setup();
    const cards: unknown[] = [];
    for (const message of [
      'help',
      'troubleshoot',
      'issue 5',
      'no',
      'e-RS is down',
      'who to contact',
      'smartcard',
      'work out a date',
      'when is the deferral deadline',
      'my smartcard is blocked',
    ]) {
      for (const reply of await say(adapter, message)) cards.push(reply.attachments?.map((a) => a.content));
    }
    const all = submits(cards);
    expect(all.length).toBeGreaterThan(30);
    for (const action of all) {
      const data = action.data as Node;
      expect(JSON.stringify(action)).not.toContain('msteams');
      expect(typeof data.choice === 'string' || typeof data.verb === 'string', JSON.stringify(action)).toBe(true);
    }
  });

  test('pressing a choice does exactly what typing its words does, through a whole troubleshooting flow', async () => {
    const typed = setup();
    const pressed = setup();
    for (const words of ['troubleshoot', 'issue 5', 'no', 'Bromley']) {
      const byTyping = (await say(typed.adapter, words)).map(readable);
      const byPressing = (await say(pressed.adapter, words === 'troubleshoot' ? words : press(words))).map(readable);
      expect(byPressing).toEqual(byTyping);
      expect(byPressing.join('\n')).not.toMatch(/Please type|I only help/);
    }
  });

  test('the troubleshooting menu lists all eight problems as full rows, none hidden in an overflow', async () => {
    const { adapter } = setup();
    const [menu] = await say(adapter, 'troubleshoot');
    const card = JSON.stringify(menu?.attachments?.[0]?.content);
    // An ActionSet shows only a few buttons on a phone and cuts long labels off; rows wrap.
    expect(card).not.toContain('"ActionSet"');
    const rows = submits(menu?.attachments?.[0]?.content).map((a) => (a.data as Node).choice);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `issue ${n}`));
    expect(readable(menu)).toContain("7. Still on 'Referrals pending external action' waiting for the provider");
    // The terminal chat numbers every row as a button too.
    expect(renderActivity(menu as Parameters<typeof renderActivity>[0]).buttons.map((b) => b.sends)).toEqual(rows);
  });

  test('a submit with a verb (Helpful, Work it out) is left to its card action, and typed text wins', () => {
    const verb: Partial<Activity> = { type: 'message', value: { verb: 'feedback', choice: 'help' } };
    expect(readChoiceSubmit(verb)).toBe(false);
    expect(verb.text).toBeUndefined();
    const typed: Partial<Activity> = { type: 'message', text: 'troubleshoot', value: { choice: 'help' } };
    expect(readChoiceSubmit(typed)).toBe(false);
    expect(typed.text).toBe('troubleshoot');
    for (const value of [{ choice: 3 }, { choice: '  ' }, ['help'], 'help', null]) {
      expect(readChoiceSubmit({ type: 'message', value })).toBe(false);
    }
    const invoke: Partial<Activity> = { type: 'invoke', value: { choice: 'help' } };
    expect(readChoiceSubmit(invoke)).toBe(false);
  });

  test('a pressed choice is read with the same safety as typing: patient details are masked', async () => {
    const { adapter } = setup();
    const replies = await say(adapter, press('troubleshoot 943 476 5919'));
    expect(replies.map(readable).join('\n')).toMatch(/patient/i);
    expect(JSON.stringify(replies)).not.toContain('943 476 5919');
  });
});
