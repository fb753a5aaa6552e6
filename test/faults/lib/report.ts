// One row of the fault suite's table: a class of fault, how many cases ran, what happened, and
// whether anything was lost. Failures carry enough detail to reproduce (the seed is printed too).
export interface FaultRow {
  class: string;
  fault: string;
  cases: number;
  /** What happened, in a few words and figures (e.g. "killed mid-operation 17, finished first 13"). */
  outcome: string;
  /** Cases that lost or damaged something, or that the engine mishandled. */
  failures: number;
  /** Not run here, with the reason (never counted as passing). */
  notApplicable?: string;
  ms: number;
  details?: string[];
}

export interface FaultContext {
  /** Multiplies the case counts (FAULTS_SCALE). */
  scale: number;
  seed: number;
  workDir: string;
  log(line: string): void;
}

export interface FaultClass {
  name: string;
  run(ctx: FaultContext): Promise<FaultRow[]>;
}

/** A seeded PRNG (the demo generator's mulberry32), so a failing run can be replayed with FAULTS_SEED. */
export { prng as rng } from '../../../src/main/engine/demo/generate.ts';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Collects failures for a row: keeps the count and the first few messages. */
export class Tally {
  failures = 0;
  details: string[] = [];
  fail(msg: string): void {
    this.failures++;
    if (this.details.length < 8) this.details.push(msg);
  }
  check(ok: boolean, msg: () => string): void {
    if (!ok) this.fail(msg());
  }
}
