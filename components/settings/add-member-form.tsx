'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { apiFetch } from '@/lib/client/api';
import type { Role } from '@/lib/client/types';
import { grantableRoles } from './permissions';
import { useRefreshWorkspaceData } from './use-members';

interface AddMemberInput {
  email: string;
  role: Role;
}

export function AddMemberForm({ workspaceId, myRole }: { workspaceId: string; myRole: Role }) {
  const refresh = useRefreshWorkspaceData(workspaceId);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const add = useMutation({
    mutationFn: (input: AddMemberInput) =>
      apiFetch<{ outcome: 'added' | 'invited' }>(`/api/workspaces/${workspaceId}/members`, {
        method: 'POST',
        body: input,
      }),
    onSuccess: () => setEmail(''),
    onSettled: () => refresh(),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.mutate({ email: email.trim(), role });
  }

  const done = add.isSuccess ? add.variables : null;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-end">
        <Field label="Email address" htmlFor="member-email">
          <Input
            id="member-email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            placeholder="name@company.com"
            required
          />
        </Field>
        <Field label="Role" htmlFor="member-role">
          <Select id="member-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {grantableRoles(myRole)
              .slice()
              .reverse()
              .map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
          </Select>
        </Field>
        <Button type="submit" disabled={add.isPending} aria-busy={add.isPending}>
          Add member
        </Button>
      </div>
      {add.isError ? <Alert>{add.error.message}</Alert> : null}
      {done && add.data ? (
        <StatusMessage>
          {add.data.outcome === 'added'
            ? `Added ${done.email} as ${done.role}.`
            : `Invited ${done.email} as ${done.role}. They join when they sign up with that email.`}
        </StatusMessage>
      ) : null}
      <p className="text-xs text-slate-500 dark:text-slate-400">
        People who already have an account join right away. Anyone else gets a pending invitation that turns into
        membership when they sign up with that email.
      </p>
    </form>
  );
}
