// Demo accessibility audits for `npm start`: accessibility passports of the first few offices (one
// failing, then fixed) and axe scans of a few portal pages, over the last months, recorded through the
// same service the register page uses, so the indicator "offices and pages meeting accessibility
// requirements" has a figure and a trend on the dashboards.
import { sql } from 'kysely';
import { type NewAuditInput, recordAudit } from '../modules/quality/quality.accessibility.ts';
import { listStaffUsers } from '../modules/staff/staff.service.ts';
import type { StaffActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { regionToday } from '../platform/time.ts';

const daysBefore = (today: string, n: number): string => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
};

/** Records the demo audits once (nothing when the register has any); returns how many. */
export async function ensureDemoAccessibilityAudits(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from accessibility_audits`.execute(db);
  if (Number(rows[0]?.n) > 0) return 0;
  const user = (await listStaffUsers(db)).find((u) => u.login === 'analyst');
  if (!user) return 0;
  const analyst: StaffActor = {
    kind: 'staff',
    userId: user.id,
    login: user.login,
    fullName: user.full_name,
    role: user.role,
    districtIds: user.district_ids,
    sessionId: 'demo',
  };
  const offices = await db.selectFrom('offices').select('id').orderBy('id').limit(6).execute();
  const today = regionToday();
  const blank = { office: '', page: '', findings: '' };
  const audits: NewAuditInput[] = [];
  for (const [i, o] of offices.entries()) {
    const passport = `Паспорт доступности объекта № ${101 + i} (приказ Минтруда России № 527н)`;
    // The second office failed (no ramp) and passed again after the works.
    if (i === 1)
      audits.push({
        ...blank,
        kind: 'office',
        office: String(o.id),
        auditedOn: daysBefore(today, 150),
        meets: 'no',
        findings: 'Нет пандуса у входа; нет тактильной разметки у окна приёма',
        source: passport,
      });
    audits.push({
      ...blank,
      kind: 'office',
      office: String(o.id),
      auditedOn: daysBefore(today, i === 1 ? 40 : 120 - i * 10),
      // The fifth office still waits for its lift.
      meets: i === 4 ? 'no' : 'yes',
      findings: i === 4 ? 'Зал приёма на втором этаже, подъёмника нет' : '',
      source: passport,
    });
  }
  for (const [i, path] of ['/', '/measures', '/staff/sign-in'].entries())
    audits.push({
      ...blank,
      kind: 'page',
      page: path,
      auditedOn: daysBefore(today, 60 - i * 7),
      meets: 'yes',
      source: 'Проверка axe (WCAG 2.2 AA) в сборке проекта',
    });
  for (const input of audits) await db.transaction().execute((trx) => recordAudit(trx, analyst, input));
  return audits.length;
}
