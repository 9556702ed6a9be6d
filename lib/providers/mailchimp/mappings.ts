// Default field mappings for Mailchimp: a member is a Contact. Names come from the audience's default
// merge fields FNAME and LNAME (every audience has them unless its owner deleted them); a member who
// unsubscribed or was cleaned (bounced) is opted out of email. Records are members as the API lists
// them, plus list_id.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  members: {
    version: 1,
    model: 'Contact',
    rows: [
      { id: 'external-id', target: 'externalId', source: { concat: ['list_id', 'id'], separator: '/' } },
      { id: 'email', target: 'email', source: 'email_address', transforms: [{ op: 'normaliseEmail' }] },
      { id: 'first-name', target: 'firstName', source: 'merge_fields.FNAME', transforms: [{ op: 'trim' }] },
      { id: 'last-name', target: 'lastName', source: 'merge_fields.LNAME', transforms: [{ op: 'trim' }] },
      { id: 'full-name', target: 'fullName', source: 'full_name', transforms: [{ op: 'trim' }] },
      {
        id: 'email-opt-out',
        target: 'emailOptOut',
        source: 'status',
        transforms: [{ op: 'mapValues', table: { subscribed: false, pending: false, transactional: false, archived: false, unsubscribed: true, cleaned: true } }],
      },
      { id: 'created-at', target: 'createdAt', source: 'timestamp_signup', transforms: [{ op: 'parseDate', format: 'iso' }] },
      { id: 'updated-at', target: 'updatedAt', source: 'last_changed', transforms: [{ op: 'parseDate', format: 'iso' }] },
    ],
  },
};
