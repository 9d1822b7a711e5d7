import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../knowledge/project-root.js';

const SCRIPT = path.join(projectRoot(), 'scripts', 'check-deps.mjs');

function run(args: string[], cwd = projectRoot()) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Node {
  version: string;
  path: string;
  dependencies?: Record<string, Node>;
}

/** A project with three runtime dependencies, its sources, and a saved `npm ls --json --long` tree. */
function project(dir: string, tree: Record<string, Node>, sources: Record<string, string>): string[] {
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'p', dependencies: { alpha: '1.0.0', '@scope/beta': '2.0.0', pino: '10.0.0' } }),
  );
  for (const [file, text] of Object.entries(sources)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  writeFileSync(path.join(dir, 'ls.json'), JSON.stringify({ name: 'p', dependencies: tree }));
  return ['--root', dir, '--ls-json', path.join(dir, 'ls.json')];
}

const at = (name: string, version: string, parent = '/p'): Node => ({
  version,
  path: `${parent}/node_modules/${name}`,
});

describe('scripts/check-deps.mjs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'check-deps-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('passes on this project (npm ls of the installed tree)', () => {
    const { code, stdout, stderr } = run([]);
    expect(stderr).not.toContain('Dependency problems');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\d+ runtime dependencies, each imported and installed once/);
  });

  test('passes when every dependency is imported once, and allows the reviewed second pino', () => {
    const args = project(
      mkdtempSync(path.join(dir, 'ok-')),
      {
        alpha: at('alpha', '1.0.0'),
        '@scope/beta': at('@scope/beta', '2.0.0'),
        pino: at('pino', '10.0.0'),
        restify: {
          ...at('restify', '11.1.0'),
          dependencies: { pino: at('pino', '8.21.0', '/p/node_modules/restify') },
        },
      },
      {
        'bot/a.ts': "import { a } from 'alpha';\nimport type { Logger } from 'pino';\n",
        'dialogs/b.ts': "import {\n  b,\n} from '@scope/beta/sub';\n",
      },
    );
    expect(run(args).code).toBe(0);
  });

  test('fails on a runtime dependency nothing imports', () => {
    const args = project(
      mkdtempSync(path.join(dir, 'unused-')),
      { alpha: at('alpha', '1.0.0'), '@scope/beta': at('@scope/beta', '2.0.0'), pino: at('pino', '10.0.0') },
      { 'bot/a.ts': "import { a } from 'alpha';\nimport pino from 'pino';\n", 'test/t.ts': "import '@scope/beta';\n" },
    );
    const unused = run(args);
    expect(unused.code).toBe(1);
    expect(unused.stderr).toContain(
      '@scope/beta is in "dependencies" but nothing under bot/, knowledge/, dialogs/ imports it',
    );
  });

  test('fails on a second copy of a direct dependency or of botframework-connector', () => {
    const args = project(
      mkdtempSync(path.join(dir, 'dup-')),
      {
        alpha: at('alpha', '1.0.0'),
        '@scope/beta': {
          ...at('@scope/beta', '2.0.0'),
          dependencies: {
            alpha: at('alpha', '0.9.0', '/p/node_modules/@scope/beta'),
            'botframework-connector': at('botframework-connector', '4.22.0', '/p/node_modules/@scope/beta'),
          },
        },
        'botframework-connector': at('botframework-connector', '4.23.3'),
        pino: at('pino', '10.0.0'),
      },
      { 'bot/a.ts': "import 'alpha';\nimport '@scope/beta';\nimport 'pino';\n" },
    );
    const { code, stderr } = run(args);
    expect(code).toBe(1);
    expect(stderr).toContain('alpha is installed 2 times: 1.0.0 at /p/node_modules/alpha, 0.9.0 at');
    expect(stderr).toContain('botframework-connector is installed 2 times');
  });

  test('fails when npm ls reports a missing or invalid package', () => {
    const dirPath = mkdtempSync(path.join(dir, 'problems-'));
    const args = project(
      dirPath,
      { alpha: at('alpha', '1.0.0'), '@scope/beta': at('@scope/beta', '2.0.0'), pino: at('pino', '10.0.0') },
      { 'bot/a.ts': "import 'alpha';\nimport '@scope/beta';\nimport 'pino';\n" },
    );
    writeFileSync(
      path.join(dirPath, 'ls.json'),
      JSON.stringify({ name: 'p', problems: ['missing: gamma@1.0.0, required by p'], dependencies: {} }),
    );
    const { code, stderr } = run(args);
    expect(code).toBe(1);
    expect(stderr).toContain('missing: gamma@1.0.0');
  });
});
