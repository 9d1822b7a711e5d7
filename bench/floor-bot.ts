import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Application, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, CardFactory } from 'botbuilder';
import { SqliteStorage } from '../bot/storage/sqlite-storage.js';
import { hostBot } from './bench-host.js';
import { seedParagraphs } from './paragraphs.js';

/*
 * The framework floor (`npx tsx bench/cells.ts --with bench/floor-bot.ts`): what a turn of ours
 * costs before any of its own logic runs. A teams-ai Application on our SQLite storage (state read
 * every turn, as ours), answering every message with a fixed Adaptive Card the size of our
 * knowledge answer (about 2.5 KB), with no reading, routing or search. Ours cannot be faster than
 * this; the echo's share of it is what the stack leaves for the bot's own work.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'ers-floor-'));
process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const storage = SqliteStorage.open(dataDir);
let text = '';
for (const paragraph of seedParagraphs()) {
  if (text.length > 2_000) break;
  text += `${paragraph}\n\n`;
}
const card = CardFactory.adaptiveCard({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Worklists', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text, wrap: true },
    { type: 'TextBlock', text: 'eRS Information Pack v4.1 (October 2025)', isSubtle: true, wrap: true },
  ],
  actions: [{ type: 'Action.Submit', title: 'Helpful', data: { msteams: { type: 'imBack', value: 'helpful' } } }],
});

await hostBot((adapter) => {
  const app = new Application<TurnState>({ adapter, storage, startTypingTimer: false, longRunningMessages: false });
  app.activity(ActivityTypes.Message, async (context) => {
    await context.sendActivity({ attachments: [card] });
  });
  return async (context) => {
    await app.run(context);
  };
});
