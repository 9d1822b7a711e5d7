import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.js';

describe('an IT lead starts the bot', () => {
  test('with no settings it runs in local mode on 127.0.0.1:3978 with SQLite storage in ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'local',
      port: 3978,
      host: '127.0.0.1',
      storage: { kind: 'sqlite', dataDir: './data' },
    });
    expect(config.pack.version).toBe('v4.1');
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('PORT sets the port', () => {
    expect(loadConfig({ PORT: '4010' }).port).toBe(4010);
  });

  test('a bot id switches on production mode, auth and binding on all interfaces', () => {
    const config = loadConfig({
      MicrosoftAppId: '6f1c2a3b-1111-4222-8333-944455556666',
      MicrosoftAppPassword: 'secret',
    });
    expect(config.mode).toBe('production');
    expect(config.host).toBe('0.0.0.0');
    expect(loadConfig({ BOT_ID: '6f1c2a3b-1111-4222-8333-944455556666', BOT_PASSWORD: 'x' }).bot.appId).toBe(
      '6f1c2a3b-1111-4222-8333-944455556666',
    );
  });

  test('every bad variable is named in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        STORAGE_KIND: 'blob',
        MicrosoftAppId: 'not-a-guid',
        LOG_LEVEL: 'loud',
        ANNOUNCE_API_KEY: 'short',
      });
    } catch (err: unknown) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'LOG_LEVEL', 'ANNOUNCE_API_KEY']) expect(message).toContain(name);
    expect((error as ConfigError).problems.length).toBeGreaterThanOrEqual(3);
  });

  test('a managed identity needs its tenant and no password, said before the adapter would throw', () => {
    const appId = '6f1c2a3b-1111-4222-8333-944455556666';
    expect(() => loadConfig({ MicrosoftAppId: appId, MicrosoftAppType: 'UserAssignedMSI' })).toThrow(
      /MicrosoftAppTenantId/,
    );
    expect(() =>
      loadConfig({
        MicrosoftAppId: appId,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: appId,
        MicrosoftAppPassword: 'x',
      }),
    ).toThrow(/MicrosoftAppPassword: must not be set/);
    expect(
      loadConfig({ MicrosoftAppId: appId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: appId }).mode,
    ).toBe('production');
  });

  test('a blob container name Azure would refuse is refused at start-up', () => {
    expect(() => loadConfig({ BLOB_CONTAINER: 'a--b' })).toThrow(/BLOB_CONTAINER/);
    expect(loadConfig({ BLOB_CONTAINER: 'ers-helper-2' }).storage.blobContainer).toBe('ers-helper-2');
  });

  test('blob storage without a connection string is refused', () => {
    expect(() => loadConfig({ STORAGE_KIND: 'blob' })).toThrow(/BLOB_CONNECTION_STRING/);
  });
});

// Security review H2: HOST=0.0.0.0 (the Dockerfile's) without an app id served /api/messages with no
// authentication on every interface.
describe('local mode, which has no Bot Framework authentication', () => {
  test.each(['0.0.0.0', '::', '10.0.0.4', 'ers-helper.example.nhs.uk'])(
    'refuses HOST=%s and names the missing setting',
    (host) => {
      expect(() => loadConfig({ HOST: host })).toThrow(ConfigError);
      expect(() => loadConfig({ HOST: host })).toThrow(/HOST: is .* MicrosoftAppId \(or BOT_ID\) is not set/);
    },
  );

  test.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'])('listens on the loopback address %s', (host) => {
    expect(loadConfig({ HOST: host }).mode).toBe('local');
  });

  test('a misspelt app id setting is not a way round it', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0', MicrosoftAppID: '6f1c2a3b-1111-4222-8333-944455556666' })).toThrow(
      /MicrosoftAppId/,
    );
  });

  test('production mode may listen on every interface', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      MicrosoftAppId: '6f1c2a3b-1111-4222-8333-944455556666',
      MicrosoftAppPassword: 'secret',
    });
    expect(config.host).toBe('0.0.0.0');
  });
});

// Security review L4: these keys started up and then could never authenticate.
describe('an announcement API key with a copy-paste slip', () => {
  test.each([
    ['an inner space', 'KKKKKKKKKKKK KKKKKKKKKKKKKKKK'],
    ['a trailing newline', 'KKKKKKKKKKKKKKKKKKKKKKKKKKKKKK\n'],
    ['a leading space', ' KKKKKKKKKKKKKKKKKKKKKKKKKKKKKK'],
  ])('is refused at start when it has %s', (_label, key) => {
    expect(() => loadConfig({ ANNOUNCE_API_KEY: key })).toThrow(/ANNOUNCE_API_KEY: must be printable/);
  });
});
