// What other screens (the overview, the catalog, the connection page) use of health issues.
export { ConnectionIssues } from './connection-issues';
export { HealthBadge, IssueSeverityBadge } from './health-badge';
export { IssueList } from './issue-list';
export { issuesKey, useIssues } from './use-issues';
