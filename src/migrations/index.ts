// The ordered list of migrations. Add a new file and a line here; never edit a landed migration.
import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_domain_core.ts';

export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_domain_core': m0002,
};
