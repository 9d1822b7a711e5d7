// npm run chat: talk to the bot in a terminal, no Teams needed. Cards are shown as text and their
// buttons are numbered: type the number to press one. Options: --now "2026-12-19T10:00" fixes the clock.
import { createInterface } from 'node:readline/promises';
import { type Activity, ActivityTypes, MemoryStorage, TestAdapter } from 'botbuilder';
import { fixedClock, systemClock } from '../knowledge/time/clock.js';
import { createApp } from './app.js';
import { type Button, renderActivity } from './card-text.js';
import { loadConfig } from './config.js';
import { appDeps } from './deps.js';
import { createLogger } from './logger.js';

const nowArg = process.argv.indexOf('--now');
const clock = nowArg > 0 && process.argv[nowArg + 1] ? fixedClock(String(process.argv[nowArg + 1])) : systemClock;
const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
const app = createApp(config, appDeps({ storage: new MemoryStorage(), clock, logger: createLogger(config.logLevel) }));
const adapter = new TestAdapter(async (context) => {
  await app.run(context);
});
const out = (s: string) => process.stdout.write(`${s}\n`);
let buttons: Button[] = [];
// A form's fields as the card presets them: the terminal cannot edit them, so a submit sends these
// (type the question instead to choose other values).
let inputs: Record<string, string> = {};

async function send(activity: Partial<Activity>): Promise<void> {
  await adapter.receiveActivity(activity);
  buttons = [];
  inputs = {};
  for (const reply of adapter.activeQueue.splice(0)) {
    if (reply.type !== ActivityTypes.Message) continue;
    const rendered = renderActivity(reply);
    inputs = { ...inputs, ...rendered.inputs };
    out(`\ne-RS Helper:\n${rendered.text.replace(/^/gm, '  ')}`);
    for (const b of rendered.buttons) {
      buttons.push(b);
      out(`  [${buttons.length}] ${b.title}${b.opens ? ` (opens ${b.opens})` : ''}`);
    }
  }
}

out('e-RS Helper terminal chat. Type a question, a button number, or "quit".');
adapter.conversation.conversation.conversationType = 'personal';
await send({
  type: ActivityTypes.ConversationUpdate,
  membersAdded: [{ id: 'bot', name: 'e-RS Helper' }],
  recipient: { id: 'bot', name: 'e-RS Helper' },
});
const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '\nyou> ' });
rl.prompt();
// Reading line by line (not rl.question) also works when questions are piped in.
for await (const raw of rl) {
  const line = raw.trim();
  if (line === 'quit' || line === 'exit') break;
  if (line) {
    if (!process.stdin.isTTY) out(`\nyou> ${line}`);
    const picked = /^\d+$/.test(line) ? buttons[Number(line) - 1] : undefined;
    if (picked?.opens) out(`  Open in a browser: ${picked.opens}`);
    else if (picked?.submits) await send({ type: ActivityTypes.Message, value: { ...inputs, ...picked.submits } });
    else await send({ type: ActivityTypes.Message, text: picked?.sends ?? line });
  }
  rl.prompt();
}
rl.close();
