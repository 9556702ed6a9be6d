// planEvents: what each claimed webhook event asks of its connection, decided without I/O.
import { describe, expect, it } from 'vitest';
import { planEvents, type ClaimedEvent } from '@/lib/webhooks/process';
import { STANDARD_WEBHOOKS_SCHEME } from '@/lib/webhooks/standard';

let next = 0;
function event(overrides: Partial<ClaimedEvent>): ClaimedEvent {
  next += 1;
  return {
    id: `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
    workspace_id: 'w',
    connection_id: 'c',
    provider: 'any',
    scheme: STANDARD_WEBHOOKS_SCHEME,
    event_id: `msg_${next}`,
    payload: {},
    occurred_at: null,
    attempts: 1,
    age_ms: 0,
    ...overrides,
  };
}

describe('planEvents', () => {
  it('asks for a sync of the resource a generic event names, or of everything', () => {
    const contacts = event({ payload: { type: 'contacts.updated' } });
    const anything = event({ payload: { type: 'something.happened' } });
    const plan = planEvents([contacts, anything], ['contacts', 'deals']);
    expect(plan.syncs).toEqual([
      { event: contacts, resource: 'contacts' },
      { event: anything, resource: null },
    ]);
    expect(plan.records.size).toBe(0);
    expect(plan.ignored).toEqual([]);
    expect(plan.unreadable).toEqual([]);
  });

  it('marks a payload no provider can read as unreadable, and keeps the rest', () => {
    const foreign = event({ provider: 'no-such-provider', scheme: 'no-such-scheme' });
    const fine = event({ payload: { type: 'deals.created' } });
    const plan = planEvents([foreign, fine], ['deals']);
    expect(plan.unreadable).toEqual([foreign]);
    expect(plan.syncs).toEqual([{ event: fine, resource: 'deals' }]);
  });
});
