'use client';

import { CopyButton } from './copy-button';

/** A webhook URL to paste into a provider's dashboard. */
export function EndpointUrl({ url, label }: { url: string; label: string }) {
  return (
    <span className="flex min-w-0 items-center gap-1">
      <code className="min-w-0 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all text-slate-800 dark:bg-slate-800 dark:text-slate-200">
        {url}
      </code>
      <CopyButton value={url} label={`Copy the ${label}`} />
    </span>
  );
}
