// Who hears about an issue and how (lib/notifications/decide.ts): severity thresholds, mail modes,
// unverified or missing addresses, defaults, and the in-app link.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEALTH_SEVERITIES, type HealthSeverity } from '@/lib/health/types';
import { admits, decideRecipients, DEFAULT_PREFERENCES, EMAIL_MODES, issueHref, type Member } from '@/lib/notifications/decide';

const member = (userId: string, overrides: Partial<Member> = {}): Member => ({
  userId,
  email: `${userId}@example.test`,
  emailVerified: true,
  preferences: null,
  ...overrides,
});

describe('severity thresholds', () => {
  it('admits the threshold and everything more severe, nothing less', () => {
    expect(HEALTH_SEVERITIES.filter((s) => admits('critical', s))).toEqual(['critical']);
    expect(HEALTH_SEVERITIES.filter((s) => admits('warning', s))).toEqual(['critical', 'warning']);
    expect(HEALTH_SEVERITIES.filter((s) => admits('info', s))).toEqual(['critical', 'warning', 'info']);
  });

  it('defaults to warning and above, mailed immediately', () => {
    expect(DEFAULT_PREFERENCES).toEqual({ minSeverity: 'warning', email: 'immediately' });
    const members = [member('a')];
    expect(decideRecipients('info', members)).toEqual([]);
    expect(decideRecipients('warning', members)).toEqual([{ userId: 'a', email: 'a@example.test', delivery: 'immediately' }]);
    expect(decideRecipients('critical', members)).toEqual([{ userId: 'a', email: 'a@example.test', delivery: 'immediately' }]);
  });

  it('applies each member’s own threshold', () => {
    const members = [
      member('crit', { preferences: { minSeverity: 'critical', email: 'immediately' } }),
      member('warn', { preferences: { minSeverity: 'warning', email: 'immediately' } }),
      member('info', { preferences: { minSeverity: 'info', email: 'immediately' } }),
    ];
    expect(decideRecipients('critical', members).map((r) => r.userId)).toEqual(['crit', 'warn', 'info']);
    expect(decideRecipients('warning', members).map((r) => r.userId)).toEqual(['warn', 'info']);
    expect(decideRecipients('info', members).map((r) => r.userId)).toEqual(['info']);
  });
});

describe('mail modes', () => {
  it('mails at once, in the digest, or not at all, and always notifies in the app', () => {
    const members = [
      member('now', { preferences: { minSeverity: 'info', email: 'immediately' } }),
      member('digest', { preferences: { minSeverity: 'info', email: 'daily_digest' } }),
      member('off', { preferences: { minSeverity: 'info', email: 'off' } }),
    ];
    expect(decideRecipients('warning', members)).toEqual([
      { userId: 'now', email: 'now@example.test', delivery: 'immediately' },
      { userId: 'digest', email: 'digest@example.test', delivery: 'daily_digest' },
      { userId: 'off', email: null, delivery: 'none' },
    ]);
  });

  it('never mails an unverified or missing address, whatever the preference', () => {
    for (const mode of EMAIL_MODES) {
      const members = [
        member('unverified', { emailVerified: false, preferences: { minSeverity: 'info', email: mode } }),
        member('no-address', { email: null, preferences: { minSeverity: 'info', email: mode } }),
      ];
      expect(decideRecipients('critical', members)).toEqual([
        { userId: 'unverified', email: null, delivery: 'none' },
        { userId: 'no-address', email: null, delivery: 'none' },
      ]);
    }
  });

  it('holds for any members: recipients are exactly the admitted ones, mail only to verified addresses', () => {
    const severity = fc.constantFrom<HealthSeverity>(...HEALTH_SEVERITIES);
    const arbitraryMember = fc.record({
      userId: fc.uuid(),
      email: fc.option(fc.emailAddress(), { nil: null }),
      emailVerified: fc.boolean(),
      preferences: fc.option(fc.record({ minSeverity: severity, email: fc.constantFrom(...EMAIL_MODES) }), { nil: null }),
    });
    fc.assert(
      fc.property(severity, fc.array(arbitraryMember, { maxLength: 8 }), (issueSeverity, members) => {
        const recipients = decideRecipients(issueSeverity, members);
        const admitted = members.filter((m) => admits((m.preferences ?? DEFAULT_PREFERENCES).minSeverity, issueSeverity));
        expect(recipients.map((r) => r.userId)).toEqual(admitted.map((m) => m.userId));
        recipients.forEach((r, i) => {
          const m = admitted[i];
          const mode = (m.preferences ?? DEFAULT_PREFERENCES).email;
          if (r.delivery === 'none') expect(r.email).toBeNull();
          else {
            expect(m.emailVerified && m.email).toBeTruthy();
            expect(r.email).toBe(m.email);
            expect(r.delivery).toBe(mode);
          }
          if (m.emailVerified && m.email && mode !== 'off') expect(r.delivery).toBe(mode);
        });
      }),
    );
  });
});

describe('the notification link', () => {
  const ws = '11111111-1111-4111-8111-111111111111';
  const conn = '22222222-2222-4222-8222-222222222222';
  it('uses the fix’s path inside the app, else the connection, else the workspace', () => {
    expect(issueHref({ workspaceId: ws, connectionId: conn, fix: { href: `/w/${ws}/integrations/${conn}/mappings/contacts` } })).toBe(
      `/w/${ws}/integrations/${conn}/mappings/contacts`,
    );
    expect(issueHref({ workspaceId: ws, connectionId: conn, fix: { href: null } })).toBe(`/w/${ws}/integrations/${conn}`);
    expect(issueHref({ workspaceId: ws, connectionId: null, fix: { href: null } })).toBe(`/w/${ws}`);
  });

  it('never links to another site', () => {
    for (const href of ['https://evil.example/x', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      expect(issueHref({ workspaceId: ws, connectionId: null, fix: { href } })).toBe(`/w/${ws}`);
    }
  });
});
