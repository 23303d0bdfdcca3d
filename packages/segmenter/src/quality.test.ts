import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './metrics/adjusted-rand.js';
import type { Segmentation } from './model.js';
import { runSegmentation } from './pipeline.js';
import { PERSONA_MODELS, PERSONAS } from './simulate/personas.js';
import { type SimulatedPerson, simulate } from './simulate/simulate.js';
import { createMemorySource } from './testing/memory-source.js';

/** 800 people a seed keep ten seeds affordable on two cores; the bench covers scale. */
const USERS = 800;
const DAYS = 60;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const PLANTED_K = Object.keys(PERSONA_MODELS).length;

interface Score {
  seed: number;
  k: number;
  ari: number;
  named: number;
  botsFlagged: number;
  bots: number;
  humansFlagged: number;
  humans: number;
}

function score(seed: number, people: SimulatedPerson[], result: Segmentation): Score {
  const byKey = new Map(result.profiles.map((p) => [p.key, p]));
  const nameOf = new Map(result.segments.map((s) => [s.id, s.name]));
  const truth: string[] = [];
  const found: string[] = [];
  let named = 0;
  let bots = 0;
  let botsFlagged = 0;
  let humans = 0;
  let humansFlagged = 0;
  for (const person of people) {
    const profile = byKey.get(person.userId ? `u:${person.userId}` : `a:${person.anonymousIds[0]}`);
    if (!profile) continue;
    if (person.persona === 'bot' || person.persona === 'scraper') {
      bots += 1;
      if (profile.anomaly) botsFlagged += 1;
      continue;
    }
    humans += 1;
    if (profile.anomaly) humansFlagged += 1;
    truth.push(person.persona);
    found.push(profile.segmentId ?? 'none');
    if (profile.segmentId && nameOf.get(profile.segmentId) === PERSONAS[person.persona]) named += 1;
  }
  return {
    seed,
    k: result.run.k,
    ari: adjustedRandIndex(truth, found),
    named: named / humans,
    bots,
    botsFlagged,
    humans,
    humansFlagged,
  };
}

describe('segment quality on simulated personas (10 seeds)', () => {
  const scores: Score[] = [];

  it('runs the pipeline on every seed', async () => {
    for (const seed of SEEDS) {
      const sim = simulate({ users: USERS, days: DAYS, seed, botShare: 0.03 });
      const result = await runSegmentation(createMemorySource(sim.events), { seed: 42, asOf: sim.end });
      scores.push(score(seed, sim.people, result));
    }
    console.table(scores);
    expect(scores).toHaveLength(SEEDS.length);
  }, 600_000);

  it('finds the planted number of personas in at least 8 of 10 seeds', () => {
    expect(scores.filter((s) => s.k === PLANTED_K).length).toBeGreaterThanOrEqual(8);
  });

  it('matches the planted personas with an adjusted Rand index of at least 0.8', () => {
    const mean = scores.reduce((a, s) => a + s.ari, 0) / scores.length;
    expect(mean).toBeGreaterThanOrEqual(0.8);
  });

  it('gives at least 80 % of people the name of their persona', () => {
    const mean = scores.reduce((a, s) => a + s.named, 0) / scores.length;
    expect(mean).toBeGreaterThanOrEqual(0.8);
  });

  it('flags the planted bots and few real shoppers', () => {
    const bots = scores.reduce((a, s) => a + s.bots, 0);
    const flagged = scores.reduce((a, s) => a + s.botsFlagged, 0);
    const humans = scores.reduce((a, s) => a + s.humans, 0);
    const falseAlarms = scores.reduce((a, s) => a + s.humansFlagged, 0);
    expect(bots).toBeGreaterThan(0);
    expect(flagged).toBe(bots);
    expect(falseAlarms / humans).toBeLessThan(0.02);
  });
});
