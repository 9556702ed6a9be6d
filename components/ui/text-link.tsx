import Link from 'next/link';
import type { ComponentProps } from 'react';
import { focusRing } from './focus-ring';

export function TextLink({ className = '', ...props }: ComponentProps<typeof Link>) {
  return (
    <Link
      className={`rounded-sm font-medium text-indigo-600 underline-offset-4 hover:underline dark:text-indigo-400 ${focusRing} ${className}`}
      {...props}
    />
  );
}
