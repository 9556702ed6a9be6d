// Mindbody's default mappings on records shaped as the syncs store them: a client, an appointment
// and a class visit, each with the IntegrationHub instants the syncs add (mapping.ts).
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping } from '@/lib/mapping';
import { withSiteTimes } from '@/lib/providers/mindbody/mapping';
import { defaultMappings } from '@/lib/providers/mindbody/mappings';

const map = (resource: string, raw: unknown) => applyMapping(compileMapping(defaultMappings[resource]), raw);

describe('Mindbody default mappings', () => {
  it('maps a client onto a Contact (phones in order, LastModifiedDateTime read as UTC)', () => {
    const { output, errors } = map('clients', {
      Id: '100042',
      FirstName: ' Ada ',
      LastName: 'Lovelace',
      Email: 'ADA@Example.com',
      MobilePhone: null,
      HomePhone: '+44 20 7946 0958',
      Notes: 'Prefers mornings',
      LastModifiedDateTime: '2026-12-01T10:30:00',
      Active: false,
    });
    expect(errors).toEqual([]);
    expect(output).toMatchObject({
      externalId: '100042',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      phone: '+442079460958',
      notes: 'Prefers mornings',
      updatedAt: '2026-12-01T10:30:00.000Z',
    });
  });

  it("maps an appointment with its times read in the site's zone, across DST, and its status", () => {
    // 09:00 in Los Angeles on the Monday after DST starts is 16:00Z.
    const raw = withSiteTimes(
      { Id: 10001, Status: 'LateCancelled', StartDateTime: '2030-03-11T09:00:00', EndDateTime: '2030-03-11T10:00:00', Duration: 60, ClientId: '100003', StaffId: 11, Notes: null },
      'America/Los_Angeles',
    );
    const { output, errors } = map('appointments', raw);
    expect(errors).toEqual([]);
    expect(output).toMatchObject({
      externalId: '10001',
      title: 'Appointment',
      startsAt: '2030-03-11T16:00:00.000Z',
      endsAt: '2030-03-11T17:00:00.000Z',
      timeZone: 'America/Los_Angeles',
      durationMinutes: 60,
      status: 'cancelled',
      customerExternalId: '100003',
    });
    expect(map('appointments', { ...raw, Status: 'NoShow' }).output).toMatchObject({ status: 'no_show' });
  });

  it('maps a class visit onto an Appointment named after the class', () => {
    const raw = withSiteTimes({ Id: 2000001, ClassId: 301495000, Name: 'Vinyasa Flow', StartDateTime: '2026-12-10T10:00:00', EndDateTime: '2026-12-10T11:00:00', ClientId: '100009', SignedIn: true }, 'Europe/London');
    const { output, errors } = map('class_visits', raw);
    expect(errors).toEqual([]);
    expect(output).toMatchObject({ externalId: '2000001', title: 'Vinyasa Flow', serviceName: 'Vinyasa Flow', startsAt: '2026-12-10T10:00:00.000Z', status: 'arrived', customerExternalId: '100009' });
    expect(map('class_visits', { ...raw, SignedIn: false }).output).toMatchObject({ status: 'booked' });
  });
});
