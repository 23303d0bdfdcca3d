/** A privacy signal a bridge applied, as it goes into the consent record (`signals` of POST /v1/consent). */
export interface AppliedSignal {
  name: string;
  value: string;
  /** What it changed, in words: "marketing, personalization off because GPC=1". */
  effect?: string;
}

/** Where bridges report what they applied; the banner passes it on to the collector with the next record. */
export type SignalListener = (signal: AppliedSignal) => void;

/** "analytics on, marketing off" for the categories in `changes`. */
export function describeChanges(changes: Readonly<Record<string, boolean | undefined>>): string {
  return Object.entries(changes)
    .filter(([, on]) => on !== undefined)
    .map(([category, on]) => `${category} ${on ? 'on' : 'off'}`)
    .join(', ');
}
