import { afterEach } from 'vitest';

// Logs go through the injected logger: stray console output is a bug, so it fails the test.
const stray: string[] = [];
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[method] = (...args: unknown[]) => {
    stray.push(`console.${method}: ${args.map(String).join(' ').slice(0, 300)}`);
  };
}

afterEach(() => {
  if (stray.length > 0) {
    const lines = stray.splice(0);
    throw new Error(`Unexpected console output:\n${lines.join('\n')}`);
  }
});
