// Fresha's default mappings on clients and appointments built as the sandbox builds them, rendered
// as the (spec's) partner API answers. (Moved from tests/unit/mapping/defaults.test.ts.)
import { describe, expect, it } from 'vitest';
import { dataset, iso, mapAll, SIZE, type Fields } from '@/tests/support/default-mappings';
import { freshaDataSpecs } from './data';

describe('default mappings', () => {
  it('Fresha clients → Contact', () => {
    const data = dataset(freshaDataSpecs.clients, 'fresha-sbx-0001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const attributes = { ...data.fields(index), created_at: iso(data.createdAt[index]), updated_at: iso(data.updatedAt[index]), deleted_at: null };
      return { data: { id: data.idOf(index), type: 'client', attributes }, fields: { ...attributes, id: data.idOf(index) } as Fields, index };
    });
    for (const { output, fields } of mapAll('fresha', 'clients', 'Contact', records)) {
      expect(output).toEqual({
        externalId: fields.id,
        firstName: fields.first_name,
        lastName: fields.last_name,
        fullName: `${fields.first_name} ${fields.last_name}`,
        email: fields.email,
        phone: String(fields.phone).replace(/ /g, ''),
        ...(fields.notes ? { notes: fields.notes } : {}),
        createdAt: fields.created_at,
        updatedAt: fields.updated_at,
      });
    }
  });

  it('Fresha appointments → Appointment', () => {
    const data = dataset(freshaDataSpecs.appointments, 'fresha-sbx-0001');
    const records = Array.from({ length: SIZE }, (_, index) => {
      const { minutes, ...rest } = data.fields(index);
      const start = data.startAt[index];
      const attributes = {
        ...rest,
        starts_at: iso(start),
        ends_at: iso(start + (minutes as number) * 60_000),
        created_at: iso(data.createdAt[index]),
        updated_at: iso(data.updatedAt[index]),
        deleted_at: null,
      };
      return { data: { id: data.idOf(index), type: 'appointment', attributes }, fields: { ...attributes, id: data.idOf(index) } as Fields, index };
    });
    for (const { output, fields } of mapAll('fresha', 'appointments', 'Appointment', records)) {
      const price = fields.price as { amount: string; currency: string };
      expect(output).toEqual({
        externalId: fields.id,
        title: fields.service_name,
        serviceName: fields.service_name,
        staffName: fields.staff_name,
        startsAt: fields.starts_at,
        endsAt: fields.ends_at,
        status: fields.status,
        customerExternalId: fields.client_id,
        price: Number(price.amount),
        currency: 'GBP',
        createdAt: fields.created_at,
        updatedAt: fields.updated_at,
      });
    }
  });
});
