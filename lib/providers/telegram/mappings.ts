// Default field mapping for Telegram messages onto Message (channel 'chat'). `date` and `edit_date`
// are Unix seconds; a reply names its parent in reply_to_message, a forum topic in message_thread_id.
// Chats are stored raw: a chat is no model entity (a private chat is a person without an email or
// phone, which a Contact needs), so it has no default mapping; an admin may add one.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  messages: {
    version: 1,
    model: 'Message',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'message_id' },
      { id: 'channel', target: 'channel', source: { const: 'chat' } },
      { id: 'thread', target: 'threadExternalId', source: { coalesce: ['message_thread_id', 'reply_to_message.message_id'] } },
      { id: 'conversation', target: 'conversation', source: { coalesce: ['chat.title', 'chat.username', 'chat.first_name'] } },
      { id: 'conversation-id', target: 'conversationExternalId', source: 'chat.id' },
      { id: 'text', target: 'text', source: { coalesce: ['text', 'caption'] } },
      { id: 'from-name', target: 'fromName', source: { concat: ['from.first_name', 'from.last_name'] }, transforms: [{ op: 'trim' }] },
      { id: 'from', target: 'fromAddress', source: { coalesce: ['from.username', 'from.id', 'sender_chat.title'] } },
      { id: 'sent-at', target: 'sentAt', source: 'date', transforms: [{ op: 'parseDate', format: 'epochSeconds' }] },
      { id: 'updated-at', target: 'updatedAt', source: 'edit_date', transforms: [{ op: 'parseDate', format: 'epochSeconds' }] },
    ],
  },
};
