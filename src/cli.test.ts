// The `opora` command against a test database (DATABASE_URL), as an operator would use it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabase } from '../test/support/db.ts';
import { seedSmallRegion } from '../test/support/fixtures.ts';
import { main } from './cli.ts';
import { measureRefs } from './modules/catalog/catalog.service.ts';
import { createAssignment } from './modules/registry/assignments.service.ts';
import { importRules } from './modules/rules/rules.service.ts';
import { UsageError } from './platform/cli/args.ts';
import { AppError } from './platform/errors.ts';

const database = await testDatabase();
await seedSmallRegion(database, 200);
process.env.DATABASE_URL = database.url;
process.env.OPORA_SECRET ??= 'cli-test-secret-cli-test-secret-0123456789';
const { db } = database;
const staffCount = async () =>
  Number(
    (
      await db
        .selectFrom('staff_users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('opora users', () => {
  test('creates a specialist in a district; the creation is audited', async () => {
    const code = await main([
      'users',
      'create',
      '--login',
      'Ivanova',
      '--name',
      'Иванова М. Н.',
      '--role',
      'specialist',
      '--district',
      'volgograd',
      '--password',
      'a long enough password',
    ]);
    assert.equal(code, 0);
    const user = await db
      .selectFrom('staff_users')
      .select(['id', 'login', 'role'])
      .where('login', '=', 'ivanova')
      .executeTakeFirstOrThrow();
    assert.equal(user.role, 'specialist');
    const districts = await db
      .selectFrom('staff_user_districts')
      .select('district_id')
      .where('staff_user_id', '=', user.id)
      .execute();
    assert.equal(districts.length, 1);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', String(user.id))
      .execute();
    assert.deepEqual(audit, [{ action: 'staff.created' }]);
  });

  test('an unknown district is named in the error and nothing is written', async () => {
    const before = await staffCount();
    await assert.rejects(
      main([
        'users',
        'create',
        '--login',
        'petrov',
        '--name',
        'Петров',
        '--role',
        'specialist',
        '--district',
        'volgograd,atlantis',
        '--password',
        'a long enough password',
      ]),
      (error: unknown) =>
        error instanceof AppError && error.code === 'unknown_district' && /atlantis/.test(error.message),
    );
    assert.equal(await staffCount(), before);
  });

  test('a district role without a district, a short password and a taken login are refused', async () => {
    const base = ['users', 'create', '--name', 'X', '--password', 'a long enough password'];
    await assert.rejects(main([...base, '--login', 'nodistrict', '--role', 'specialist']), {
      code: 'district_required',
    });
    await assert.rejects(
      main([
        'users',
        'create',
        '--login',
        'shortpw',
        '--name',
        'X',
        '--role',
        'administrator',
        '--password',
        'short',
      ]),
      { code: 'password_too_short' },
    );
    await assert.rejects(main([...base, '--login', 'ivanova', '--role', 'administrator']), {
      code: 'login_taken',
    });
    await assert.rejects(main(['users', 'create', '--login', 'x']), UsageError);
    await assert.rejects(main(['users', 'create', '--bogus']), UsageError);
  });

  test('audit verify reports an intact chain', async () => {
    assert.equal(await main(['audit', 'verify']), 0);
  });

  test('seeding an already seeded registry without --reset is refused with advice', async () => {
    await assert.rejects(main(['seed', '--persons', '100']), /reset/);
  });
});

describe('opora accrue', () => {
  test('a malformed period is refused; a good one runs and running it again adds nothing', async () => {
    await assert.rejects(main(['accrue', '--period', '2026-13']), UsageError);
    await assert.rejects(main(['accrue']), UsageError);
    await importRules(db);
    const [measure] = await measureRefs(db, { codes: ['HOMEFRONT-EDV'] });
    const person = await db.selectFrom('persons').select('id').limit(1).executeTakeFirstOrThrow();
    await db.transaction().execute((trx) =>
      createAssignment(trx, {
        personId: person.id,
        measureId: measure!.id,
        basis: 'application',
        amount: 1234,
        startDate: '2026-01-01',
        ruleVersionId: null,
        parameters: {},
        actorId: null,
      }),
    );
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('accruals')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal(await main(['accrue', '--period', '2026-11']), 0);
    assert.equal(await count(), 1, 'one accrual for the one monthly assignment');
    assert.equal(await main(['accrue', '--period', '2026-11']), 0);
    assert.equal(await count(), 1, 'running the month again adds nothing');
  });
});
