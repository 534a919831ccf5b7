/** Seconds after midnight → "HH:MM" (past midnight shows "+1d"). */
export function formatClock(s: number): string {
  const day = Math.floor(s / 86400);
  const r = Math.round(s - day * 86400);
  const h = Math.floor(r / 3600);
  const m = Math.floor((r % 3600) / 60);
  const hm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return day > 0 ? `${hm}+${day}d` : hm;
}
