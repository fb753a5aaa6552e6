// Generates the shared real homes once per test run, before test files run in parallel.
import { realHome, STANDARD_HOME } from './support/real-home.ts';

export default function setup(): void {
  realHome(...STANDARD_HOME);
}
