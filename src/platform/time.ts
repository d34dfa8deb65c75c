// The region's calendar day. Deadlines and decisions are dated in Volgograd time, whatever the server's zone.
export const REGION_TIME_ZONE = 'Europe/Volgograd';

// Building a DateTimeFormat costs ~0.1 ms; one instance serves every call.
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: REGION_TIME_ZONE });

export function regionToday(now: Date = new Date()): string {
  return DAY.format(now);
}

/**
 * Attending "today" needs a slot a few minutes ahead on the same calendar day in Volgograd; in the
 * last quarter of an hour before midnight there is none, so such a test is skipped then.
 */
export function minutesToRegionMidnight(now = new Date()): number {
  const [h, m] = new Intl.DateTimeFormat('en-GB', {
    timeZone: REGION_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(now)
    .split(':')
    .map(Number);
  return 24 * 60 - ((h ?? 0) * 60 + (m ?? 0));
}
