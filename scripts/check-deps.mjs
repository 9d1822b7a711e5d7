// Fails when the runtime dependency tree has a second physical copy of a package whose identity
// matters, or when package.json lists a runtime dependency that no code under bot/, knowledge/ or
// dialogs/ imports. Two copies of botbuilder or botframework-connector break `instanceof` checks
// (the HTTP seam maps `AuthenticationError` to 401 that way) and the symbols botbuilder keys turn
// state with; an unused dependency is attack surface and install time for nothing.
//
// Usage: node scripts/check-deps.mjs [--root <dir>] [--ls-json <file>]
//   --ls-json reads saved `npm ls --omit=dev --all --json --long` output instead of running npm.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Shared by reference with our code, so one copy each, besides every direct runtime dependency. */
export const MUST_BE_SINGLE = Object.freeze([
  'botbuilder-core',
  'botframework-connector',
  'botframework-schema',
  'botbuilder-stdlib',
  'botframework-streaming',
]);

/** Second copies that were looked at and are harmless; each needs the reason. */
export const ALLOWED_DUPLICATES = Object.freeze({
  pino: 'restify 11 depends on pino 8 for its own request logger; no pino object passes between restify and the app',
});

/** Runtime dependencies used without an import from the source folders; each needs the reason. */
export const USED_WITHOUT_IMPORT = Object.freeze({});

export const SOURCE_DIRS = Object.freeze(['bot', 'knowledge', 'dialogs']);
const SOURCE_EXT = /\.(?:[cm]?ts|[cm]?js)$/;

/** Every physical copy of every package in an `npm ls --json --long` tree: name -> Map(path -> version). */
export function copiesOf(tree) {
  const copies = new Map();
  const stack = [tree];
  while (stack.length > 0) {
    const node = stack.pop();
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (!copies.has(name)) copies.set(name, new Map());
      if (typeof child.path === 'string') copies.get(name).set(child.path, child.version);
      stack.push(child);
    }
  }
  return copies;
}

export function findDuplicates(tree, direct, allowed = ALLOWED_DUPLICATES) {
  const copies = copiesOf(tree);
  const problems = [];
  for (const name of [...new Set([...direct, ...MUST_BE_SINGLE])].sort()) {
    const found = copies.get(name);
    if (!found || found.size <= 1 || Object.hasOwn(allowed, name)) continue;
    const where = [...found].map(([p, v]) => `${v} at ${p}`).join(', ');
    problems.push(`${name} is installed ${found.size} times: ${where}`);
  }
  return problems;
}

/**
 * Tree problems that are known and harmless, each with its reason. botbuilder-dialogs' postinstall
 * deletes the nested copies of @microsoft/recognizers-text-number under the other recognizers so that
 * one copy is shared; npm ls then calls the shared copy "invalid" (its version differs from what the
 * deleted copies pinned) and the deleted copies' own dependencies "extraneous".
 */
export const KNOWN_TREE_PROBLEMS = Object.freeze([
  /^invalid: @microsoft\/recognizers-text-number@\S+ /,
  /^extraneous: lodash\.(?:sortby|trimend)@\S+ /,
]);

/** npm ls reports missing, invalid and extraneous packages in `problems`. */
export function treeProblems(tree, known = KNOWN_TREE_PROBLEMS) {
  const problems = Array.isArray(tree.problems) ? tree.problems.map(String) : [];
  return problems.filter((problem) => !known.some((pattern) => pattern.test(problem)));
}

function* sourceFiles(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (SOURCE_EXT.test(name) && !name.endsWith('.d.ts')) yield full;
  }
}

// `from 'x'`, `import 'x'`, `import('x')`, `require('x')`, across line breaks.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\s]+)\1/g;
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** The package a bare specifier names: `@scope/pkg/sub` -> `@scope/pkg`, `zod/v4` -> `zod`. */
export function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return PACKAGE_NAME.test(name) && !builtinModules.includes(name) ? name : undefined;
}

export function importedPackages(sources) {
  const used = new Set();
  for (const text of sources) {
    for (const match of text.matchAll(SPECIFIER)) {
      const name = packageOf(match[2]);
      if (name) used.add(name);
    }
  }
  return used;
}

export function findUnused(dependencies, used, exempt = USED_WITHOUT_IMPORT) {
  return dependencies
    .filter((name) => !used.has(name) && !Object.hasOwn(exempt, name))
    .map((name) => `${name} is in "dependencies" but nothing under ${SOURCE_DIRS.join('/, ')}/ imports it`);
}

function readTree(root, lsJson) {
  if (lsJson) return JSON.parse(readFileSync(lsJson, 'utf8'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['ls', '--omit=dev', '--all', '--json', '--long'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // npm ls exits 1 when the tree has problems, and still prints the tree.
  if (!run.stdout) throw new Error(`npm ls printed nothing (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
  return JSON.parse(run.stdout);
}

export function checkDeps({ root, lsJson }) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dependencies = Object.keys(manifest.dependencies ?? {});
  const tree = readTree(root, lsJson);
  const sources = SOURCE_DIRS.flatMap((dir) => [...sourceFiles(path.join(root, dir))]).map((f) =>
    readFileSync(f, 'utf8'),
  );
  const used = importedPackages(sources);
  const declared = new Set([...dependencies, ...Object.keys(manifest.devDependencies ?? {})]);
  return {
    problems: [...treeProblems(tree), ...findDuplicates(tree, dependencies), ...findUnused(dependencies, used)],
    // Imported but only installed as someone else's dependency: works until that package drops it.
    undeclared: [...used].filter((name) => !declared.has(name)).sort(),
    checked: dependencies.length,
  };
}

function main(argv) {
  const arg = (flag) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = path.resolve(arg('--root') ?? '.');
  const { problems, undeclared, checked } = checkDeps({ root, lsJson: arg('--ls-json') });
  if (undeclared.length > 0) {
    process.stderr.write(
      `note: imported but not in package.json (installed only as a transitive dependency): ${undeclared.join(', ')}\n`,
    );
  }
  if (problems.length > 0) {
    process.stderr.write(`Dependency problems:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`dependencies: ${checked} runtime dependencies, each imported and installed once\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
