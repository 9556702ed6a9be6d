'use client';

import { buttonClasses } from '@/components/ui/button';
import { MoonIcon, SunIcon } from '@/components/ui/icons';
import { toggleTheme } from '@/lib/client/theme';

/** Shows the theme it switches to; CSS picks the icon, so server and client markup always agree. */
export function ThemeToggle() {
  return (
    <button
      type="button"
      aria-label="Toggle theme"
      title="Toggle light/dark theme"
      onClick={() => toggleTheme()}
      className={buttonClasses('ghost', 'icon')}
    >
      <MoonIcon className="size-5 dark:hidden" />
      <SunIcon className="hidden size-5 dark:block" />
    </button>
  );
}
