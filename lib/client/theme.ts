// Mirrors the pre-paint script in app/layout.tsx: the `dark` class on <html>, stored as `ih-theme`.
export const THEME_STORAGE_KEY = 'ih-theme';

export function toggleTheme(): 'light' | 'dark' {
  const dark = !document.documentElement.classList.contains('dark');
  document.documentElement.classList.toggle('dark', dark);
  const theme = dark ? 'dark' : 'light';
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Private modes may refuse storage; the class still applies for this page view.
  }
  return theme;
}

/** Same rule as the pre-paint script: the stored choice, else the system's preference. */
export function applyStoredTheme(): void {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    // Storage can be unavailable; fall back to the system preference.
  }
  const dark = stored ? stored === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.classList.toggle('dark', dark);
}
