// The analysis pages over HTTP on a fixture of ten complete responses (and one unfinished) to the
// SATISFACTION questionnaire, whose figures are worked out by hand here: frequencies with % and valid %,
// Wilson intervals, multiple response, descriptives, a Likert summary and Cronbach's alpha of the staff
// matrix, a 2 × 2 crosstab with χ² = 3.6, weighting by the sample's strata, group comparisons, the
// exports read back (CSV, XLSX with exceljs, SPSS CSV, codebook, syntax), the PDF report's text, and
// refusals of bad parameters and of staff who are not researchers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { pdfInfo, pdfText } from '../../../test/support/pdf.ts';
import { seedAnalysisFixture } from './fixtures/responses.ts';
import { binsOf } from './surveys.analysis.service.ts';
import { numericColumn } from './surveys.stats.ts';

const { baseUrl, db } = await startTestApp();
const researcherId = await staffUser(db, 'researcher', 'researcher');
const fixture = await seedAnalysisFixture(db, researcherId);
const { alpha: ALPHA, beta: BETA, wave: WAVE, empty: EMPTY, table: TABLE } = fixture;
await staffUser(db, 'specialist', 'specialist', ['alpha']);

// ------------------------------------------------------------------ independent arithmetic

const Z = 1.959963984540054;
function wilson(x: number, n: number): [number, number] {
  const p = x / n;
  const d = 1 + (Z * Z) / n;
  const c = (p + (Z * Z) / (2 * n)) / d;
  const h = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / d;
  return [c - h, c + h];
}
const variance = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};
const ru1 = (v: number) => v.toFixed(1).replace('.', ',');
const ruN = (v: number, d: number) => v.toFixed(d).replace('.', ',');

// ------------------------------------------------------------------ clients

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(response.status, 303, `sign-in of ${login}`);
  return client;
}
const client = await signIn('researcher');
const BASE = `/staff/surveys/waves/${WAVE}`;
const page = async (path: string, headers?: Record<string, string>) => {
  const r = await client.get(path, headers);
  return { status: r.status, body: r.body, text: text(r.body) };
};
const download = async (path: string) =>
  await fetch(`${baseUrl}${path}`, {
    headers: { cookie: `opora_session=${client.cookie('opora_session')}` },
  });
const exportsAudited = async () =>
  (
    await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'survey.responses_exported')
      .where('subject_id', '=', String(WAVE))
      .execute()
  ).map((r) => ({ actor: r.actor_id, format: (r.details as { format: string }).format }));

describe('results by question', () => {
  test('counts, frequencies with % and valid %, Wilson intervals, a chart per question', async () => {
    const r = await page(`${BASE}/results`);
    assert.equal(r.status, 200);
    assert.match(r.text, /Заполненных анкет: 10\. Начатых и не завершённых: 1\./);
    assert.match(r.text, /Показатели не взвешены/);
    // used_online: 5 yes, 5 no of 10; the Wilson interval of 5/10.
    const [lo, hi] = wilson(5, 10);
    assert.match(r.text, new RegExp(`Да 5 50,0 % 50,0 % ${ru1(100 * lo)}–${ru1(100 * hi)}`));
    // overall: one missing, so "4" is 3 of 10 (30 %) and 3 of 9 who answered (33.3 %).
    assert.match(r.text, /Согласен 3 30,0 % 33,3 %/);
    assert.match(r.text, /Ответили 9 90,0 % 100,0 %/);
    assert.match(r.text, /Нет ответа 1 10,0 %/);
    // The Likert summary of overall: mean 33/9, median 4, top-2-box 6/9.
    const [tlo, thi] = wilson(6, 9);
    assert.match(
      r.text,
      new RegExp(
        `В целом я доволен обслуживанием 9 3,67 ${ruN(Math.sqrt(variance([1, 2, 3, 4, 4, 4, 5, 5, 5])), 2)} 4,0 66,7 % ${ru1(100 * tlo)}–${ru1(100 * thi)}`,
      ),
    );
    // A server-rendered SVG with title and description for the question.
    assert.match(r.body, /<svg [^>]*role="img"[^>]*><title id="chart-1-used-online-title">Вы подавали/);
    assert.match(r.body, /<desc id="chart-1-used-online-desc">Чаще всего отвечали/);
  });

  test('multiple response: shares of respondents add to more than 100 %, shares of ticks to 100 %', async () => {
    const r = await page(`${BASE}/results`);
    // 5 answered (those who applied online), 7 ticks: portal 4, mfc 2, phone 1.
    const [lo, hi] = wilson(4, 5);
    assert.equal(`${ru1(100 * lo)}–${ru1(100 * hi)}`, '37,6–96,4');
    assert.match(r.text, /Портал 4 80,0 % 57,1 % 37,6–96,4/);
    assert.match(r.text, /МФЦ 2 40,0 % 28,6 %/);
    assert.match(r.text, /Телефон 1 20,0 % 14,3 %/);
    assert.match(r.text, /Ответили на вопрос 5 Нет ответа 5/);
  });

  test('numeric descriptives and the staff matrix: Likert summaries and Cronbach’s alpha', async () => {
    const r = await page(`${BASE}/results`);
    // age: mean 50.5, median (45 + 52) / 2, min 25, max 80.
    assert.match(r.text, /Ответили 10 Нет ответа 0 Среднее 50,50/);
    assert.match(r.text, /Медиана 48,50/);
    assert.match(r.text, /Минимум 25,00/);
    assert.match(r.text, /Максимум 80,00/);
    const polite = TABLE.map((row) => Number(row[4]));
    const competent = TABLE.map((row) => Number(row[5]));
    const total = polite.map((p, i) => p + competent[i]!);
    const alpha = 2 * (1 - (variance(polite) + variance(competent)) / variance(total));
    assert.match(
      r.text,
      new RegExp(`Альфа Кронбаха шкалы: ${ruN(alpha, 3)} \\(2 утверждения, 10 респондентов`),
    );
    // Polite: 5,4,4,5,3,2,4,2,5,3 → mean 3.70, top two boxes 6 of 10.
    assert.match(r.text, /Вежливы 10 3,70 [\d,]+ 4,0 60,0 %/);
  });

  test('the page is in the page language; forty questions would be paged, eight at a time', async () => {
    const en = await page(`${BASE}/results`, { 'accept-language': 'en' });
    assert.match(en.text, /Have you applied online\?/);
    assert.match(en.text, /Yes 5 50\.0% 50\.0%/);
    // Ten sections (the matrix is one): eight on page 1, two on page 2.
    const first = await page(`${BASE}/results`);
    assert.ok(
      first.body.length < 100_000,
      `a page of eight questions with charts is small (${first.body.length} B)`,
    );
    assert.doesNotMatch(first.body, /id="q-settlement"/);
    assert.match(first.body, /href="\/staff\/surveys\/waves\/\d+\/results\?page=2#q-settlement"/);
    const second = await page(`${BASE}/results?page=2`);
    assert.match(second.body, /id="q-settlement"/);
    assert.match(second.text, /Страница 2 из 2/);
    assert.equal((await page(`${BASE}/results?page=3`)).status, 404);
    assert.equal((await page(`${BASE}/results?page=x`)).status, 404);
  });

  test('a wave without responses says so, and offers no empty background variable', async () => {
    const r = await page(`/staff/surveys/waves/${EMPTY}/results`);
    assert.equal(r.status, 200);
    assert.match(r.text, /Заполненных анкет пока нет/);
    const crosstab = await page(`/staff/surveys/waves/${EMPTY}/crosstab?row=bg:district&col=used_online`);
    assert.equal(crosstab.status, 422);
    assert.match(crosstab.body, /<a href="#row">Такой переменной нет/);
  });

  test('numeric charts: a bar per value when few, else whole-number bins', () => {
    const few = binsOf(numericColumn('n', 'n', [1, 2, 2, null, 3]));
    assert.deepEqual(
      few.map((b) => [b.label, b.count]),
      [
        ['1', 1],
        ['2', 2],
        ['3', 1],
      ],
    );
    const ages = binsOf(
      numericColumn(
        'age',
        'age',
        TABLE.map((r) => r[0]),
      ),
    );
    // 25..80 in bins of 7 years: 25–31 holds 25 and 28; 74–80 holds 80.
    assert.equal(ages.length, 8);
    assert.deepEqual([ages[0]!.label, ages[0]!.count], ['25–31', 2]);
    assert.deepEqual([ages[7]!.label, ages[7]!.count], ['74–80', 1]);
    assert.equal(
      ages.reduce((s, b) => s + b.count, 0),
      10,
    );
  });
});

describe('weighting by stratum', () => {
  test('without a sample, weighting is refused with the reason; a wrong value is an error', async () => {
    const r = await page(`${BASE}/results?weight=stratum`);
    assert.match(r.text, /Взвешивание невозможно: для волны не выбиралась стратифицированная выборка/);
    const bad = await page(`${BASE}/results?weight=heavy`);
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Исправьте ошибки|Выберите взвешивание из списка/);
    assert.match(bad.body, /href="#weight"/);
  });

  test('post-stratified to the invitations by district: alpha ×0.5, beta ×1.5', async () => {
    // A sample stratified by district with 1 invitation in alpha and 3 in beta: target shares ¼ and ¾.
    const sample = await db
      .insertInto('survey_samples')
      .values({
        wave_id: WAVE,
        seed: 1,
        strata: ['district'],
        allocation: 'equal',
        size: 4,
        population: 100,
        frame: '{}',
        created_by: researcherId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, d] of [ALPHA, BETA, BETA, BETA].entries()) {
      const person = await db
        .insertInto('persons')
        .values({
          snils: `1000000000${i}`,
          last_name: 'Тестов',
          first_name: 'Тест',
          birth_date: '1960-01-01',
          sex: 'M',
          district_id: Number(d),
          address: '—',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('survey_invitations')
        .values({
          wave_id: WAVE,
          sample_id: sample.id,
          person_id: person.id,
          strata: JSON.stringify({ district: d }),
          token_sha256: String(i).repeat(64),
        })
        .execute();
    }
    const r = await page(`${BASE}/results?weight=stratum`);
    assert.equal(r.status, 200);
    assert.match(r.text, /Показатели взвешены по стратам выборки \(Район\)/);
    // Kish: n_eff = (Σw)² / Σw² = 10² / (5·0.25 + 5·2.25) = 8.
    assert.match(r.text, /Эффективный объём выборки 8,0, эффект плана 1,25/);
    assert.match(r.text, /Альфинский 1 5 0,500/);
    assert.match(r.text, /Бетинский 3 5 1,500/);
    // used_online yes: 4 in alpha × 0.5 + 1 in beta × 1.5 = 3.5 of 10.
    assert.match(r.text, /Да 3,5 35,0 % 35,0 %/);
    const crosstab = await page(`${BASE}/crosstab?row=bg:district&col=used_online&weight=stratum`);
    assert.match(crosstab.text, /Критерий рассчитан по взвешенным долям/);
  });
});

describe('crosstab', () => {
  test('used online × district: counts, row and column %, χ² = 3.6 with 1 df, V = 0.6', async () => {
    const r = await page(`${BASE}/crosstab?row=used_online&col=district`);
    assert.equal(r.status, 200);
    // [[4, 1], [1, 4]]: every expected count 2.5, χ² = 4 · 1.5² / 2.5 = 3.6, V = √(3.6 / 10).
    assert.match(r.text, /Да 4 80,0 % · 80,0 % 1 20,0 % · 20,0 % 5 50,0 %/);
    assert.match(r.text, /Нет 1 20,0 % · 20,0 % 4 80,0 % · 80,0 % 5 50,0 %/);
    assert.match(r.text, /χ² Пирсона 3,600 Степени свободы 1 p-значение 0,058 V Крамера 0,600/);
    assert.match(r.text, /Респондентов в таблице 10/);
    assert.match(r.text, /p-значение ненадёжно/);
    assert.match(r.body, /<svg [^>]*role="img"/);
  });

  test('a background variable against a question; the first visit shows only the form', async () => {
    const r = await page(`${BASE}/crosstab?row=bg:ageGroup&col=used_online`);
    assert.equal(r.status, 200);
    assert.match(r.text, /Возрастная группа × Вы подавали заявление через интернет\?/);
    assert.match(r.text, /60-74 1 33,3 % · 20,0 % 2 66,7 % · 40,0 % 3 30,0 %/);
    const first = await page(`${BASE}/crosstab`);
    assert.equal(first.status, 200);
    assert.doesNotMatch(first.body, /error-summary/);
    assert.doesNotMatch(first.body, /id="crosstab"/);
  });

  test('unknown or equal variables: an error summary, not an empty table', async () => {
    const r = await page(`${BASE}/crosstab?row=nope&col=age`);
    assert.equal(r.status, 422);
    assert.match(r.body, /class="error-summary"/);
    assert.match(r.body, /<a href="#row">Такой переменной нет/);
    assert.match(r.body, /<a href="#col">Такой переменной нет/);
    assert.doesNotMatch(r.body, /id="crosstab"/);
    const same = await page(`${BASE}/crosstab?row=district&col=district`);
    assert.equal(same.status, 422);
    assert.match(same.text, /Выберите две разные переменные/);
    const empty = await page(`${BASE}/crosstab?row=&col=`);
    assert.match(empty.text, /Выберите переменную строк/);
  });
});

describe('comparison of groups', () => {
  test('district × satisfaction: mean and top-2-box per group, with the χ² of the table', async () => {
    const r = await page(`${BASE}/compare?by=bg:district&question=overall`);
    assert.equal(r.status, 200);
    // alpha: 5,4,4,5,3 → mean 4.2, 4 of 5 in the top two; beta: 2,4,1,5 → mean 3, 2 of 4.
    assert.match(r.text, /Альфинский 5 4,20 [\d,]+ 4,0 80,0 %/);
    assert.match(r.text, /Бетинский 4 3,00 [\d,]+ 3,0 50,0 %/);
    assert.match(r.text, /χ² Пирсона/);
  });

  test('age group × a nominal question shows the distribution; a numeric outcome its means', async () => {
    const nominal = await page(`${BASE}/compare?by=bg:ageGroup&question=used_online`);
    assert.equal(nominal.status, 200);
    assert.match(nominal.text, /Вы подавали заявление через интернет\? по группам «Возрастная группа»/);
    const numeric = await page(`${BASE}/compare?by=used_online&question=age`);
    // yes: 25, 34, 41, 52, 70 → 44.4; no: 63, 28, 45, 67, 80 → 56.6.
    assert.match(numeric.text, /Да 5 44,40/);
    assert.match(numeric.text, /Нет 5 56,60/);
  });

  test('bad choices are errors', async () => {
    const r = await page(`${BASE}/compare?by=nope&question=comment`);
    assert.equal(r.status, 422);
    assert.match(r.body, /<a href="#by">/);
    assert.match(r.body, /<a href="#question">/);
  });
});

describe('exports', () => {
  test('responses as CSV with labels and with codes, audited', async () => {
    const before = (await exportsAudited()).length;
    const labels = await download(`${BASE}/export/responses.csv?values=labels`);
    assert.equal(labels.status, 200);
    assert.equal(labels.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(
      labels.headers.get('content-disposition'),
      `attachment; filename="wave-${WAVE}-responses-labels.csv"`,
    );
    const rows = parse(await labels.text(), { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 10);
    assert.equal(rows[0]!.used_online, 'Да');
    assert.equal(rows[0]!.channels, 'Портал; МФЦ');
    assert.equal(rows[0]!.bg_district, 'Альфинский');
    // A formula typed by a respondent is defused.
    assert.equal(rows[0]!.comment, `'=HYPERLINK("x") быстрее`);
    const codes = await download(`${BASE}/export/responses.csv?values=codes`);
    const coded = parse(await codes.text(), { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(coded[0]!.used_online, 'yes');
    assert.equal(coded[0]!.bg_district, ALPHA);
    // Weighted (the sample drawn above): a weight column, ½ in alpha and 1½ in beta.
    const weighted = await download(`${BASE}/export/responses.csv?values=codes&weight=stratum`);
    const withWeights = parse(await weighted.text(), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    assert.deepEqual(
      withWeights.map((r) => r.weight),
      ['0.5', '0.5', '0.5', '0.5', '0.5', '1.5', '1.5', '1.5', '1.5', '1.5'],
    );
    assert.deepEqual((await exportsAudited()).slice(before), [
      { actor: String(researcherId), format: 'csv' },
      { actor: String(researcherId), format: 'csv' },
      { actor: String(researcherId), format: 'csv' },
    ]);
  });

  test('responses as XLSX read back with exceljs', async () => {
    const response = await download(`${BASE}/export/responses.xlsx?values=labels`);
    assert.equal(response.status, 200);
    assert.equal(
      response.headers.get('content-type'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.match(response.headers.get('content-disposition') ?? '', /wave-\d+-responses-labels\.xlsx/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('Responses')!;
    assert.equal(sheet.rowCount, 11);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const ageCol = header.indexOf('age') + 1;
    assert.equal(sheet.getRow(2).getCell(ageCol).value, 25);
    assert.ok(wb.getWorksheet('Codebook'));
    assert.equal((await exportsAudited()).at(-1)?.format, 'xlsx');
  });

  test('SPSS-friendly CSV, its codebook and syntax', async () => {
    const spss = await download(`${BASE}/export/spss.csv`);
    assert.equal(spss.headers.get('content-type'), 'text/csv; charset=utf-8');
    const rows = parse(await spss.text(), { columns: true }) as Record<string, string>[];
    // Yes/no are coded 1..k in list order; Likert keeps its numeric choice names; ticks are 0/1.
    assert.equal(rows[0]!.used_online, '1');
    assert.equal(rows[4]!.used_online, '2');
    assert.equal(rows[0]!.overall, '5');
    assert.equal(rows[0]!.channels_portal, '1');
    assert.equal(rows[0]!.channels_phone, '0');
    assert.equal(rows[4]!.channels_phone, '');
    assert.equal((await exportsAudited()).at(-1)?.format, 'spss');
    const count = (await exportsAudited()).length;

    const codebook = await download(`${BASE}/export/codebook.csv`);
    assert.match(codebook.headers.get('content-disposition') ?? '', /wave-\d+-codebook\.csv/);
    const entries = parse(await codebook.text(), { bom: true, columns: true }) as Record<string, string>[];
    const online = entries.find((e) => e.variable === 'used_online')!;
    assert.equal(online['value labels'], '1=Да; 2=Нет');
    const syntax = await download(`${BASE}/export/syntax.sps`);
    assert.equal(syntax.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(syntax.headers.get('content-disposition') ?? '', /wave-\d+-spss\.sps/);
    const sps = await syntax.text();
    assert.match(sps, new RegExp(`/FILE='wave-${WAVE}-spss\\.csv'`));
    assert.match(sps, /VALUE LABELS used_online 1 'Да' 2 'Нет'\./);
    // Variables described, no respondent read: not audited.
    assert.equal((await exportsAudited()).length, count);
  });

  test('the PDF report opens and holds the tables and figures', async () => {
    const response = await download(`${BASE}/report.pdf`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.match(response.headers.get('content-disposition') ?? '', /wave-\d+-report\.pdf/);
    const pdf = Buffer.from(await response.arrayBuffer());
    const info = await pdfInfo(pdf);
    assert.equal(info.info.Title, 'Результаты опроса: Ноябрь 2026');
    assert.equal(info.tagged, true);
    const body = await pdfText(pdf);
    assert.match(body, /Заполненных анкет 10/);
    assert.match(body, /Вы подавали заявление через интернет\? \(used_online\)/);
    assert.match(body, /Да 5 50,0 %/);
    assert.match(body, /Согласен 3 33,3 %/);
    assert.match(body, /Портал 4 80,0 % 37,6–96,4/);
    assert.match(body, /Альфа Кронбаха шкалы/);
    assert.match(body, /Медиана: 48,50/);
  });

  test('bad parameters and strangers are refused', async () => {
    assert.equal((await download(`${BASE}/export/responses.csv?values=names`)).status, 400);
    assert.equal((await download(`${BASE}/export/spss.csv?weight=x`)).status, 400);
    assert.equal((await page('/staff/surveys/waves/999999/results')).status, 404);
    const specialist = await signIn('specialist');
    assert.equal((await specialist.get(`${BASE}/results`)).status, 403);
    assert.equal((await specialist.get(`${BASE}/export/responses.csv`)).status, 403);
  });
});
