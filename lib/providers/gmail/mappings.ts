// Default field mappings for Gmail. Records are messages as users.messages.get (format=metadata)
// returns them, plus what the sync adds: `headers` by lower-case name, parsed `from`/`to`/`cc`
// addresses and `labelNames` (resources.ts). internalDate is when Gmail received it, in epoch ms.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  messages: {
    version: 1,
    model: 'Message',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'channel', target: 'channel', source: { const: 'email' } },
      { id: 'thread', target: 'threadExternalId', source: 'threadId' },
      { id: 'subject', target: 'subject', source: 'headers.subject', transforms: [{ op: 'trim' }] },
      { id: 'text', target: 'text', source: 'snippet' },
      { id: 'from-name', target: 'fromName', source: 'from.name', transforms: [{ op: 'trim' }] },
      { id: 'from-address', target: 'fromAddress', source: 'from.address', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'to', target: 'to', source: 'to' },
      { id: 'cc', target: 'cc', source: 'cc' },
      { id: 'labels', target: 'labels', source: 'labelNames' },
      { id: 'sent-at', target: 'sentAt', source: 'internalDate', transforms: [{ op: 'parseDate', format: 'epochMs' }] },
    ],
  },
};
