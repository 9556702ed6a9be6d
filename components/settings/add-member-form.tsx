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
      apiFetch<{ outcome: 'invited'; email: string; role: Role }>(`/api/workspaces/${workspaceId}/members`, {
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
          {`Invited ${add.data.email} as ${add.data.role}. They join once they accept the invitation mailed to that address.`}
        </StatusMessage>
      ) : null}
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Everyone joins through an invitation: it is mailed to the address, and its link lets the person with that
        address, once verified, accept it. Invitation links work for 7 days; Resend mails a new one.
      </p>
    </form>
  );
}
