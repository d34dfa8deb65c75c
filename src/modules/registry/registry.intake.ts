// The applicant's essentials for a batch of submissions (the intake's group commit): one read for all.
import { type RawBuilder, sql } from 'kysely';
import type { CategoryCode } from './registry.schema.ts';

export interface PersonEssentials {
  id: number;
  district_id: number;
  categories: CategoryCode[];
  disability_group: number | null;
}

/**
 * As personEssentials() for each id, as a part of the batch's one read (platform/db/statement.ts
 * readParts); persons that do not exist are absent from the result.
 */
export function personsEssentialsPart(ids: number[]): RawBuilder<PersonEssentials> {
  return sql<PersonEssentials>`select id, district_id, categories, disability_group
    from persons where id = any(${ids}::bigint[])`;
}
