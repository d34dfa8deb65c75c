// Printed letters for residents who chose post: every morning, per district, one PDF with a cover
// sheet and one letter per page of everything queued for post, stored in the blob store and recorded
// as a letter batch; the letters' notifications are then 'sent'. Safe to run twice: a district's
// batch of the day exists once, and letters queued after it wait for the next day's batch.
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { type PdfBlock, renderPdf } from '../../platform/pdf/pdf.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import { districtsByIds } from '../geography/geography.service.ts';
import { contactsOf, fullName } from '../registry/registry.service.ts';
import * as repo from './notifications.repository.ts';
import type { Lang, NotificationEvent, Params } from './notifications.schema.ts';
import { render } from './notifications.templates.ts';

export const LETTERS_TASK = 'notifications:letters';

const MINISTRY = 'Министерство социальной защиты населения Волгоградской области';

const WORDS: Record<Lang, { to: string; address: string; dear: (name: string) => string }> = {
  ru: { to: 'Кому', address: 'Адрес', dear: (name) => `Уважаемый(ая) ${name}!` },
  en: { to: 'To', address: 'Address', dear: (name) => `Dear ${name},` },
};

export interface LettersReport {
  batches: Array<{ id: number; districtId: number; letters: number; sha256: string }>;
}

/** Prints the letters queued before `now` into one batch per district for the region's day of `now`. */
export async function printLetters(
  db: Db,
  config: Pick<Config, 'storage'>,
  now: Date = new Date(),
): Promise<LettersReport> {
  const date = regionToday(now);
  const store = blobStore(config);
  const report: LettersReport = { batches: [] };
  const pending = await repo.postRows(db, now);
  const contacts = await contactsOf(
    db,
    pending.map((r) => r.person_id),
  );
  const byDistrict = new Map<number, repo.PostRow[]>();
  for (const row of pending) {
    const districtId = contacts.get(row.person_id)?.district_id;
    if (districtId === undefined) continue;
    byDistrict.set(districtId, [...(byDistrict.get(districtId) ?? []), row]);
  }
  const districts = new Map((await districtsByIds(db, [...byDistrict.keys()])).map((d) => [d.id, d]));
  for (const [districtId, candidates] of byDistrict) {
    const batch = await db.transaction().execute(async (trx) => {
      if (await repo.letterBatchExists(trx, districtId, date)) return undefined; // these go tomorrow
      // Lock them now; a concurrent run (or one that already printed them) leaves none or fewer.
      const locked = new Set(
        await repo.lockPostRowsByIds(
          trx,
          candidates.map((r) => r.id),
        ),
      );
      const rows = candidates.filter((r) => locked.has(r.id));
      if (rows.length === 0) return undefined;
      const messages = new Map(
        (
          await repo.messagesByIds(
            trx,
            rows.map((r) => r.message_id),
          )
        ).map((m) => [m.id, m]),
      );
      const district = districts.get(districtId);
      const blocks: PdfBlock[] = [];
      for (const row of rows) {
        const person = contacts.get(row.person_id)!;
        const message = messages.get(row.message_id)!;
        const lang = row.lang;
        const text = render(message.event as NotificationEvent, message.params as Params, lang);
        const name = fullName(person);
        blocks.push(
          { kind: 'pagebreak' },
          {
            kind: 'fields',
            rows: [
              [WORDS[lang].to, name],
              [WORDS[lang].address, person.address],
            ],
          },
          { kind: 'heading', text: text.subject },
          {
            kind: 'paragraph',
            text: WORDS[lang].dear([person.first_name, person.patronymic].filter(Boolean).join(' ')),
          },
          ...text.body.split(/\n{2,}/).map((p): PdfBlock => ({ kind: 'paragraph', text: p })),
        );
      }
      const pdf = await renderPdf({
        lang: 'ru',
        title: `Письма жителям: ${district?.name_ru ?? districtId}, ${date}`,
        issuer: [MINISTRY, district?.name_ru ?? ''],
        reference: `${rows.length} писем`,
        blocks: [
          {
            kind: 'paragraph',
            text: `Пакет писем для печати и отправки почтой: ${rows.length}. Каждое письмо — на отдельной странице.`,
          },
          ...blocks,
        ],
        footer: 'Содержит персональные данные (152-ФЗ)',
        now,
      });
      const stored = await store.put(pdf);
      const batchId = await repo.insertLetterBatch(trx, {
        districtId,
        date,
        letters: rows.length,
        sha256: stored.sha256,
        size: stored.size,
      });
      if (batchId === undefined) return undefined; // the day's batch exists: these go tomorrow
      await repo.markPrinted(
        trx,
        rows.map((r) => r.id),
        batchId,
        now,
      );
      return { id: batchId, districtId, letters: rows.length, sha256: stored.sha256 };
    });
    if (batch) report.batches.push(batch);
  }
  return report;
}

export const letterBatches = repo.letterBatches;
export const letterBatch = repo.letterBatch;
