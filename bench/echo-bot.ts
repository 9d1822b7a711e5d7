import { hostBot } from './bench-host.js';

// The floor: restify and the adapter with nothing else (no Application, no state, no search), so its
// turns per second are the most any bot on this stack can reach on this machine.
await hostBot(() => async (context) => {
  await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
});
