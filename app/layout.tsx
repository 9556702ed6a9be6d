import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { ThemeSync } from '@/components/theme-sync';
import { NONCE_HEADER } from '@/lib/http/security-headers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Integration Hub', template: '%s · Integration Hub' },
  description: 'Connect your business tools, map their fields, and keep the data in sync.',
};

// Sets the theme class before first paint so a dark-mode user never sees a white flash.
const themeScript = `(() => { try {
  const stored = localStorage.getItem('ih-theme');
  const dark = stored ? stored === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.classList.toggle('dark', dark);
} catch {} })();`;

// Reading the request's headers renders every page per request, which a nonce needs: proxy.ts
// makes a new one for each page and allows only scripts that carry it (Next adds it to its own).
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Browsers hide a nonce from the DOM after parsing, so hydration sees it differ. */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-white font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <ThemeSync />
        {children}
      </body>
    </html>
  );
}
