import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { describe, expect, test } from 'vitest';
import { buildManifest, MANIFEST_DIR, pngSize } from '../../manifest/build-manifest.js';

const BOT_ID = '6f1c2a3b-1111-4222-8333-944455556666';

describe('the Teams app package', () => {
  const manifest = buildManifest({
    botId: BOT_ID,
    publicBaseUrl: 'https://ers-helper.example.nhs.uk',
    version: '1.2.3',
  });

  test('the manifest validates offline against its schema (1.17 or newer, not 1.18)', async () => {
    const version = String(manifest.manifestVersion);
    expect(version).not.toBe('1.18');
    expect(Number(version.split('.')[1])).toBeGreaterThanOrEqual(17);
    expect(await AppManifestUtils.validateAgainstSchema(manifest as never)).toEqual([]);
  });

  test('it is the e-RS Helper bot in personal, team and group chat scopes with the bot id filled in', () => {
    const text = JSON.stringify(manifest);
    expect(text).not.toContain('${{');
    expect((manifest.name as { short: string }).short).toBe('e-RS Helper');
    const bots = manifest.bots as { botId: string; scopes: string[] }[];
    expect(bots[0]?.botId).toBe(BOT_ID);
    expect(bots[0]?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  test('a bad manifest is reported by the validator', async () => {
    const broken = { ...manifest, bots: [{ botId: 'x' }] };
    expect((await AppManifestUtils.validateAgainstSchema(broken as never)).length).toBeGreaterThan(0);
  });

  test('the icons are real PNGs: 192x192 colour and 32x32 outline', () => {
    expect(pngSize(readFileSync(path.join(MANIFEST_DIR, 'color.png')))).toEqual({ width: 192, height: 192 });
    expect(pngSize(readFileSync(path.join(MANIFEST_DIR, 'outline.png')))).toEqual({ width: 32, height: 32 });
    expect(() => pngSize(Buffer.from('not a png at all, really not'))).toThrow(/PNG/);
  });
});
