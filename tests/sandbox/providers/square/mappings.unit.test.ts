// Square's default mappings on customers and bookings built as the sandbox builds them, rendered as
// the Customers and Bookings APIs answer. (Moved from tests/unit/mapping/defaults.test.ts.)
import { describe, expect, it } from 'vitest';
import { dataset, iso, mapAll, SIZE, type Fields } from '@/tests/support/default-mappings';
import { squareDataSpecs } from './data';

describe('default mappings', () => {
  it('Square customers → Contact', () => {
    const data = dataset(squareDataSpecs.customers, 'MLSBX0000000001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const customer = {
        id: data.idOf(index),
        created_at: iso(data.createdAt[index]),
        updated_at: iso(data.updatedAt[index]),
        ...data.fields(index),
        preferences: { email_unsubscribed: false },
        creation_source: 'THIRD_PARTY',
        version: data.version[index] - 1,
      } as Fields;
      return { data: customer, fields: customer, index };
    });
    for (const { output, fields } of mapAll('square', 'customers', 'Contact', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        firstName: fields.given_name,
        lastName: fields.family_name,
        fullName: `${fields.given_name} ${fields.family_name}`,
        email: fields.email_address,
        phone: String(fields.phone_number).replace(/ /g, ''),
        company: fields.company_name,
        emailOptOut: false,
        ...(fields.note ? { notes: fields.note } : {}),
        createdAt: fields.created_at,
        updatedAt: fields.updated_at,
      });
    }
  });

  it('Square bookings → Appointment, the end from the first segment’s duration', () => {
    const data = dataset(squareDataSpecs.bookings, 'MLSBX0000000001');
    const statuses: Record<string, string> = { ACCEPTED: 'confirmed', PENDING: 'pending', CANCELLED_BY_CUSTOMER: 'cancelled', NO_SHOW: 'no_show', DECLINED: 'declined' };
    const records = Array.from({ length: SIZE }, (_, index) => {
      const { status, duration_minutes, service_variation_id, team_member_id, ...rest } = data.fields(index);
      const booking = {
        id: data.idOf(index),
        version: data.version[index] - 1,
        status,
        created_at: iso(data.createdAt[index]),
        updated_at: iso(data.updatedAt[index]),
        start_at: iso(data.startAt[index]).replace('.000Z', 'Z'),
        location_id: 'LSBX0000000001',
        ...rest,
        appointment_segments: [{ duration_minutes, service_variation_id, team_member_id, service_variation_version: 1 }],
        source: 'FIRST_PARTY_MERCHANT',
      } as Fields;
      return { data: booking, fields: { ...booking, minutes: duration_minutes, start: data.startAt[index] }, index };
    });
    for (const { output, fields } of mapAll('square', 'bookings', 'Appointment', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        title: 'Square booking',
        ...(fields.customer_note ? { description: fields.customer_note } : {}),
        startsAt: iso(fields.start as number),
        endsAt: iso((fields.start as number) + (fields.minutes as number) * 60_000),
        durationMinutes: fields.minutes,
        status: statuses[fields.status as string],
        customerExternalId: fields.customer_id,
        createdAt: fields.created_at,
        updatedAt: fields.updated_at,
      });
    }
  });
});
