import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ThemeSync } from '@/components/theme-sync';
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

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-white font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <ThemeSync />
        {children}
      </body>
    </html>
  );
}
