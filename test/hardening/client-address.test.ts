import { describe, expect, test } from 'vitest';
import { clientAddress } from '../../bot/http-guards.js';

const req = (remote: string, forwarded?: string) => ({
  socket: { remoteAddress: remote },
  headers: { 'x-forwarded-for': forwarded },
});

describe('counting rate limits per client behind Azure App Service', () => {
  test('without a trusted proxy the socket address counts, whatever the header says', () => {
    expect(clientAddress(req('10.0.0.5', '203.0.113.9'), false)).toBe('10.0.0.5');
  });

  test('behind the trusted proxy the last forwarded address counts, without its port', () => {
    expect(clientAddress(req('10.0.0.5', '198.51.100.1, 203.0.113.9:51234'), true)).toBe('203.0.113.9');
    expect(clientAddress(req('10.0.0.5', '[2001:db8::1]:443'), true)).toBe('2001:db8::1');
  });

  test('a trusted proxy that sent no header falls back to the socket address', () => {
    expect(clientAddress(req('10.0.0.5'), true)).toBe('10.0.0.5');
  });
});
