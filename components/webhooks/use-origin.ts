'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => undefined;

/** This app's origin as the browser reached it (empty during server rendering). */
export function useOrigin(): string {
  return useSyncExternalStore(subscribe, () => window.location.origin, () => '');
}
