import { Application, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, MemoryStorage } from 'botbuilder';
import Fuse from 'fuse.js';
import { hostBot } from './bench-host.js';
import { BASELINE_FUSE_OPTIONS, seedParagraphs } from './paragraphs.js';

// The obvious first version: fuse.js over the seeds' paragraphs, best paragraph as the answer, on
// the same stack as ours (restify, the same TeamsAdapter, a teams-ai Application with MemoryStorage).
const fuse = new Fuse(seedParagraphs(), BASELINE_FUSE_OPTIONS);

await hostBot((adapter) => {
  const app = new Application<TurnState>({
    adapter,
    storage: new MemoryStorage(),
    startTypingTimer: false,
    longRunningMessages: false,
  });
  app.activity(ActivityTypes.Message, async (context) => {
    const best = fuse.search(context.activity.text ?? '', { limit: 1 })[0];
    await context.sendActivity(best ? best.item : "Sorry, I couldn't find anything about that in the pack.");
  });
  return async (context) => {
    await app.run(context);
  };
});
