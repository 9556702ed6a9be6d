// Default field mappings for GitHub. Issues and pull requests (GitHub's issues listing holds both;
// a pull request carries `pull_request`) map onto Issue. Commits map onto Message: a commit is an
// authored, timestamped text (its message) posted to a conversation (its repository), which is
// what the Message entity holds; keeping them raw would leave the records browser nothing to show.
import type { MappingDefinition } from '../../mapping/language';

export const defaultMappings: Record<string, MappingDefinition> = {
  repositories: {
    version: 1,
    model: 'Company',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      { id: 'name', target: 'name', source: 'full_name', transforms: [{ op: 'trim' }] },
      { id: 'website', target: 'website', source: 'html_url' },
      { id: 'created-at', target: 'createdAt', source: 'created_at' },
      { id: 'updated-at', target: 'updatedAt', source: 'updated_at' },
    ],
  },
  issues: {
    version: 1,
    model: 'Issue',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'id' },
      // Present only on pull requests: any value there means "pull request".
      { id: 'kind', target: 'kind', source: 'pull_request.url', transforms: [{ op: 'mapValues', table: {}, fallback: 'pull_request' }], default: 'issue' },
      { id: 'number', target: 'number', source: 'number' },
      { id: 'title', target: 'title', source: 'title', transforms: [{ op: 'trim' }], default: '(untitled)' },
      { id: 'body', target: 'body', source: 'body' },
      {
        id: 'state',
        target: 'state',
        source: { coalesce: ['pull_request.merged_at', 'state'] },
        // A merged pull request's merged_at (a time) comes first: anything but open/closed is "merged".
        transforms: [{ op: 'mapValues', table: { open: 'open', closed: 'closed' }, fallback: 'merged' }],
      },
      {
        id: 'repository',
        target: 'repository',
        source: 'repository_url',
        transforms: [{ op: 'replace', find: '^https://api\\.github\\.com/repos/', with: '', regex: true }],
      },
      { id: 'author', target: 'author', source: 'user.login' },
      { id: 'assignees', target: 'assignees', source: 'assignees', transforms: [{ op: 'pluck', path: 'login' }] },
      { id: 'labels', target: 'labels', source: 'labels', transforms: [{ op: 'pluck', path: 'name' }] },
      { id: 'url', target: 'url', source: 'html_url' },
      { id: 'closed-at', target: 'closedAt', source: 'closed_at' },
      { id: 'created-at', target: 'createdAt', source: 'created_at' },
      { id: 'updated-at', target: 'updatedAt', source: 'updated_at' },
    ],
  },
  commits: {
    version: 1,
    model: 'Message',
    rows: [
      { id: 'external-id', target: 'externalId', source: 'sha' },
      { id: 'channel', target: 'channel', source: 'channel', default: 'chat' },
      { id: 'conversation', target: 'conversation', source: 'repository' },
      { id: 'text', target: 'text', source: 'commit.message' },
      { id: 'from-name', target: 'fromName', source: 'commit.author.name', transforms: [{ op: 'trim' }] },
      { id: 'from-address', target: 'fromAddress', source: { coalesce: ['author.login', 'commit.author.email'] } },
      { id: 'sent-at', target: 'sentAt', source: { coalesce: ['commit.committer.date', 'commit.author.date'] } },
      { id: 'url', target: 'url', source: 'html_url' },
    ],
  },
};
