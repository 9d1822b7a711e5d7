import { test } from 'vitest';
import { readable, setup } from './helpers/setup.js';
test('probe', async () => {
  const { adapter } = setup();
  const out: string[] = [];
  for (const t of (process.env.PROBE ?? '').split('|')) {
    await adapter.receiveActivity({ type: 'message', text: t });
    out.push(
      `>>> ${t}\n` +
        adapter.activeQueue
          .splice(0)
          .map((a) => readable(a))
          .join('\n---\n'),
    );
  }
  const { writeFileSync } = await import('node:fs');
  writeFileSync('/tmp/h14/probe.txt', out.join('\n\n'));
});
