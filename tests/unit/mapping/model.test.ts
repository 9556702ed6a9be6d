// The internal model: one zod schema per model, described for the target picker from the same schema.
import { describe, expect, it } from 'vitest';
import { Appointment, Contact, describeModel, modelField, modelFields, TARGET_MODELS } from '@/lib/mapping';
import { FIELD_TYPES } from '@/lib/mapping/model';

describe('models', () => {
  it('lists the six target models', () => {
    expect(TARGET_MODELS).toEqual([
      { name: 'Contact', label: 'Contact' },
      { name: 'Appointment', label: 'Appointment' },
      { name: 'Deal', label: 'Deal' },
      { name: 'Company', label: 'Company' },
      { name: 'Message', label: 'Message' },
      { name: 'Issue', label: 'Issue' },
    ]);
  });

  it('describes each field with label, type, required flag and enum values', () => {
    expect(modelField('Appointment', 'title')).toEqual({ name: 'title', label: 'Title', type: 'string', required: true });
    expect(modelField('Appointment', 'startsAt')).toMatchObject({ type: 'datetime', required: true });
    expect(modelField('Appointment', 'status')).toMatchObject({ type: 'enum', required: false, values: expect.arrayContaining(['confirmed', 'cancelled', 'no_show']) });
    expect(modelField('Contact', 'phone')).toMatchObject({ type: 'phone', required: false, description: expect.stringMatching(/E\.164/) });
    expect(modelField('Deal', 'name')).toMatchObject({ required: true });
    expect(modelField('Company', 'name')).toMatchObject({ required: true });
    expect(modelField('Message', 'sentAt')).toMatchObject({ type: 'datetime', required: true });
    expect(modelField('Issue', 'state')).toMatchObject({ type: 'enum', values: ['open', 'closed', 'merged'] });
    expect(modelField('Contact', 'nope')).toBeUndefined();
    for (const model of TARGET_MODELS) {
      for (const field of modelFields(model.name)) {
        expect(FIELD_TYPES).toContain(field.type);
        expect(field.label.length).toBeGreaterThan(0);
        expect(field.values !== undefined).toBe(field.type === 'enum');
      }
    }
    expect(describeModel('Contact').requireOneOf).toEqual([['email', 'phone']]);
  });

  it('the schemas validate mapped records', () => {
    expect(Contact.safeParse({ email: 'ada@example.com', lifecycleStage: 'lead' }).success).toBe(true);
    expect(Contact.safeParse({ firstName: 'Ada' }).success).toBe(false);
    expect(Contact.safeParse({ phone: '07700 900123' }).success).toBe(false);
    expect(Appointment.safeParse({ title: 'Cut', startsAt: '2026-07-01T10:00:00.000Z' }).success).toBe(true);
    expect(Appointment.safeParse({ title: 'Cut' }).success).toBe(false);
  });
});
