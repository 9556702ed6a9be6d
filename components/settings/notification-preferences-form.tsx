'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { useNotificationPreferences, useSaveNotificationPreferences } from '@/components/notifications/use-notifications';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import type { PreferencesInput } from '@/lib/client/notifications';

const SEVERITY_OPTIONS: { value: PreferencesInput['minSeverity']; label: string }[] = [
  { value: 'critical', label: 'Critical issues only' },
  { value: 'warning', label: 'Warnings and critical issues' },
  { value: 'info', label: 'Everything, including heads-ups' },
];

const EMAIL_OPTIONS: { value: PreferencesInput['email']; label: string }[] = [
  { value: 'immediately', label: 'Immediately' },
  { value: 'daily_digest', label: 'Daily digest' },
  { value: 'off', label: 'Off (in the app only)' },
];

/** The signed-in member's own notification preferences for this workspace. */
export function NotificationPreferencesForm({ workspaceId }: { workspaceId: string }) {
  const preferences = useNotificationPreferences(workspaceId);
  const save = useSaveNotificationPreferences(workspaceId);
  const [draft, setDraft] = useState<PreferencesInput | null>(null);
  const [saved, setSaved] = useState(false);
  const current = draft ?? (preferences.data ? { minSeverity: preferences.data.minSeverity, email: preferences.data.email } : null);

  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 4000);
    return () => clearTimeout(timer);
  }, [saved]);

  if (preferences.isError) return <Alert>{preferences.error.message}</Alert>;
  if (!current) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading your preferences…</p>;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!current) return;
    setSaved(false);
    save.mutate(current, {
      onSuccess: () => {
        setDraft(null);
        setSaved(true);
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Notify me about"
          htmlFor="notify-min-severity"
          hintId="notify-min-severity-hint"
          hint="Critical: nothing syncs until someone acts. Warning: data is late or partial."
        >
          <Select
            id="notify-min-severity"
            aria-describedby="notify-min-severity-hint"
            value={current.minSeverity}
            onChange={(event) => setDraft({ ...current, minSeverity: event.target.value as PreferencesInput['minSeverity'] })}
          >
            {SEVERITY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label="Email"
          htmlFor="notify-email"
          hintId="notify-email-hint"
          hint={
            preferences.data?.emailVerified === false
              ? 'Your address is not verified yet, so no mail is sent until it is.'
              : 'To the address you sign in with: one mail per issue, or one a day listing what opened.'
          }
        >
          <Select
            id="notify-email"
            aria-describedby="notify-email-hint"
            value={current.email}
            onChange={(event) => setDraft({ ...current, email: event.target.value as PreferencesInput['email'] })}
          >
            {EMAIL_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {save.isError ? <Alert>{save.error.message}</Alert> : null}
      {saved ? <StatusMessage>Notification preferences saved.</StatusMessage> : null}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save preferences'}
      </Button>
    </form>
  );
}
