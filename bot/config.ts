import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectRoot } from '../knowledge/project-root.js';
import { blank } from '../knowledge/safety/input-limits.js';
import { SOURCE_DOCUMENTS } from '../knowledge/schema.js';

/** The pack this build of the bot answers from; shown on /healthz and in every answer's source line. */
export const PACK = SOURCE_DOCUMENTS['ers-pack'];

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalString = z.preprocess(blank, z.string().optional());

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(?:\.[0-9]{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

const envShape = z.object({
  PORT: z.preprocess(blank, z.coerce.number().int().min(0).max(65535).default(3978)),
  HOST: optionalString,
  MicrosoftAppId: optionalString,
  BOT_ID: optionalString,
  MicrosoftAppPassword: optionalString,
  BOT_PASSWORD: optionalString,
  MicrosoftAppTenantId: optionalString,
  MicrosoftAppType: z.preprocess(blank, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  DATA_DIR: z.preprocess(blank, z.string().default('./data')),
  STORAGE_KIND: z.preprocess(blank, z.enum(['sqlite', 'file', 'memory', 'blob']).default('sqlite')),
  BLOB_CONNECTION_STRING: optionalString,
  BLOB_CONTAINER: z.preprocess(
    blank,
    z
      .string()
      .regex(
        /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/,
        'must be 3-63 lower-case letters, digits or single hyphens, not starting or ending with a hyphen',
      )
      .default('ers-helper'),
  ),
  PUBLIC_BASE_URL: z.preprocess(
    blank,
    z.string().url('must be a URL such as https://ers-helper.example.nhs.uk').optional(),
  ),
  // The Authorization header carries the key as one token, so a key with a space or a trailing line
  // break (a copy-paste slip) could never match: refused at start rather than 401 on every call.
  ANNOUNCE_API_KEY: z.preprocess(
    blank,
    z
      .string()
      .min(24, 'must be at least 24 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable characters with no spaces or line breaks')
      .optional(),
  ),
  ANNOUNCERS: csv.refine(
    (ids) => ids.every((id) => guid.test(id)),
    'must be a comma-separated list of Azure AD object ids',
  ),
  ALLOWED_TENANTS: csv.refine(
    (ids) => ids.every((id) => /^[A-Za-z0-9.-]{1,64}$/.test(id)),
    'must be a comma-separated list of tenant ids',
  ),
  LOG_LEVEL: z.preprocess(
    blank,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  RETENTION_DAYS: z.preprocess(blank, z.coerce.number().int().min(1).max(3650).default(90)),
  TEAMS_APP_ID: z.preprocess(blank, z.string().regex(guid, 'must be a GUID').optional()),
  TRUST_PROXY: z.preprocess(blank, z.enum(['true', 'false']).default('false')),
  DIALOG_TIMEOUT_MINUTES: z.preprocess(blank, z.coerce.number().int().min(1).max(1440).default(30)),
});

/** Every environment variable the bot reads (the deployment templates are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(envShape.shape));

const envSchema = envShape.superRefine((env, ctx) => {
  if (env.STORAGE_KIND === 'blob' && !env.BLOB_CONNECTION_STRING) {
    ctx.addIssue({ code: 'custom', path: ['BLOB_CONNECTION_STRING'], message: 'is required when STORAGE_KIND=blob' });
  }
  const appId = env.MicrosoftAppId ?? env.BOT_ID;
  // Local mode has no Bot Framework authentication, so it may only be reachable from this machine.
  if (!appId && env.HOST !== undefined && !isLoopback(env.HOST)) {
    ctx.addIssue({
      code: 'custom',
      path: ['HOST'],
      message:
        `is ${env.HOST}, which listens beyond this machine, but MicrosoftAppId (or BOT_ID) is not set, so /api/messages ` +
        'would run without authentication. Set MicrosoftAppId and MicrosoftAppPassword, or HOST=127.0.0.1 to test locally',
    });
  }
  if (appId && !guid.test(appId)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.MicrosoftAppId ? 'MicrosoftAppId' : 'BOT_ID'],
      message: 'must be a GUID',
    });
  }
  if (appId && env.MicrosoftAppType !== 'UserAssignedMSI' && !(env.MicrosoftAppPassword ?? env.BOT_PASSWORD)) {
    ctx.addIssue({
      code: 'custom',
      path: ['MicrosoftAppPassword'],
      message: 'is required when MicrosoftAppId is set',
    });
  }
  if (env.MicrosoftAppType === 'UserAssignedMSI') {
    // botbuilder's managed-identity credentials need the tenant and refuse a password.
    if (!env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: 'is required when MicrosoftAppType=UserAssignedMSI',
      });
    }
    if (env.MicrosoftAppPassword ?? env.BOT_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'must not be set when MicrosoftAppType=UserAssignedMSI',
      });
    }
  }
  if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
    ctx.addIssue({
      code: 'custom',
      path: ['MicrosoftAppTenantId'],
      message: 'is required when MicrosoftAppType=SingleTenant',
    });
  }
});

export type Config = Readonly<{
  /** local: no Bot Framework auth, binds 127.0.0.1. production: auth on, an app id is configured. */
  mode: 'local' | 'production';
  port: number;
  host: string;
  version: string;
  pack: typeof PACK;
  bot: Readonly<{
    appId?: string;
    password?: string;
    tenantId?: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  }>;
  storage: Readonly<{
    kind: 'sqlite' | 'file' | 'memory' | 'blob';
    dataDir: string;
    blobConnectionString?: string;
    blobContainer: string;
  }>;
  publicBaseUrl: string;
  announce: Readonly<{ apiKey?: string; announcers: readonly string[] }>;
  allowedTenants: readonly string[];
  logLevel: string;
  retentionDays: number;
  dialogTimeoutMinutes: number;
  /** The Teams app's id in the app package (npm run package); the bot id when not set. */
  teamsAppId?: string;
  /** Count rate limits by X-Forwarded-For (behind Azure App Service), not the proxy's address. */
  trustProxy: boolean;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(`${projectRoot()}/package.json`, 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string'
    ? pkg.version
    : '0.0.0';
}

/**
 * Parses the environment once. Every bad variable is reported in one error, so a misconfigured
 * deployment is fixed in one go rather than one restart per variable.
 *
 * @example loadConfig({ PORT: '3978' }) // local mode, SQLite storage in ./data
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`));
  }
  const e = parsed.data;
  const appId = e.MicrosoftAppId ?? e.BOT_ID;
  const mode = appId ? 'production' : 'local';
  const host = e.HOST ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  return Object.freeze({
    mode,
    port: e.PORT,
    host,
    version: packageVersion(),
    pack: PACK,
    bot: Object.freeze({
      appId,
      password: e.MicrosoftAppPassword ?? e.BOT_PASSWORD,
      tenantId: e.MicrosoftAppTenantId,
      appType: e.MicrosoftAppType ?? 'MultiTenant',
    }),
    storage: Object.freeze({
      kind: e.STORAGE_KIND,
      dataDir: e.DATA_DIR,
      blobConnectionString: e.BLOB_CONNECTION_STRING,
      blobContainer: e.BLOB_CONTAINER,
    }),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    announce: Object.freeze({ apiKey: e.ANNOUNCE_API_KEY, announcers: Object.freeze(e.ANNOUNCERS) }),
    allowedTenants: Object.freeze(e.ALLOWED_TENANTS),
    logLevel: e.LOG_LEVEL,
    retentionDays: e.RETENTION_DAYS,
    dialogTimeoutMinutes: e.DIALOG_TIMEOUT_MINUTES,
    teamsAppId: e.TEAMS_APP_ID,
    trustProxy: e.TRUST_PROXY === 'true',
  });
}
