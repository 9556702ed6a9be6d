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
