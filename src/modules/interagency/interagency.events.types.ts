// Events other agencies send unasked (SMEV subscriptions): the civil registry's births and deaths, the
// Social Fund's disability decisions. The exchange (interagency.*) parses and validates the XML and
// hands each event, once, to applyAgencyEvent (interagency.events.ts).

/** The agency's own id of the event: applying the same id twice changes nothing the second time. */
interface EventBase {
  eventId: string;
  /** When the agency registered the fact (ISO date). */
  registeredOn: string;
}

export interface BirthEvent extends EventBase {
  kind: 'birth';
  child: {
    snils: string;
    lastName: string;
    firstName: string;
    patronymic: string | null;
    birthDate: string;
    sex: 'M' | 'F';
  };
  motherSnils: string;
  fatherSnils: string | null;
}

export interface DeathEvent extends EventBase {
  kind: 'death';
  snils: string;
  diedOn: string;
}

export interface DisabilityEvent extends EventBase {
  kind: 'disability';
  snils: string;
  /** 1–3, or null when the disability is no longer established. */
  group: 1 | 2 | 3 | null;
  establishedOn: string;
}

export type AgencyEvent = BirthEvent | DeathEvent | DisabilityEvent;

export interface AppliedEvent {
  /** False when this eventId was applied before: nothing changed. */
  applied: boolean;
  /** What changed, for the exchange's log and the staff page (English, one line). */
  summary: string;
}
