// "Deliveries are waiting": the nudge emitters give the senders. The job module
// (lib/jobs/outbound.ts) installs what a nudge does (dispatch a delivery job) when the server
// starts; until then, or in tests that drive deliveries themselves, a nudge does nothing and the
// sweeper finds the rows. Kept free of imports so emitters anywhere can nudge without an import
// cycle back through the senders (which raise health issues, which emit events).
export interface KickOptions {
  /** The deliveries were written in a transaction that has not committed yet. */
  uncommitted: boolean;
}

type Kick = (options: KickOptions) => void;

const kickKey = Symbol.for('integration-hub.outbound-kick');
type Holder = { [kickKey]?: Kick };

export function installOutboundKick(kick: Kick | undefined): void {
  (globalThis as Holder)[kickKey] = kick;
}

export function kickOutbound(options: KickOptions): void {
  (globalThis as Holder)[kickKey]?.(options);
}
