import { adjustedRandIndex } from '../metrics/adjusted-rand.js';
import type { Segmentation } from '../model.js';
import { PERSONAS } from '../simulate/personas.js';
import type { SimulatedPerson } from '../simulate/simulate.js';

/** How a segmentation of simulated people matches their planted personas (bots scored apart). */
export interface PersonaScore {
  k: number;
  /** Adjusted Rand index of segments against personas, over the human shoppers. */
  ari: number;
  /** Share of human shoppers whose segment carries their persona's name. */
  named: number;
  bots: number;
  botsFlagged: number;
  humans: number;
  humansFlagged: number;
}

export function scorePersonas(people: readonly SimulatedPerson[], result: Segmentation): PersonaScore {
  const byKey = new Map(result.profiles.map((p) => [p.key, p]));
  const nameOf = new Map(result.segments.map((s) => [s.id, s.name]));
  const truth: string[] = [];
  const found: string[] = [];
  let named = 0;
  let bots = 0;
  let botsFlagged = 0;
  let humansFlagged = 0;
  for (const person of people) {
    const profile = byKey.get(person.userId ? `u:${person.userId}` : `a:${person.anonymousIds[0]}`);
    if (!profile) continue;
    if (person.persona === 'bot' || person.persona === 'scraper') {
      bots += 1;
      if (profile.anomaly) botsFlagged += 1;
      continue;
    }
    if (profile.anomaly) humansFlagged += 1;
    truth.push(person.persona);
    found.push(profile.segmentId ?? 'none');
    if (profile.segmentId && nameOf.get(profile.segmentId) === PERSONAS[person.persona]) named += 1;
  }
  const humans = truth.length;
  return {
    k: result.run.k,
    ari: adjustedRandIndex(truth, found),
    named: named / humans,
    bots,
    botsFlagged,
    humans,
    humansFlagged,
  };
}
