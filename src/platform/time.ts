// The region's calendar day. Deadlines and decisions are dated in Volgograd time, whatever the server's zone.
export const REGION_TIME_ZONE = 'Europe/Volgograd';

export function regionToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: REGION_TIME_ZONE }).format(now);
}
