// Shared by the step argument editors (step-args.tsx and special-args.tsx) and the row editor.
import type { SourceFieldInfo } from '@/lib/client/mapping';

export type LooseStep = Record<string, unknown>;

export interface ArgContext {
  fields: readonly SourceFieldInfo[];
  sampleSize: number;
  /** The target field's allowed values, offered for lookup results and defaults. */
  targetValues?: readonly string[];
}
