// The EGISSO page in Chromium: from the staff home to the page, "export now", the export page
// refreshing itself until the job is done, the counts, the package downloaded and valid against the
// schema, the rejected records and their CSV — every page scanned by axe.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { createAssignment } from '../registry/assignments.service.ts';
import { egissoSchema } from './egisso.format.ts';
import { egissoTasks } from './egisso.tasks.ts';

const { baseUrl, db, database, config } = await startTestApp();
await seedSmallRegion(database, 60);
await staffUser(db, 'analyst', 'ministry_analyst');
const helpers = { logger: { info() {}, warn() {}, error() {}, debug() {} } } as never;
const tasks = egissoTasks(db, config);
const browser = await launchBrowser();

const [edv] = await measureRefs(db, { codes: ['VETERAN-EDV'] });
const persons = await db.selectFrom('persons').select(['id', 'snils']).orderBy('id').limit(4).execute();
for (const [i, p] of persons.entries()) {
  await db.transaction().execute((trx) =>
    createAssignment(trx, {
      personId: p.id,
      measureId: edv!.id,
      basis: 'application',
      amount: i === 3 ? 0 : 1500, // the last is rejected: a cash measure without an amount
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      ruleVersionId: null,
      parameters: {},
      actorId: null,
    }),
  );
}

describe('the EGISSO page in Chromium', () => {
  test('an analyst exports, sees the counts, downloads the package and reads the rejections', async () => {
    // CSP is bypassed only so that axe can be injected.
    const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/staff/sign-in`);
    await page.fill('#login', 'analyst');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Выгрузка в ЕГИССО' }).click();
    await page.getByRole('heading', { name: 'Выгрузка в ЕГИССО', level: 1 }).waitFor();
    await assertAccessible(page);

    // The queued export's page reloads itself; held still while axe scans it.
    await page.route('**/assets/egisso-progress.js', (route) => route.abort());
    await page.getByRole('button', { name: 'Выгрузить сейчас' }).click();
    await page.getByRole('status').getByText('в очереди', { exact: true }).waitFor();
    await assertAccessible(page);
    const exportId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.unroute('**/assets/egisso-progress.js');
    await page.reload();

    await tasks['egisso:export']!({ exportId }, helpers);
    // No reload from the test: the page's own refresh shows the result.
    await page.getByRole('status').getByText('завершена', { exact: true }).waitFor({ timeout: 15_000 });
    await assertAccessible(page);
    const counts = await page.locator('.summary-list').innerText();
    assert.match(counts, /Новые\s+3/);
    assert.match(counts, /Отклонены\s+1/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('link', { name: /Скачать пакет/ })
        .first()
        .click(),
    ]);
    assert.match(download.suggestedFilename(), new RegExp(`^egisso-facts-${exportId}-.+\\.xml$`));
    const xml = await readFile((await download.path())!, 'utf8');
    assert.deepEqual(egissoSchema().validate(xml), [], 'the downloaded package validates');
    assert.ok(persons.slice(0, 3).some((p) => xml.includes(p.snils)));
    assert.ok(!xml.includes(persons[3]!.snils), 'the rejected record is not in it');

    await page.getByRole('link', { name: 'Отклонённые записи' }).click();
    await page.getByRole('cell', { name: /Для денежной меры не указан размер/ }).waitFor();
    await assertAccessible(page);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Скачать все отклонённые записи (CSV)' }).click(),
    ]);
    assert.match(await readFile((await csv.path())!, 'utf8'), new RegExp(persons[3]!.snils));

    // Back on the overview: the export is listed with its package.
    await page.getByRole('link', { name: 'Выгрузка в ЕГИССО' }).first().click();
    await page.getByRole('link', { name: `Выгрузка № ${exportId}` }).waitFor();
    await assertAccessible(page);
    await context.close();
  });
});
