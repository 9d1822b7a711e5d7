// Fails when an installed package has an install script we have not reviewed. Install scripts that
// download binaries break `npm ci` on machines that reach only the npm registry, so each one here
// was read and found to work offline; a new one must be reviewed before it is added.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const REVIEWED = {
  'better-sqlite3':
    'prebuild-install tries a GitHub download, which fails offline, then node-gyp compiles the bundled SQLite against local Node headers (~55 s)',
  'botbuilder-dialogs': 'runs local npm scripts that prune bundled recognizers; no download',
  'dtrace-provider': 'optional native build with node-gyp against local headers, errors suppressed; no download',
  esbuild: 'install.js checks the platform binary shipped in the @esbuild/<platform> npm package',
  protobufjs: 'postinstall prints a version check; no download (azurite dependency, dev only)',
};
const HOOKS = ['preinstall', 'install', 'postinstall'];

function* packages(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (name.startsWith('@')) {
      for (const sub of readdirSync(full)) yield* pkg(path.join(full, sub));
    } else yield* pkg(full);
  }
}
function* pkg(dir) {
  const manifest = path.join(dir, 'package.json');
  if (existsSync(manifest)) yield { dir, json: JSON.parse(readFileSync(manifest, 'utf8')) };
  yield* packages(path.join(dir, 'node_modules'));
}

const problems = [];
let seen = 0;
for (const { dir, json } of packages('node_modules')) {
  const hooks = HOOKS.filter((h) => json.scripts?.[h]);
  if (hooks.length === 0) continue;
  seen += 1;
  if (!REVIEWED[json.name])
    problems.push(
      `${json.name}@${json.version} (${path.relative('.', dir)}): ${hooks.map((h) => `${h}: ${json.scripts[h]}`).join('; ')}`,
    );
}
if (problems.length > 0) {
  process.stderr.write(
    `Unreviewed install scripts (review each, then add it to REVIEWED in scripts/check-install-scripts.mjs):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exit(1);
}
process.stdout.write(`install scripts: ${seen} found, all reviewed\n`);
