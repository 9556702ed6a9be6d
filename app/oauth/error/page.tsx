import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { HubLogo } from '@/components/ui/icons';
import { oauthErrorMessage } from '@/lib/client/oauth-errors';

export const metadata: Metadata = { title: 'Could not connect' };

interface OAuthErrorPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Where the OAuth callback sends the browser when it cannot tell which workspace the attempt was for. */
export default async function OAuthErrorPage({ searchParams }: OAuthErrorPageProps) {
  const query = await searchParams;
  const reason = first(query.oauth_error) ?? '';
  const detail = first(query.detail);
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 py-12 dark:bg-slate-950">
      <div className="w-full max-w-md">
        <div className="mb-6 flex flex-col items-center text-center">
          <HubLogo className="size-10" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight text-slate-900 dark:text-slate-50">Could not connect</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Nothing was connected.</p>
        </div>
        <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-6 text-sm shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <p className="text-slate-800 dark:text-slate-200">{oauthErrorMessage(reason)}</p>
          {detail ? (
            <p className="break-words text-slate-600 dark:text-slate-400">
              <span className="font-medium text-slate-700 dark:text-slate-300">Details:</span> {detail}
            </p>
          ) : null}
          <Link href="/" className={buttonClasses('primary', 'md', 'mt-3 w-full')}>
            Back to Integration Hub
          </Link>
        </div>
      </div>
    </main>
  );
}
