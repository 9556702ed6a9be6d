import { describe, expect, it } from 'vitest';
import { hashLinkToken, linkTokenSchema, newLinkToken } from '@/lib/auth/link-tokens';
import { safeNextPath } from '@/lib/auth/next-path';
import { linksIn } from '@/lib/mail/outbox';
import { invitationMail, signUpAttemptMail, verificationMail } from '@/lib/mail/templates';

describe('mail link tokens', () => {
  it('are 256 random bits in base64url, stored as their SHA-256', () => {
    const { token, hash } = newLinkToken();
    expect(linkTokenSchema.parse(token)).toBe(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLinkToken(token)).toBe(hash);
    expect(newLinkToken().token).not.toBe(token);
  });

  it('refuses anything else as a token', () => {
    for (const bad of ['', 'short', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}\u0000`, `${'A'.repeat(42)}/`]) {
      expect(linkTokenSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('safeNextPath', () => {
  it('keeps paths on this site', () => {
    expect(safeNextPath('/invitations/abc')).toBe('/invitations/abc');
    expect(safeNextPath('/w/1/settings?tab=members')).toBe('/w/1/settings?tab=members');
  });

  it('refuses other origins and oddities', () => {
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', 'evil', '/a\\b', '/a\nb', undefined, 42]) {
      expect(safeNextPath(bad), String(bad)).toBe('/');
    }
  });
});

describe('mail templates', () => {
  it('escape what they interpolate into HTML and keep the link in the text', () => {
    const mail = invitationMail('a@example.test', {
      workspaceName: '<script>alert(1)</script>',
      role: 'viewer',
      inviterEmail: 'x@example.test',
      url: 'http://app.test/invitations/tok"en',
      days: 7,
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('tok&quot;en');
    expect(mail.text).toContain('<script>alert(1)</script>');
    expect(linksIn(verificationMail('a@example.test', 'http://app.test/api/auth/verify-email?token=abc', 24).text)).toEqual([
      'http://app.test/api/auth/verify-email?token=abc',
    ]);
  });

  it('gives the holder of an existing account no link that verifies anything', () => {
    expect(linksIn(signUpAttemptMail('a@example.test', 'http://app.test/sign-in').text)).toEqual(['http://app.test/sign-in']);
  });
});
