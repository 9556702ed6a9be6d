// How deliveries that ask for a sync are gathered into few runs (see process.ts).

/** A sync is requested once a connection's deliveries have paused this long… */
export const QUIET_MS = 1_000;
/** …or once the oldest waiting delivery is this old, however busy the stream. */
export const MAX_DEBOUNCE_MS = 20_000;
/** How long an event waits before looking again whether the running sync has ended. */
export const WAIT_FOR_RUN_MS = 2_000;
