'use client';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useAuthSubmit } from './use-auth-submit';

/** `next`: where to go once signed in (already checked to be a path on this site). */
export function SignInForm({ next, defaultEmail }: { next?: string; defaultEmail?: string }) {
  const { error, pending, onSubmit } = useAuthSubmit(
    '/api/auth/sign-in',
    (form) => ({
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    }),
    { next },
  );

  // noValidate: the API's sentences are the single source of validation messages.
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert>{error}</Alert> : null}
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="email" required autoFocus defaultValue={defaultEmail} />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        Sign in
      </Button>
    </form>
  );
}
