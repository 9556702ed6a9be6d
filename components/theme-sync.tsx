'use client';

import { useLayoutEffect } from 'react';
import { applyStoredTheme } from '@/lib/client/theme';

/**
 * The <head> script in app/layout.tsx sets the theme before paint on server-rendered pages. When
 * Next renders a page on the client instead (e.g. notFound() thrown from a layout), that script
 * never runs, so this applies the same choice before the browser paints.
 */
export function ThemeSync() {
  useLayoutEffect(applyStoredTheme, []);
  return null;
}
