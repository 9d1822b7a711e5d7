import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { CONFIG_VARIABLES } from '../../bot/config.js';

// `az bicep build` is not available here, so these checks read the files as text. They catch the
// mistakes that break a deployment late: a setting the app reads that is never set, a parameter file
// that names a parameter the template lacks, a health probe on the wrong path.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
  secure: boolean;
}

/**
 * Reads Bicep the way its lexer does, so `//` inside 'https://...' is not a comment and quotes inside
 * '${...}' interpolations do not end the string. Returns the text without comments, and the bare
 * structure (code outside string literals) for the bracket check.
 */
function scanBicep(text: string): { code: string; structure: string } {
  let code = '';
  let structure = '';
  // Each frame is a string literal, or code: the top level or a '${' interpolation with its brace depth.
  const frames: Array<{ kind: 'string' } | { kind: 'code'; depth: number; interpolation: boolean }> = [
    { kind: 'code', depth: 0, interpolation: false },
  ];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    const next = text[i + 1] ?? '';
    const frame = frames[frames.length - 1];
    if (!frame) break;
    if (frame.kind === 'string') {
      code += char;
      if (char === '\\') {
        code += next;
        i++;
      } else if (char === "'") {
        frames.pop();
      } else if (char === '$' && next === '{') {
        code += next;
        i++;
        frames.push({ kind: 'code', depth: 0, interpolation: true });
      }
      continue;
    }
    if (char === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      code += '\n';
      structure += '\n';
      continue;
    }
    if (char === '/' && next === '*') {
      i = text.indexOf('*/', i + 2) + 1;
      continue;
    }
    code += char;
    if (char === "'") {
      frames.push({ kind: 'string' });
      continue;
    }
    if (frame.interpolation && char === '}' && frame.depth === 0) {
      frames.pop();
      continue;
    }
    if (char === '{') frame.depth++;
    if (char === '}') frame.depth--;
    structure += char;
  }
  return { code, structure };
}

function setup() {
  const { code, structure } = scanBicep(read('infra/main.bicep'));
  // Decorators sit directly above their param, so each blank-line-separated block holds one param.
  const params: BicepParam[] = code.split(/\n\s*\n/).flatMap((block) => {
    const match = /^param\s+(\w+)\s+(\w+)(\s*=.*)?$/m.exec(block);
    if (!match) return [];
    const [, name = '', type = '', assignment] = match;
    return [{ name, type, hasDefault: assignment !== undefined, secure: /^@secure\(\)$/m.test(block) }];
  });
  const resources = [...code.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@([^']+)'/gm)].map(([, symbol, type]) => ({
    symbol: symbol ?? '',
    type: type ?? '',
  }));
  const appSettingsBlock = /appSettings:\s*\[([\s\S]*?)\n\s{6}\]/.exec(code)?.[1] ?? '';
  const appSettings = new Map(
    [...appSettingsBlock.matchAll(/name:\s*'([^']+)'\s*\n\s*value:\s*(.+)/g)].map(([, name, value]) => [
      name ?? '',
      (value ?? '').trim(),
    ]),
  );
  const outputs = [...code.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm)].map(([, name]) => name ?? '');
  const parameterFile = JSON.parse(read('infra/main.parameters.json')) as {
    parameters: Record<string, { value: unknown }>;
  };
  return { bicep: code, structure, params, resources, appSettings, outputs, parameterFile };
}

// The names bot/config.ts reads (the lead's list); App Service settings outside it would be ignored.
const CONFIG_NAMES: ReadonlySet<string> = new Set(CONFIG_VARIABLES);
// Read by Node or App Service itself, not by the app's config.
const PLATFORM_SETTINGS = new Set(['NODE_ENV', 'WEBSITE_NODE_DEFAULT_VERSION', 'SCM_DO_BUILD_DURING_DEPLOYMENT']);

describe('the Azure template for e-RS Helper', () => {
  test('declares the bot, its Teams channel, a Linux plan and web app, and blob storage', () => {
    const types = new Set(setup().resources.map((resource) => resource.type));
    for (const type of [
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.Storage/storageAccounts',
      'Microsoft.Storage/storageAccounts/blobServices',
      'Microsoft.Storage/storageAccounts/blobServices/containers',
    ]) {
      expect(types, type).toContain(type);
    }
  });

  test('registers a single-tenant Azure Bot whose endpoint is the web app over https', () => {
    const { bicep } = setup();
    expect(bicep).toMatch(/kind:\s*'azurebot'/);
    expect(bicep).toMatch(/msaAppType:\s*'SingleTenant'/);
    expect(bicep).toMatch(/msaAppId:\s*msaAppId\b/);
    expect(bicep).toMatch(/msaAppTenantId:\s*msaAppTenantId\b/);
    expect(bicep).toMatch(/endpoint:\s*'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
    expect(bicep).toMatch(/channelName:\s*'MsTeamsChannel'/);
    expect(bicep).toMatch(/name:\s*'MsTeamsChannel'/);
    expect(bicep).toMatch(/@allowed\(\[\s*'F0'\s*'S1'\s*\]\)\s*param botSku string/);
  });

  test('runs Node 20 on Linux, https only, with the health probe on /healthz', () => {
    const { bicep } = setup();
    expect(bicep).toMatch(/linuxFxVersion:\s*'NODE\|20-lts'/);
    expect(bicep).toMatch(/healthCheckPath:\s*'\/healthz'/);
    expect(bicep).toMatch(/httpsOnly:\s*true/);
    expect(bicep).toMatch(/reserved:\s*true/);
    expect(bicep).toMatch(/kind:\s*'app,linux'/);
    expect(bicep).toMatch(/appCommandLine:\s*'node dist\/bot\/index\.js'/);
  });

  test('keeps state in a private StorageV2 account that only speaks TLS 1.2', () => {
    const { bicep } = setup();
    expect(bicep).toMatch(/kind:\s*'StorageV2'/);
    expect(bicep).toMatch(/minimumTlsVersion:\s*'TLS1_2'/);
    expect(bicep).toMatch(/allowBlobPublicAccess:\s*false/);
    expect(bicep).toMatch(/supportsHttpsTrafficOnly:\s*true/);
    expect(bicep).toMatch(/publicAccess:\s*'None'/);
  });

  test('sets every app setting the bot needs in production, from declared parameters', () => {
    const { appSettings, params } = setup();
    expect(appSettings.get('STORAGE_KIND')).toBe("'blob'");
    expect(appSettings.get('MicrosoftAppType')).toBe("'SingleTenant'");
    expect(appSettings.get('NODE_ENV')).toBe("'production'");
    expect(appSettings.get('WEBSITE_NODE_DEFAULT_VERSION')).toBe("'~20'");
    expect(appSettings.get('BLOB_CONNECTION_STRING')).toMatch(
      /AccountName=\$\{storageAccount\.name\};AccountKey=\$\{storageAccount\.listKeys\(\)\.keys\[0\]\.value\}/,
    );
    expect(appSettings.get('BLOB_CONTAINER')).toBe('stateContainer.name');
    expect(appSettings.get('PUBLIC_BASE_URL')).toBeDefined();
    for (const name of ['MicrosoftAppId', 'MicrosoftAppTenantId', 'MicrosoftAppPassword']) {
      expect(appSettings.has(name), name).toBe(true);
    }
    for (const name of appSettings.keys()) {
      expect(CONFIG_NAMES.has(name) || PLATFORM_SETTINGS.has(name), `${name} is read by nothing`).toBe(true);
    }

    const declared = new Map(params.map((param) => [param.name, param]));
    expect(declared.get('msaAppId')?.type).toBe('string');
    expect(declared.get('msaAppTenantId')?.type).toBe('string');
    expect(declared.get('msaAppPassword')?.secure).toBe(true);
    expect(appSettings.get('MicrosoftAppPassword')).toBe('msaAppPassword');
    expect(appSettings.get('MicrosoftAppId')).toBe('msaAppId');
    expect(appSettings.get('MicrosoftAppTenantId')).toBe('msaAppTenantId');
  });

  test('uses every parameter it declares', () => {
    const { bicep, params } = setup();
    for (const { name } of params) {
      const uses = bicep.match(new RegExp(`\\b${name}\\b`, 'g')) ?? [];
      expect(uses.length, `${name} is declared but never used`).toBeGreaterThan(1);
    }
  });

  test('has balanced brackets, so a missing brace is caught before Azure sees it', () => {
    const { structure } = setup();
    const stack: string[] = [];
    const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
    for (const char of structure) {
      if ('{[('.includes(char)) stack.push(char);
      else if (char in pairs) expect(stack.pop()).toBe(pairs[char]);
    }
    expect(stack).toEqual([]);
  });

  test('has a parameter file that names only declared parameters and gives every required one', () => {
    const { params, parameterFile } = setup();
    const declared = new Set(params.map((param) => param.name));
    const given = Object.keys(parameterFile.parameters);
    for (const name of given) expect(declared, `${name} is not a parameter of main.bicep`).toContain(name);
    for (const param of params.filter((p) => !p.hasDefault)) {
      expect(given, `${param.name} has no default and no value`).toContain(param.name);
    }
  });
});

describe('the Agents Toolkit project file', () => {
  const yml = read('m365agents.yml');
  const actions = [...yml.matchAll(/^\s*- uses:\s*(\S+)/gm)].map(([, action]) => action);

  test('provisions the Teams app, the bot identity and the Azure resources, then packages the app', () => {
    const provision = yml.slice(yml.indexOf('\nprovision:'), yml.indexOf('\ndeploy:'));
    const steps = [...provision.matchAll(/- uses:\s*(\S+)/g)].map(([, action]) => action);
    const order = [
      'teamsApp/create',
      'botAadApp/create',
      'arm/deploy',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/update',
    ];
    const positions = order.map((action) => steps.indexOf(action));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(yml).toMatch(/^version:\s*v1\.\d+$/m);
  });

  test('deploys by building with npm and zip-deploying to the web app the template outputs', () => {
    const deploy = yml.slice(yml.indexOf('\ndeploy:'), yml.indexOf('\npublish:'));
    expect(deploy).toMatch(/uses: cli\/runNpmCommand[\s\S]*?args: ci\b/);
    expect(deploy).toMatch(/uses: cli\/runNpmCommand[\s\S]*?args: run build\b/);
    expect(deploy).toMatch(/uses: azureAppService\/zipDeploy/);
    const resourceId = /resourceId:\s*\$\{\{(\w+)\}\}/.exec(deploy)?.[1];
    expect(setup().outputs).toContain(resourceId);
    expect(actions).toContain('azureAppService/zipDeploy');
  });

  test('points at files that exist', () => {
    const paths = [...yml.matchAll(/(?:path|parameters|manifestPath|ignoreFile):\s*(\.\/[^\s$]+)$/gm)].map(
      ([, path]) => path ?? '',
    );
    expect(paths).toEqual(
      expect.arrayContaining(['./infra/main.bicep', './infra/main.parameters.json', './manifest/manifest.json']),
    );
    for (const path of paths) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });

  test('fills every placeholder in the parameter file from the environment or an earlier action', () => {
    const produced = new Set([
      ...[...yml.matchAll(/^\s+\w+:\s*([A-Z][A-Z0-9_]+)\s*$/gm)].map(([, name]) => name),
      ...[...read('env/.env.dev').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name),
      // Written by teamsApp/create alongside TEAMS_APP_ID.
      'TEAMS_APP_TENANT_ID',
    ]);
    const placeholders = [...read('infra/main.parameters.json').matchAll(/\$\{\{(\w+)\}\}/g)].map(([, name]) => name);
    expect(placeholders.length).toBeGreaterThan(0);
    for (const name of placeholders) expect(produced, `${name} is never set`).toContain(name);
  });
});

describe('the container image', () => {
  const dockerfile = read('Dockerfile');

  test('builds on node:20-slim, ships production dependencies only and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM node:20-slim/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/npm run build[\s\S]*npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  test('listens on 3978, probes /healthz and starts the built entry point', () => {
    expect(dockerfile).toMatch(/^EXPOSE 3978$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(/^CMD \["node", ?"dist\/bot\/index\.js"\]$/m);
    expect(existsSync(join(ROOT, 'bot/index.ts'))).toBe(true);
  });

  test('keeps local state, secrets and build output out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', 'dist', 'data', '.env', '.git']) expect(ignored).toContain(entry);
  });
});
