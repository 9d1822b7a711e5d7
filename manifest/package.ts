// npm run package: writes manifest/build/ers-helper-teams-app.zip for upload to Teams.
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import yazl from 'yazl';
import { ConfigError, loadConfig } from '../bot/config.js';
import { buildManifest, MANIFEST_DIR } from './build-manifest.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const botId = config.bot.appId;
  if (!botId) {
    throw new Error(
      "Set MicrosoftAppId (or BOT_ID) to your Azure Bot's app id, and PUBLIC_BASE_URL to its https address, then run npm run package again.",
    );
  }
  const manifest = buildManifest({
    botId,
    teamsAppId: config.teamsAppId,
    publicBaseUrl: config.publicBaseUrl,
    version: config.version,
  });
  const problems = await AppManifestUtils.validateAgainstSchema(manifest as never);
  if (problems.length > 0) throw new Error(`The manifest is not valid:\n${problems.join('\n')}`);

  const outDir = path.join(MANIFEST_DIR, 'build');
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'ers-helper-teams-app.zip');
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), 'manifest.json');
  zip.addBuffer(readFileSync(path.join(MANIFEST_DIR, 'color.png')), 'color.png');
  zip.addBuffer(readFileSync(path.join(MANIFEST_DIR, 'outline.png')), 'outline.png');
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject);
  });
  process.stdout.write(`Wrote ${path.relative(process.cwd(), out)} (bot ${botId}, ${config.publicBaseUrl})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
