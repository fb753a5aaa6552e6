// A byte count as people read it ("512 B", "1.5 KB", "240 MB"), for every place that shows sizes:
// the renderer's views, the CLI's progress line and the engine's cut-string marker. Pure, so every
// side uses the one definition.

/** Bytes below 1 KiB as they are; above, in binary units up to TB, one decimal below 100. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}
