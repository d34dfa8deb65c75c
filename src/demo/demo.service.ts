// Demo mode for `npm start`: a seeded synthetic region and demo accounts whose passwords are
// generated on first start and kept in .data/ (never in the repo), printed at every start.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countAllPersons } from '../modules/registry/registry.service.ts';
import { formatSnils } from '../modules/registry/snils.ts';
import type { StaffRole } from '../modules/staff/staff.schema.ts';
import { createStaffUser } from '../modules/staff/staff.service.ts';
import type { Db } from '../platform/db/database.ts';
import { DEMO_RESIDENTS } from '../seed/seed.service.ts';

export interface DemoCredentials {
  staff: { login: string; password: string; role: StaffRole; fullName: string; districts: string[] }[];
  residents: { snils: string; name: string }[];
  residentPassword: string;
}

const DEMO_STAFF: { login: string; role: StaffRole; fullName: string; districts: string[] }[] = [
  { login: 'admin', role: 'administrator', fullName: 'Администратор системы', districts: [] },
  { login: 'analyst', role: 'ministry_analyst', fullName: 'Петрова Анна Сергеевна', districts: [] },
  { login: 'researcher', role: 'researcher', fullName: 'Соколов Игорь Павлович', districts: [] },
  {
    login: 'head.volgograd',
    role: 'district_head',
    fullName: 'Кузнецова Ольга Викторовна',
    districts: ['volgograd'],
  },
  {
    login: 'spec.volgograd',
    role: 'specialist',
    fullName: 'Иванова Мария Николаевна',
    districts: ['volgograd'],
  },
];

const password = () => randomBytes(9).toString('base64url');

function credentialsFile(dataDir: string): string {
  return join(dataDir, 'demo-credentials.json');
}

export function readDemoCredentials(dataDir: string): DemoCredentials | undefined {
  const file = credentialsFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials) : undefined;
}

/** Creates the demo accounts once; the resident simulator password comes from the same file. */
export async function ensureDemoAccounts(db: Db, dataDir: string): Promise<DemoCredentials> {
  const existing = readDemoCredentials(dataDir);
  if (existing) return existing;
  const staff = [];
  for (const user of DEMO_STAFF) {
    const pw = `demo-${password()}`;
    await createStaffUser(db, { ...user, password: pw, districtCodes: user.districts });
    staff.push({ ...user, password: pw });
  }
  const credentials: DemoCredentials = {
    staff,
    residents: DEMO_RESIDENTS.map((r) => ({
      snils: r.snils,
      name: `${r.last_name} ${r.first_name} ${r.patronymic ?? ''}`.trim(),
    })),
    residentPassword: `demo-${password()}`,
  };
  writeFileSync(credentialsFile(dataDir), JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

export async function registryIsEmpty(db: Db): Promise<boolean> {
  return (await countAllPersons(db)) === 0;
}

export function describeCredentials(c: DemoCredentials, portalUrl: string): string {
  const lines = [
    '',
    `Opora is running: ${portalUrl}`,
    `  Staff workspace: ${portalUrl}/staff/sign-in`,
    '  Staff accounts (login / password — role):',
    ...c.staff.map(
      (s) =>
        `    ${s.login.padEnd(16)} ${s.password.padEnd(20)} ${s.role}${s.districts.length ? ` (${s.districts.join(', ')})` : ''}`,
    ),
    `  Residents sign in through the Gosuslugi (ESIA) simulator: ${portalUrl}/sign-in`,
    `    password for every demo resident: ${c.residentPassword}`,
    ...c.residents.map((r) => `    SNILS ${formatSnils(r.snils)}  ${r.name}`),
    '  (Credentials are kept in .data/demo-credentials.json; delete .data/ to start afresh.)',
    '',
  ];
  return lines.join('\n');
}
