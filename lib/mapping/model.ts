// Our internal model: what provider records are mapped onto. Each model is one zod schema; the
// field descriptions the editor shows (label, type, required, allowed values) are read from the
// same schemas, so the UI, the interpreter's coercion and downstream validation cannot drift.
import { z } from 'zod';
import { OUTPUT_LIMITS } from './limits';

export const FIELD_TYPES = ['string', 'email', 'phone', 'number', 'integer', 'boolean', 'datetime', 'date', 'enum', 'string[]'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

interface FieldMeta {
  label: string;
  type: FieldType;
  description?: string;
}

const text = () => z.string().min(1).max(OUTPUT_LIMITS.string);
const SCHEMAS = {
  string: text,
  email: () => z.email().max(254),
  phone: () => z.string().regex(/^\+[1-9]\d{5,14}$/, 'expected an E.164 phone number'),
  number: () => z.number(),
  integer: () => z.number().int(),
  boolean: () => z.boolean(),
  datetime: () => z.iso.datetime(),
  date: () => z.iso.date(),
  'string[]': () => z.array(text()).max(OUTPUT_LIMITS.arrayItems),
} as const;

type Simple = Exclude<FieldType, 'enum'>;

/** An optional field of a simple type. */
function field<T extends Simple>(type: T, label: string, description?: string) {
  return (SCHEMAS[type]() as ReturnType<(typeof SCHEMAS)[T]>).optional().meta({ label, type, description } satisfies FieldMeta);
}

/** A required field of a simple type. */
function requiredField<T extends Simple>(type: T, label: string, description?: string) {
  return (SCHEMAS[type]() as ReturnType<(typeof SCHEMAS)[T]>).meta({ label, type, description } satisfies FieldMeta);
}

function choice<const V extends readonly [string, ...string[]]>(values: V, label: string, description?: string) {
  return z.enum(values).optional().meta({ label, type: 'enum', description } satisfies FieldMeta);
}

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketing_qualified', 'sales_qualified', 'opportunity', 'customer', 'evangelist', 'other'] as const;
export const APPOINTMENT_STATUSES = ['pending', 'booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show', 'declined'] as const;
export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export const MESSAGE_CHANNELS = ['email', 'chat'] as const;
export const ISSUE_KINDS = ['issue', 'pull_request'] as const;
export const ISSUE_STATES = ['open', 'closed', 'merged'] as const;

const stamps = {
  createdAt: field('datetime', 'Created at'),
  updatedAt: field('datetime', 'Updated at'),
};

export const Contact = z
  .object({
    externalId: field('string', 'External ID', "The record's id at the provider"),
    firstName: field('string', 'First name'),
    lastName: field('string', 'Last name'),
    fullName: field('string', 'Full name'),
    email: field('email', 'Email'),
    phone: field('phone', 'Phone', 'E.164, e.g. +447700900123'),
    company: field('string', 'Company'),
    companyExternalId: field('string', 'Company external ID'),
    jobTitle: field('string', 'Job title'),
    lifecycleStage: choice(LIFECYCLE_STAGES, 'Lifecycle stage'),
    emailOptOut: field('boolean', 'Unsubscribed from email'),
    notes: field('string', 'Notes'),
    ...stamps,
  })
  // A contact nobody can reach is not a contact: at least one of email and phone.
  .refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'a contact needs an email or a phone', path: ['email'] })
  .meta({ label: 'Contact', requireOneOf: [['email', 'phone']] });

export const Appointment = z
  .object({
    externalId: field('string', 'External ID'),
    title: requiredField('string', 'Title'),
    description: field('string', 'Description'),
    startsAt: requiredField('datetime', 'Starts at'),
    endsAt: field('datetime', 'Ends at'),
    durationMinutes: field('integer', 'Duration (minutes)'),
    timeZone: field('string', 'Time zone', 'IANA name, e.g. Europe/London'),
    status: choice(APPOINTMENT_STATUSES, 'Status'),
    location: field('string', 'Location'),
    attendees: field('string[]', 'Attendees', 'Email addresses'),
    customerEmail: field('email', 'Customer email'),
    customerExternalId: field('string', 'Customer external ID'),
    staffName: field('string', 'Staff member'),
    serviceName: field('string', 'Service'),
    price: field('number', 'Price'),
    currency: field('string', 'Currency', 'ISO 4217 code, e.g. GBP'),
    ...stamps,
  })
  .meta({ label: 'Appointment' });

export const Deal = z
  .object({
    externalId: field('string', 'External ID'),
    name: requiredField('string', 'Name'),
    amount: field('number', 'Amount'),
    currency: field('string', 'Currency', 'ISO 4217 code, e.g. GBP'),
    stage: field('string', 'Stage', "The provider's pipeline stage"),
    status: choice(DEAL_STATUSES, 'Status'),
    probability: field('number', 'Probability (%)'),
    closeDate: field('date', 'Close date'),
    pipeline: field('string', 'Pipeline'),
    companyExternalId: field('string', 'Company external ID'),
    ...stamps,
  })
  .meta({ label: 'Deal' });

export const Company = z
  .object({
    externalId: field('string', 'External ID'),
    name: requiredField('string', 'Name'),
    domain: field('string', 'Domain'),
    website: field('string', 'Website'),
    phone: field('phone', 'Phone'),
    industry: field('string', 'Industry'),
    employees: field('integer', 'Employees'),
    ...stamps,
  })
  .meta({ label: 'Company' });

/**
 * An email or a chat message (Gmail, Slack, Telegram). `threadExternalId` groups a conversation
 * (a Gmail thread, a Slack thread's parent ts, a Telegram reply chain); `conversation` is where it
 * was posted (a Slack channel, a Telegram chat, a Gmail label is not one: null for email).
 */
export const Message = z
  .object({
    externalId: field('string', 'External ID'),
    channel: choice(MESSAGE_CHANNELS, 'Channel', 'email or chat'),
    threadExternalId: field('string', 'Thread external ID'),
    conversation: field('string', 'Conversation', 'The chat or channel it was posted in'),
    conversationExternalId: field('string', 'Conversation external ID'),
    subject: field('string', 'Subject'),
    text: field('string', 'Text', 'Plain text, or the snippet when the body is fetched on demand'),
    fromName: field('string', 'From (name)'),
    fromAddress: field('string', 'From', 'An email address, or the sender\'s handle or id in a chat'),
    to: field('string[]', 'To'),
    cc: field('string[]', 'Cc'),
    labels: field('string[]', 'Labels'),
    sentAt: requiredField('datetime', 'Sent at'),
    url: field('string', 'Link'),
    ...stamps,
  })
  .meta({ label: 'Message' });

/** A GitHub issue or pull request (or any tracker's ticket). */
export const Issue = z
  .object({
    externalId: field('string', 'External ID'),
    kind: choice(ISSUE_KINDS, 'Kind'),
    number: field('integer', 'Number'),
    title: requiredField('string', 'Title'),
    body: field('string', 'Body'),
    state: choice(ISSUE_STATES, 'State'),
    repository: field('string', 'Repository', 'owner/name'),
    author: field('string', 'Author'),
    assignees: field('string[]', 'Assignees'),
    labels: field('string[]', 'Labels'),
    url: field('string', 'Link'),
    closedAt: field('datetime', 'Closed at'),
    ...stamps,
  })
  .meta({ label: 'Issue' });

export const MODEL_SCHEMAS = { Contact, Appointment, Deal, Company, Message, Issue } as const;
export type ModelName = keyof typeof MODEL_SCHEMAS;
export const MODEL_NAMES = Object.keys(MODEL_SCHEMAS) as [ModelName, ...ModelName[]];

export type ContactRecord = z.infer<typeof Contact>;
export type AppointmentRecord = z.infer<typeof Appointment>;
export type DealRecord = z.infer<typeof Deal>;
export type CompanyRecord = z.infer<typeof Company>;
export type MessageRecord = z.infer<typeof Message>;
export type IssueRecord = z.infer<typeof Issue>;

export interface ModelField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  values?: readonly string[];
  description?: string;
}

export interface ModelDescription {
  name: ModelName;
  label: string;
  fields: ModelField[];
  /** Groups of fields of which at least one must be set. */
  requireOneOf: string[][];
}

function describe(name: ModelName): ModelDescription {
  const schema = MODEL_SCHEMAS[name];
  const modelMeta = (schema.meta() ?? {}) as { label?: string; requireOneOf?: string[][] };
  const fields: ModelField[] = Object.entries(schema.shape).map(([fieldName, fieldSchema]) => {
    const meta = fieldSchema.meta() as unknown as FieldMeta;
    const inner = fieldSchema instanceof z.ZodOptional ? fieldSchema.unwrap() : fieldSchema;
    return {
      name: fieldName,
      label: meta.label,
      type: meta.type,
      required: !(fieldSchema instanceof z.ZodOptional),
      ...(inner instanceof z.ZodEnum ? { values: inner.options as readonly string[] } : {}),
      ...(meta.description ? { description: meta.description } : {}),
    };
  });
  return { name, label: modelMeta.label ?? name, fields, requireOneOf: modelMeta.requireOneOf ?? [] };
}

const DESCRIPTIONS = Object.fromEntries(MODEL_NAMES.map((name) => [name, describe(name)])) as Record<ModelName, ModelDescription>;

/** The models a mapping can target, for the target picker. */
export const TARGET_MODELS: readonly { name: ModelName; label: string }[] = MODEL_NAMES.map((name) => ({ name, label: DESCRIPTIONS[name].label }));

export function isModelName(value: unknown): value is ModelName {
  return typeof value === 'string' && Object.hasOwn(MODEL_SCHEMAS, value);
}

export function describeModel(model: ModelName): ModelDescription {
  return DESCRIPTIONS[model];
}

/** The target fields of a model, in display order. */
export function modelFields(model: ModelName): ModelField[] {
  return DESCRIPTIONS[model].fields;
}

export function modelField(model: ModelName, name: string): ModelField | undefined {
  return DESCRIPTIONS[model].fields.find((f) => f.name === name);
}
