// Durations as people read them, the same in the terminal and the web app.

const DAY_MS = 86_400_000;

/** A duration in ms, readably: 850 ms, 12.3 s, 4.5 min, 2.1 h, 1.5 d; '–' when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < DAY_MS) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / DAY_MS).toFixed(1)} d`;
}
