'use client';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useAuthSubmit } from './use-auth-submit';

export function SignUpForm() {
  const { error, pending, onSubmit } = useAuthSubmit('/api/auth/sign-up', (form) => {
    const displayName = String(form.get('displayName') ?? '').trim();
    return {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      displayName: displayName || undefined,
    };
  });

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
