// Applies an agency event to the registry and starts proactive offers. (Being built.)
import type { Trx } from '../../platform/db/database.ts';
import type { AgencyEvent, AppliedEvent } from './interagency.events.types.ts';

export async function applyAgencyEvent(_trx: Trx, event: AgencyEvent): Promise<AppliedEvent> {
  throw new Error(`agency event ${event.kind}: not handled yet`);
}
