/** The budget period of an instant: its calendar month in UTC, "YYYY-MM". */
export function periodOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The first instant of the month after `period`, when its limit resets. */
export function periodEnd(period: string): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1));
}
