// Remembers the last workspace opened so `/` can send the person back to it.
export const LAST_WORKSPACE_COOKIE = 'ih_last_workspace';

const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

export function rememberWorkspace(workspaceId: string): void {
  document.cookie = `${LAST_WORKSPACE_COOKIE}=${encodeURIComponent(workspaceId)}; path=/; max-age=${ONE_YEAR_SECONDS}; SameSite=Lax`;
}
