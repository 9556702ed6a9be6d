'use client';

import { useState } from 'react';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { TextLink } from '@/components/ui/text-link';
import { useAuthSubmit } from './use-auth-submit';

interface SignUpAnswer {
  status: 'verification_sent';
  email: string;
  message: string;
}

/**
 * Sign-up never signs anyone in: it answers "check your email" whether or not the address already
 * had an account. `outbox`: mail is kept in the app's Outbox rather than sent (embedded mode).
 */
export function SignUpForm({ next, outbox }: { next?: string; outbox: boolean }) {
  const [sent, setSent] = useState<SignUpAnswer | null>(null);
  const { error, pending, onSubmit } = useAuthSubmit<SignUpAnswer>(
    '/api/auth/sign-up',
    (form) => {
      const displayName = String(form.get('displayName') ?? '').trim();
      return {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        displayName: displayName || undefined,
      };
    },
    { onSuccess: setSent },
  );

  if (sent) {
    const signIn = `/sign-in?${new URLSearchParams({ email: sent.email, ...(next ? { next } : {}) })}`;
    return (
      <div className="space-y-4">
        <StatusMessage>{sent.message}</StatusMessage>
        {outbox ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No mail server is set up here, so the mail waits in this app&rsquo;s <strong>Outbox</strong>: sign in and
            open it from the notice at the top of the page.
          </p>
        ) : null}
        <p className="text-sm">
          <TextLink href={signIn}>Sign in to continue</TextLink>
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert>{error}</Alert> : null}
      <Field label="Name (optional)" htmlFor="displayName">
        <Input id="displayName" name="displayName" autoComplete="name" maxLength={80} />
      </Field>
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="email" required />
      </Field>
      <Field label="Password" htmlFor="password" hint="At least 10 characters." hintId="password-hint">
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="password-hint"
        />
      </Field>
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        Create account
      </Button>
    </form>
  );
}
