// Fresha's OAuth dialect (the product spec's partner API, unverified): its authorize URL and token
// request, and the catalog's "unverified" label. (Moved from tests/unit/providers.test.ts.)
import { describe, expect, it } from 'vitest';
import { authorizeParams, grant, provider, tokenRequest } from '@/tests/support/oauth-dialect';

describe('registry', () => {
  it('labels Fresha unverified', () => {
    expect(provider('fresha').unverified).toMatch(/unverified/);
  });
});

describe('authorize URLs', () => {
  it('Fresha: its own host', () => {
    expect(authorizeParams('fresha').origin).toBe('https://connect.fresha.com/oauth/authorize');
  });
});

describe('token requests', () => {
  it('form-encodes with the client secret in the body for Fresha', () => {
    const request = tokenRequest('fresha');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ client_id: 'client-123', client_secret: 'secret-456', ...grant });
  });
});
