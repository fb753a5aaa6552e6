// Real homes for the e2e suite, written by the real codex CLI before any spec runs.
import { realHome, STANDARD_HOME } from '../test/support/real-home.ts';

export default function globalSetup(): void {
  realHome(...STANDARD_HOME);
}
