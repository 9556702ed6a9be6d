'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { errorMessage } from '@/lib/client/api';
import type { ApiKey } from '@/lib/client/api-keys';
import { formatDateTime, formatRelativeTime } from '@/lib/client/format';
import { useRevokeApiKey } from './use-api-keys';

const th = 'px-4 py-2.5 font-medium whitespace-nowrap';
const muted = 'block text-xs text-slate-500 dark:text-slate-400';

/** Every key, active first: prefix, scopes, created (by whom), last used, and Revoke. */
export function ApiKeysTable({ workspaceId, keys }: { workspaceId: string; keys: ApiKey[] }) {
  const revoke = useRevokeApiKey(workspaceId);
  const [confirming, setConfirming] = useState<ApiKey | null>(null);
  const sorted = [...keys].sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));

  return (
    <div>
      {revoke.isError ? <Alert className="mx-4 my-4 sm:mx-5">{errorMessage(revoke.error)}</Alert> : null}
      <div className="relative overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">API keys</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
            <tr>
              <th scope="col" className={`${th} sm:pl-5`}>
                Key
              </th>
              <th scope="col" className={`${th} hidden sm:table-cell`}>
                Scopes
              </th>
              <th scope="col" className={`${th} hidden md:table-cell`}>
                Created
              </th>
              <th scope="col" className={`${th} hidden sm:table-cell`}>
                Last used
              </th>
              <th scope="col" className={`${th} sm:pr-5`}>
                <span className="sr-only">Revoke</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
            {sorted.map((key) => {
              const revoked = key.revokedAt !== null;
              return (
                <tr key={key.id} className={revoked ? 'text-slate-500 dark:text-slate-400' : ''}>
                  <th scope="row" className="px-4 py-3 text-left font-normal sm:pl-5">
                    <span className="block font-medium break-words text-slate-900 dark:text-slate-100">{key.name}</span>
                    <code className="font-mono text-xs text-slate-600 dark:text-slate-400">{key.prefix}…</code>
                    {revoked ? (
                      <span className="mt-1 block">
                        <Badge tone="danger">Revoked {formatDateTime(key.revokedAt!)}</Badge>
                      </span>
                    ) : null}
                    <span className={`${muted} sm:hidden`}>
                      {key.scopes.join(', ')} · {key.lastUsedAt ? `used ${formatRelativeTime(key.lastUsedAt)}` : 'never used'}
                    </span>
                  </th>
                  <td className="hidden px-4 py-3 sm:table-cell">
                    <ul className="flex flex-wrap gap-1" aria-label={`Scopes of ${key.name}`}>
                      {key.scopes.map((scope) => (
                        <li key={scope}>
                          <Badge tone={scope === 'actions:write' ? 'warning' : 'neutral'}>{scope}</Badge>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="hidden px-4 py-3 md:table-cell">
                    <time dateTime={key.createdAt} className="whitespace-nowrap">
                      {formatDateTime(key.createdAt)}
                    </time>
                    {key.createdByEmail ? <span className={`${muted} break-all`}>by {key.createdByEmail}</span> : null}
                  </td>
                  <td className="hidden px-4 py-3 whitespace-nowrap sm:table-cell">
                    {key.lastUsedAt ? (
                      <time dateTime={key.lastUsedAt} title={formatDateTime(key.lastUsedAt)}>
                        {formatRelativeTime(key.lastUsedAt)}
                      </time>
                    ) : (
                      <span className="text-slate-500 dark:text-slate-400">Never</span>
                    )}
                  </td>
                  <td className="px-4 py-3 text-right sm:pr-5">
                    {revoked ? null : (
                      <Button variant="dangerGhost" size="sm" onClick={() => setConfirming(key)} aria-label={`Revoke ${key.name}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => (open ? undefined : setConfirming(null))}
        title={`Revoke “${confirming?.name ?? ''}”?`}
        description="Requests with this key are refused from now on (401). This cannot be undone; the action log keeps naming the key."
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        onConfirm={() => {
          if (!confirming) return;
          revoke.mutate(confirming.id, { onSettled: () => setConfirming(null) });
        }}
      />
    </div>
  );
}
