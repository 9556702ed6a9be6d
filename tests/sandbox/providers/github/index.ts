// GitHub in the sandbox: OAuth at github.com (an expiring, rotating GitHub App user token for the
// first account, a never-expiring OAuth App token for the second), GET /user, the repositories,
// issues (pull requests included) and commits at api.github.com with Link paging, `since`, ETags and
// 304s, x-ratelimit-* headers and secondary-limit 403s with Retry-After, the issue and comment
// writes, pull request listings, and repository webhooks whose deliveries GitHub's own library signs.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { githubDataRoutes, githubSpecs } from './data';
import { commitsClient, issuesClient, repositoriesClient } from './listing';
import { githubOauthRoutes } from './oauth';
import { hookRoutes, webhooks } from './webhooks';
import { githubWriteRoutes } from './writes';

export const github = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['repo', 'read:user'], rotatesRefreshTokens: true },
  routes: [...githubOauthRoutes, ...githubDataRoutes, ...githubWriteRoutes, ...hookRoutes],
  datasets: {
    repositories: { spec: githubSpecs.repositories, deletions: 'vanish', client: repositoriesClient },
    issues: { spec: githubSpecs.issues, deletions: 'status', client: issuesClient },
    commits: { spec: githubSpecs.commits, deletions: 'vanish', client: commitsClient },
  },
  // Counted in stats.dataRequests and open to page faults besides the datasets.
  endpoints: ['pulls'],
  webhooks,
});
