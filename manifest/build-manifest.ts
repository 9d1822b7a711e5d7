import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../knowledge/project-root.js';

export interface ManifestValues {
  botId: string;
  teamsAppId?: string;
  publicBaseUrl: string;
  version: string;
}

export const MANIFEST_DIR = path.join(projectRoot(), 'manifest');

/** The manifest template with its `${{NAME}}` placeholders filled; throws naming any left unfilled. */
export function buildManifest(values: ManifestValues): Record<string, unknown> {
  const url = new URL(values.publicBaseUrl);
  const fill: Record<string, string> = {
    BOT_ID: values.botId,
    TEAMS_APP_ID: values.teamsAppId ?? values.botId,
    PUBLIC_BASE_URL: url.origin,
    PUBLIC_HOSTNAME: url.host,
    APP_VERSION: values.version,
  };
  const template = readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8');
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{([A-Z_]+)\}\}/g, (_m, name: string) => {
    const value = fill[name];
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
  if (missing.size > 0) throw new Error(`manifest.json uses unknown placeholders: ${[...missing].join(', ')}`);
  return JSON.parse(filled) as Record<string, unknown>;
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23), after checking the signature. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
