import { describe, expect, it } from 'vitest';
import { runSegmentation } from './pipeline.js';
import { PERSONA_MODELS } from './simulate/personas.js';
import { simulate } from './simulate/simulate.js';
import { createMemorySource } from './testing/memory-source.js';
import { type PersonaScore, scorePersonas } from './testing/persona-score.js';

/** 800 people a seed keep ten seeds affordable on two cores; the bench covers scale. */
const USERS = 800;
const DAYS = 60;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const PLANTED_K = Object.keys(PERSONA_MODELS).length;

type Score = PersonaScore & { seed: number };

describe('segment quality on simulated personas (10 seeds)', () => {
  const scores: Score[] = [];

  it('runs the pipeline on every seed', async () => {
    for (const seed of SEEDS) {
      const sim = simulate({ users: USERS, days: DAYS, seed, botShare: 0.03 });
      const result = await runSegmentation(createMemorySource(sim.events), { seed: 42, asOf: sim.end });
      scores.push({ seed, ...scorePersonas(sim.people, result) });
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
