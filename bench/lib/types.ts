// A benchmark suite measures and reports rows; targets are checked and shown, never asserted in tests.
export interface BenchRow {
  suite: string;
  metric: string;
  value: number;
  unit: string;
  /** The target, as text (e.g. "≤ 1 ms"), and whether the value meets it. */
  target?: string;
  pass?: boolean;
  note?: string;
}

export interface BenchContext {
  /** 'full' runs the sizes the issues name (100k homes…); 'quick' runs small sizes for a smoke check. */
  scale: 'quick' | 'full';
  /** Scratch folder for generated homes and data (cached across runs). */
  workDir: string;
  log(line: string): void;
}

export interface BenchSuite {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
