// The homes the fault suite runs on: the real codex CLI's multi-version home (legacy and paginated
// rollouts, sub-agents, names, archives), plus agent trees and threads from Spool's generator.
import fs from 'node:fs';
import path from 'node:path';
import { generateAgentTree, generateDemoHome } from '../../../src/main/engine/demo/generate.ts';
import { copyHome, MIXED_HOME, realHome } from '../../support/real-home.ts';
import { writeCraftedShapes } from '../../support/rollout-shapes.ts';

/**
 * A home for mutations: ~360 threads, two agent trees (60 and 40 nodes), legacy and paginated, and
 * four of every rare shape (header-only, unfinished last lines, …) in each collection.
 */
export function mutationHome(into: string, seed: number, demoThreads = 120): string {
  fs.mkdirSync(into, { recursive: true });
  const home = copyHome(realHome(...MIXED_HOME).home, into);
  generateAgentTree({ home, nodes: 60, seed, closedFraction: 0.2, createdMs: Date.UTC(2026, 9, 1) });
  generateAgentTree({ home, nodes: 40, seed: seed + 1, closedFraction: 0, createdMs: Date.UTC(2026, 9, 2) });
  generateDemoHome({
    home,
    threads: demoThreads,
    seed,
    treeFraction: 0.3,
    archivedFraction: 0.2,
    namedFraction: 0.2,
    nowMs: Date.UTC(2026, 9, 10),
    days: 30,
  });
  writeCraftedShapes(home, { copies: 4 });
  writeCraftedShapes(home, { copies: 4, archived: true });
  return home;
}

export const tempIn = (workDir: string, prefix: string): string => fs.mkdtempSync(path.join(workDir, prefix));
