// Default field mappings for Slack: users onto Contact (Slack's profile carries the email with the
// users:read.email scope), messages onto Message (channel 'chat'; ts is Unix seconds with a
// microsecond fraction, which is also the message's id in its channel and, as thread_ts, its thread).
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  users: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'first-name', target: 'firstName', source: 'profile.first_name', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'profile.last_name', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: { coalesce: ['profile.real_name', 'real_name', 'name'] }, transforms: [{ op: 'trim' }] },
      { id: 'email', target: 'email', source: 'profile.email', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'job-title', target: 'jobTitle', source: 'profile.title', transforms: [{ op: 'trim' }] },
      { id: 'updated-at', target: 'updatedAt', source: 'updated', transforms: [{ op: 'parseDate', format: 'epochSeconds' }] },
    ],
  },
  messages: {
    version: 1,
    model: 'Message',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'ts' },
      { id: 'channel', target: 'channel', source: { const: 'chat' } },
      { id: 'thread', target: 'threadExternalId', source: 'thread_ts' },
            { id: 'conversation-id', target: 'conversationExternalId', source: 'channel' },
      { id: 'text', target: 'text', source: 'text' },
      { id: 'from', target: 'fromAddress', source: { coalesce: ['user', 'bot_id', 'username'] } },
      { id: 'sent-at', target: 'sentAt', source: 'ts', transforms: [{ op: 'parseDate', format: 'epochSeconds' }] },
      { id: 'updated-at', target: 'updatedAt', source: 'edited.ts', transforms: [{ op: 'parseDate', format: 'epochSeconds' }] },
    ],
  },
};
