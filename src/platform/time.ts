// The region's calendar day. Deadlines and decisions are dated in Volgograd time, whatever the server's zone.
export const REGION_TIME_ZONE = 'Europe/Volgograd';

// Building a DateTimeFormat costs ~0.1 ms; one instance serves every call.
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: REGION_TIME_ZONE });

export function regionToday(now: Date = new Date()): string {
  return DAY.format(now);
}
