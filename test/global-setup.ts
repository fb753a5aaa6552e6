// Generates the shared real homes once per test run, before test files run in parallel (the mixed
// home installs older codex versions into .cache/codex-versions the first time: about a minute).
import { MIXED_HOME, realHome, STANDARD_HOME } from './support/real-home.ts';

export default function setup(): void {
  realHome(...STANDARD_HOME);
  realHome(...MIXED_HOME);
}
