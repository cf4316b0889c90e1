/**
 * Agenda time slots: each item gets the meeting's minutes-per-item, in agenda order, from the
 * meeting's start. Wall-clock arithmetic on "HH:MM" (the meeting's local time), pure.
 */
export interface Slot {
  readonly start: string;
  readonly end: string;
  /** true when the slot ends after the meeting's planned end. */
  readonly overrun: boolean;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function minutesOf(time: string): number {
  const m = HHMM.exec(time);
  if (!m) throw new Error(`not a time HH:MM: ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Minutes after midnight → "HH:MM" (past midnight wraps, e.g. 24:10 → 00:10). */
export function timeOf(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export function agendaSlots(startTime: string, minutesPerItem: number, durationMinutes: number, count: number): Slot[] {
  const start = minutesOf(startTime);
  return Array.from({ length: count }, (_, i) => {
    const from = start + i * minutesPerItem;
    const to = from + minutesPerItem;
    return { start: timeOf(from), end: timeOf(to), overrun: to > start + durationMinutes };
  });
}
