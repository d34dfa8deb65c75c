// Applies a district scope to any query that has a district column: the one place queries are scoped.
import { type ExpressionBuilder, type ReferenceExpression, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DistrictScope } from './actor.ts';

export function districtFilter<TB extends keyof Database>(
  eb: ExpressionBuilder<Database, TB>,
  column: ReferenceExpression<Database, TB>,
  scope: DistrictScope,
) {
  if (scope.all) return sql<boolean>`true`;
  if (scope.districtIds.length === 0) return sql<boolean>`false`;
  return eb(column, 'in', scope.districtIds);
}
