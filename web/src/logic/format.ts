/** Display formatting shared by the views. Pure: every function takes the clock as an argument. */

export const DASH = '—';

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" without a time. */
export function formatAgo(nowMs: number, tsMs: number | undefined | null): string {
  if (tsMs === undefined || tsMs === null || !Number.isFinite(tsMs)) return 'never';
  const s = Math.max(0, Math.floor((nowMs - tsMs) / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** `2026-12-02 06:04:05` in UTC, so every viewer and every test reads the same text. */
export function formatTime(tsMs: number | undefined | null): string {
  if (tsMs === undefined || tsMs === null || !Number.isFinite(tsMs)) return DASH;
  return `${new Date(tsMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatAngle(angle: number | undefined | null): string {
  return angle === undefined || angle === null ? DASH : `${angle}°`;
}

export function formatNumber(value: number | undefined | null, digits = 0): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return DASH;
  return digits === 0 ? String(Math.round(value)) : value.toFixed(digits);
}

export function formatTemp(celsius: number | undefined | null): string {
  return celsius === undefined || celsius === null ? DASH : `${celsius.toFixed(1)} °C`;
}

export function formatOnline(online: boolean | undefined): string {
  return online === undefined ? 'unknown' : online ? 'online' : 'offline';
}

/** An LCD line as the 16-column display shows it: padded with spaces to its width. */
export function lcdCells(line: string, columns = 16): string {
  return line.padEnd(columns, ' ').slice(0, columns);
}
