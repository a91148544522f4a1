/** A metric's duration as the CLI's report and the dashboard both print it: "42 s", "57.5 min", "17.5 h", "3.2 d"; null is "no data". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'no data';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86400)} d`;
}

const round = (value: number) => String(Math.round(value * 10) / 10);
