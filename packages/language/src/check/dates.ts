/** Calendar dates as ISO `YYYY-MM-DD` strings: validation and day steps, no time zones. */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when `raw` is `YYYY-MM-DD` naming a real calendar day (2024-02-29 yes, 2025-02-30 no). */
export function isValidDate(raw: string): boolean {
  const m = DATE_RE.exec(raw);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function parts(date: string): [number, number, number] {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The day after a valid date. */
export function nextDay(date: string): string {
  let [y, m, d] = parts(date);
  d++;
  if (d > daysInMonth(y, m)) {
    d = 1;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return format(y, m, d);
}

/** The day before a valid date. */
export function previousDay(date: string): string {
  let [y, m, d] = parts(date);
  d--;
  if (d < 1) {
    m--;
    if (m < 1) {
      m = 12;
      y--;
    }
    d = daysInMonth(y, m);
  }
  return format(y, m, d);
}
