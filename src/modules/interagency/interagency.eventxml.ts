// Agency events as XML (schemas/events.xsd): built by the simulator, read by Opora's poll. The types
// are interagency.events.types.ts; applying an event is interagency.events.ts.
import { xmlEscape } from '../../platform/xml/xml.ts';
import type { AgencyEvent } from './interagency.events.types.ts';
import { EVENTS_NS, eventsSchema, type Node, ProtocolError, readValid } from './interagency.protocol.ts';

const e = (name: string, v: string | number | null | undefined) =>
  v === null || v === undefined ? '' : `<${name}>${xmlEscape(v)}</${name}>`;

export function buildEventXml(ev: AgencyEvent): string {
  const head = `${e('EventID', ev.eventId)}${e('RegisteredOn', ev.registeredOn)}`;
  if (ev.kind === 'birth') {
    const c = ev.child;
    return (
      `<Birth xmlns="${EVENTS_NS}">${head}<Child>${e('Snils', c.snils)}${e('LastName', c.lastName)}` +
      `${e('FirstName', c.firstName)}${e('Patronymic', c.patronymic)}${e('BirthDate', c.birthDate)}${e('Sex', c.sex)}</Child>` +
      `${e('MotherSnils', ev.motherSnils)}${e('FatherSnils', ev.fatherSnils)}</Birth>`
    );
  }
  if (ev.kind === 'death')
    return `<Death xmlns="${EVENTS_NS}">${head}${e('Snils', ev.snils)}${e('DiedOn', ev.diedOn)}</Death>`;
  return `<Disability xmlns="${EVENTS_NS}">${head}${e('Snils', ev.snils)}${e('Group', ev.group)}${e('EstablishedOn', ev.establishedOn)}</Disability>`;
}

/** The agency that sends each kind of event. */
export const senderOfEvent = (ev: AgencyEvent) => (ev.kind === 'disability' ? 'SFR' : 'ZAGS');

export function parseEventXml(xml: string): AgencyEvent {
  return readValid(eventsSchema(), xml, (root: Node): AgencyEvent => {
    if (root.ns !== EVENTS_NS)
      throw new ProtocolError('SCHEMA_INVALID', `unknown event namespace ${root.ns}`);
    const base = { eventId: root.text('EventID'), registeredOn: root.text('RegisteredOn') };
    if (root.name === 'Birth') {
      const c = root.child('Child');
      if (!c) throw new ProtocolError('SCHEMA_INVALID', 'Birth without Child');
      return {
        kind: 'birth',
        ...base,
        child: {
          snils: c.text('Snils'),
          lastName: c.text('LastName'),
          firstName: c.text('FirstName'),
          patronymic: c.opt('Patronymic') ?? null,
          birthDate: c.text('BirthDate'),
          sex: c.text('Sex') as 'M' | 'F',
        },
        motherSnils: root.text('MotherSnils'),
        fatherSnils: root.opt('FatherSnils') ?? null,
      };
    }
    if (root.name === 'Death')
      return { kind: 'death', ...base, snils: root.text('Snils'), diedOn: root.text('DiedOn') };
    if (root.name === 'Disability') {
      const g = root.opt('Group');
      return {
        kind: 'disability',
        ...base,
        snils: root.text('Snils'),
        group: g ? (Number(g) as 1 | 2 | 3) : null,
        establishedOn: root.text('EstablishedOn'),
      };
    }
    throw new ProtocolError('SCHEMA_INVALID', `unknown event ${root.name}`);
  });
}
