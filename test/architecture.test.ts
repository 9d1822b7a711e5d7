import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../knowledge/project-root.js';

/**
 * Imports run one way: bot/ (the host) -> dialogs/ (the conversation) -> knowledge/ (what the bot
 * knows and the pure rules). knowledge/ imports neither; dialogs/ never imports bot/ (what it needs
 * from the host arrives through FeatureDeps, dialogs/feature-deps.ts); bot/ imports dialogs/ only
 * where the host is put together (BOT_TO_DIALOGS below). CONTRIBUTING.md draws the layers.
 */
const LAYERS = ['bot', 'dialogs', 'knowledge'] as const;
type Layer = (typeof LAYERS)[number];

/** The bot/ files that may import dialogs/, and why. */
const BOT_TO_DIALOGS: Readonly<Record<string, string>> = Object.freeze({
  'bot/app.ts': 'the composition root: registers every feature and fills FeatureDeps',
  'bot/server.ts': "the HTTP host's root: the guidance pages' downtime banner and the delivery runner's cards",
  'bot/storage/records.ts': 'keeps the records the features make (their shapes are in dialogs/feature-deps.ts)',
  'bot/announcements/feature-store.ts': "implements the features' announcement store port (dialogs/feature-deps.ts)",
  'bot/insights/recorder.ts': 'counts what routing decided for each message (TurnInsight)',
  'bot/card-text.ts': "the terminal chat reads the cards' choice field",
  'bot/guidance/pages.ts': "the guidance pages name an entry's contacts as chat does",
  'bot/guidance/layout.ts': 'every page shows the downtime banner that dialogs/ words',
});

const RANK: Readonly<Record<Layer, number>> = Object.freeze({ knowledge: 0, dialogs: 1, bot: 2 });

function layerOf(file: string): Layer | undefined {
  const top = file.split('/')[0];
  return LAYERS.find((l) => l === top);
}

/** Every relative import, re-export and dynamic import of one file, as repository paths. */
function importsOf(file: string, source: string): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
}

/** The imports that break the layer rule, as "from -> to". */
function upwardImports(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, source] of files) {
    const from = layerOf(file);
    if (!from) continue;
    for (const target of importsOf(file, source)) {
      const to = layerOf(target);
      if (!to || to === from) continue;
      const upward = RANK[to] > RANK[from];
      const hostUsesDialogs = from === 'bot' && to === 'dialogs' && !(file in BOT_TO_DIALOGS);
      if (upward || hostUsesDialogs) out.push(`${file} -> ${target}`);
    }
  }
  return out.sort();
}

function sourceFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const layer of LAYERS) {
    for (const entry of readdirSync(path.join(root, layer), { recursive: true, encoding: 'utf8' })) {
      const rel = `${layer}/${entry.split(path.sep).join('/')}`;
      if (rel.endsWith('.ts') && !rel.endsWith('.test.ts')) files.set(rel, readFileSync(path.join(root, rel), 'utf8'));
    }
  }
  return files;
}

describe('imports run one way: bot -> dialogs -> knowledge', () => {
  const files = sourceFiles(projectRoot());

  test('the checker sees every layer', () => {
    for (const layer of LAYERS) expect([...files.keys()].some((f) => f.startsWith(`${layer}/`))).toBe(true);
    expect(files.size).toBeGreaterThan(100);
  });

  test('no import runs upward, and bot/ imports dialogs/ only where it is put together', () => {
    expect(upwardImports(files)).toEqual([]);
  });

  test('every file allowed to import dialogs/ from bot/ exists and still does', () => {
    for (const file of Object.keys(BOT_TO_DIALOGS)) {
      const source = files.get(file);
      expect(source, file).toBeDefined();
      expect(
        importsOf(file, source ?? '').some((t) => layerOf(t) === 'dialogs'),
        `${file} no longer imports dialogs/: remove it from BOT_TO_DIALOGS`,
      ).toBe(true);
    }
  });

  test('the checker catches each kind of upward import', () => {
    const bad = new Map([
      ['knowledge/a.ts', "import { x } from '../bot/config.js';\nexport const a = x;"],
      ['knowledge/rules/b.ts', "export { y } from '../../dialogs/state.js';"],
      ['dialogs/c.ts', "import type { Config } from '../bot/config.js';"],
      ['dialogs/turn/d.ts', "const m = await import('../../bot/usage.js');"],
      ['bot/http/e.ts', "import { registerHelp } from '../../dialogs/help.js';"],
      ['bot/app.ts', "import { registerHelp } from '../dialogs/help.js';"],
      ['dialogs/f.ts', "import { loadKnowledge } from '../knowledge/load.js';"],
    ]);
    expect(upwardImports(bad)).toEqual([
      'bot/http/e.ts -> dialogs/help.ts',
      'dialogs/c.ts -> bot/config.ts',
      'dialogs/turn/d.ts -> bot/usage.ts',
      'knowledge/a.ts -> bot/config.ts',
      'knowledge/rules/b.ts -> dialogs/state.ts',
    ]);
  });
});
