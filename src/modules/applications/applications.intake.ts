// Group commit for the one-request submission API. Each request checks and stores its own upload,
// then queues a prepared submission here; one writer loop takes everything queued (up to MAX_BATCH)
// and writes it with writeSubmissions: one read, the batch's small documents appended to a pack with
// one sync, then one statement that writes it all, so the statements, the commit and its WAL fsync
// are shared by the whole batch. While batches are being written the next one gathers, so batches
// grow with the load and a lone request waits for nobody.
// A request is answered only after its batch has committed: an acknowledged submission is durable.
import type { Db } from '../../platform/db/database.ts';
import type { BlobStore } from '../../platform/storage/storage.service.ts';
import {
  type PreparedSubmission,
  type SubmissionResult,
  type WriteTiming,
  writeSubmissions,
} from './applications.service.ts';

const MAX_BATCH = 64;
// Batches in flight at once. Two cut the wait for the batch ahead but made batches smaller and cost
// ~50 % more CPU per submission (measured at concurrency 32: 346/s vs 511/s); CPU is the limit here.
const MAX_WRITERS = 1;

interface Waiting {
  submission: PreparedSubmission;
  queuedAt: number;
  resolve: (r: SubmissionResult) => void;
}

export interface IntakeWriter {
  /** Resolves after the submission has been committed (or with its error). */
  submit(submission: PreparedSubmission): Promise<SubmissionResult>;
}

export function intakeWriter(
  db: Db,
  store: BlobStore,
  maxBatch = MAX_BATCH,
  maxWriters = MAX_WRITERS,
): IntakeWriter {
  const queue: Waiting[] = [];
  let writers = 0;
  let scheduled = false;

  async function writeBatch(batch: Waiting[]): Promise<void> {
    try {
      const started = performance.now();
      const timing: Omit<WriteTiming, 'queue'> = { read: 0, pack: 0, statement: 0 };
      // No transaction: writeSubmissions writes everything in one statement, atomic by itself.
      const results = await writeSubmissions(
        db,
        batch.map((w) => w.submission),
        store,
        timing,
      );
      batch.forEach((w, i) => {
        const result = results[i] ?? { error: new Error('no result') };
        w.resolve(
          'error' in result ? result : { ...result, timing: { queue: started - w.queuedAt, ...timing } },
        );
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.resolve({ error });
        return;
      }
      // One bad submission (or a failure of the database mid-batch) must not fail the others:
      // each is written again on its own, with its own statement and its own outcome.
      for (const w of batch) await writeBatch([w]);
    }
  }

  // Started on the next microtask, so submissions queued in the same tick share a batch.
  function kick(): void {
    if (scheduled || writers >= maxWriters || queue.length === 0) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (writers >= maxWriters || queue.length === 0) return;
      writers++;
      void writeBatch(queue.splice(0, maxBatch)).finally(() => {
        writers--;
        kick();
      });
    });
  }

  return {
    submit(submission) {
      return new Promise<SubmissionResult>((resolve) => {
        queue.push({ submission, queuedAt: performance.now(), resolve });
        kick();
      });
    },
  };
}
