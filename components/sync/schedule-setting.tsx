'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Select } from '@/components/ui/select';
import { SCHEDULE_OPTIONS } from '@/lib/client/sync';
import type { Connection, ConnectionSchedule } from '@/lib/client/types';
import { useUpdateConnection } from './use-sync-data';

const labelOf = (schedule: ConnectionSchedule) => SCHEDULE_OPTIONS.find((o) => o.value === schedule)?.label ?? schedule;

/** Admins change how often the connection syncs (saved on change); others read it. */
interface ScheduleSettingProps {
  workspaceId: string;
  connection: Connection;
  canManage: boolean;
}

export function ScheduleSetting({ workspaceId, connection, canManage }: ScheduleSettingProps) {
  const update = useUpdateConnection(workspaceId, connection.id);
  const [saved, setSaved] = useState<ConnectionSchedule | null>(null);
  const id = `sync-schedule-${connection.id}`;
  // A newer connection from the server (saved here or elsewhere) replaces what we remembered.
  const [seen, setSeen] = useState(connection.schedule);
  if (seen !== connection.schedule) {
    setSeen(connection.schedule);
    setSaved(null);
  }

  if (!canManage) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300">
        <span className="font-medium text-slate-900 dark:text-slate-100">Schedule:</span> {labelOf(connection.schedule)}
      </p>
    );
  }
  // While saving, show the choice just made rather than the old value.
  const value = update.isPending && update.variables?.schedule ? update.variables.schedule : (saved ?? connection.schedule);

  return (
    <div className="space-y-2">
      <div className="sm:w-60">
        <label htmlFor={id} className="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200">
          Schedule
        </label>
        <Select
          id={id}
          value={value}
          disabled={update.isPending}
          aria-describedby={`${id}-status`}
          onChange={(event) => {
            const schedule = event.target.value as ConnectionSchedule;
            update.mutate({ schedule }, { onSuccess: (data) => setSaved(data.connection.schedule) });
          }}
        >
          {SCHEDULE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </div>
      <p id={`${id}-status`} role="status" className="text-xs text-slate-500 dark:text-slate-400">
        {update.isPending
          ? 'Saving…'
          : update.isSuccess
            ? 'Schedule saved.'
            : value === 'manual'
              ? 'Syncs only when an admin presses Sync now.'
              : 'Syncs on this schedule; Sync now works any time.'}
      </p>
      {update.isError ? <Alert>{update.error.message}</Alert> : null}
    </div>
  );
}
