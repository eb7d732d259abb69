// The launch-plan inputs, as plain types (no runes) so non-component modules and Node tests can use them.
import type { Era, Variant } from '../../../sim/libvirt/index.ts';

export interface PlaygroundInputs {
  xml: string;
  era: Era;
  variant: Variant;
  qemuVersion: string;
}
