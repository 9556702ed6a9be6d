import { Badge } from '@/components/ui/badge';
import { formatDateTime } from '@/lib/client/format';
import type { WebhookSetup } from '@/lib/client/webhooks';

const TONES = { active: 'success', stopped: 'neutral', failed: 'danger' } as const;

/** Push channels and watches: what each watches (a calendar, a mailbox…), until when, and what went wrong. */
export function ChannelsList({ channels }: { channels: WebhookSetup['channels'] }) {
  if (channels.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No push channels yet.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Push channels</caption>
        <thead className="text-left text-xs tracking-wide text-slate-500 uppercase dark:text-slate-400">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Watching</th>
            <th scope="col" className="py-2 pr-4 font-medium">Status</th>
            <th scope="col" className="py-2 pr-4 font-medium">Expires</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {channels.map((channel) => (
            <tr key={channel.id}>
              <th scope="row" className="py-2 pr-4 text-left font-normal">
                <span className="break-all text-slate-900 dark:text-slate-100">{channel.target}</span>
                {channel.error ? <span className="block text-xs text-red-700 dark:text-red-400">{channel.error}</span> : null}
              </th>
              <td className="py-2 pr-4">
                <Badge tone={TONES[channel.status]}>{channel.status === 'active' ? 'Active' : channel.status === 'stopped' ? 'Stopped' : 'Failed'}</Badge>
              </td>
              <td className="py-2 pr-4 whitespace-nowrap text-slate-700 dark:text-slate-300">
                {channel.status === 'active' && channel.expiresAt ? (
                  <time dateTime={channel.expiresAt}>{formatDateTime(channel.expiresAt)}</time>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
