// Small blobs appended to pack files on local disk: <dir>/packs/<name>, one file per process at a
// time. A batch of blobs costs one write and one fdatasync, where a blob of its own costs a file,
// two fsyncs and a rename (storage.local.ts), and a blob kept in PostgreSQL is written twice, to WAL
// and to its table, which at the intake's peak made the disk the slowest 1 %'s wait
// (docs/performance.md, Intake, sixth session). Where each blob is (pack, offset, length) is kept by
// the caller, in PostgreSQL with the rows that name it (storage.inline.ts); a pack holds no index.
//
// Crash safety: a blob's location is handed out only after its bytes are synced, and a pack is only
// ever appended to by the process that made it. A crash mid-write leaves a torn tail that nothing
// names; the next process starts a pack of its own. Reads check the bytes against their SHA-256.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { syncDirectory } from './storage.local.ts';

export interface PackedLocation {
  pack: string;
  offset: number;
  length: number;
}

export interface Packs {
  /** Appends the blobs and syncs them: durable when it resolves. Locations in the order given. */
  append(blobs: readonly Buffer[]): Promise<PackedLocation[]>;
  /** The bytes at a location; undefined if there is no such pack or it is shorter. */
  read(at: PackedLocation): Promise<Buffer | undefined>;
}

export const PACK_NAME = /^[0-9a-z-]{1,64}$/;
/** A pack is closed and a new one started past this size, so no file grows without end. */
const PACK_LIMIT_BYTES = 256 * 1024 * 1024;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export function localPacks(dir: string, limitBytes = PACK_LIMIT_BYTES): Packs {
  const folder = join(resolve(dir), 'packs');
  // The pack being filled. Opened for each append, so no descriptor outlives a batch (a store may
  // be dropped at any time, and an open() is nothing beside the fdatasync).
  let current: { name: string; size: number } | undefined;
  // Appends run one at a time: each needs the end the previous one left.
  let queue: Promise<unknown> = Promise.resolve();

  async function appendNow(blobs: readonly Buffer[]): Promise<PackedLocation[]> {
    if (current && current.size >= limitBytes) current = undefined;
    const isNew = current === undefined;
    const made = isNew ? await mkdir(folder, { recursive: true, mode: 0o700 }) : undefined;
    const pack = current ?? {
      name: `${Date.now().toString(36)}-${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`,
      size: 0,
    };
    current = pack;
    const total = blobs.reduce((sum, b) => sum + b.length, 0);
    let file: FileHandle | undefined;
    try {
      file = await open(join(folder, pack.name), isNew ? 'wx' : 'r+', 0o600);
      let written = 0;
      // writev may write less than asked (a signal, a full disk): go on from where it stopped.
      while (written < total) {
        const { bytesWritten } = await file.writev(remaining(blobs, written), pack.size + written);
        if (bytesWritten === 0) throw new Error('the pack file took no bytes');
        written += bytesWritten;
      }
      await file.datasync();
      // A new pack's name must survive a crash too, before any place in it is handed out.
      if (isNew) {
        await syncDirectory(folder);
        // Folders made just now: each one's name lives in its parent.
        if (made)
          for (let d = folder; d !== dirname(made); ) {
            d = dirname(d);
            await syncDirectory(d);
          }
      }
    } catch (error) {
      // What this pack's tail holds is unknown now: nothing more goes into it.
      current = undefined;
      throw error;
    } finally {
      await file?.close();
    }
    let offset = pack.size;
    pack.size += total;
    return blobs.map((b) => {
      const at = { pack: pack.name, offset, length: b.length };
      offset += b.length;
      return at;
    });
  }

  return {
    append(blobs) {
      if (blobs.length === 0) return Promise.resolve([]);
      const done = queue.then(() => appendNow(blobs));
      queue = done.catch(() => {});
      return done;
    },

    async read(at) {
      if (!PACK_NAME.test(at.pack)) return undefined;
      let file: FileHandle;
      try {
        file = await open(join(folder, at.pack), 'r');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      try {
        const bytes = Buffer.allocUnsafe(at.length);
        let got = 0;
        while (got < at.length) {
          const { bytesRead } = await file.read(bytes, got, at.length - got, at.offset + got);
          if (bytesRead === 0) return undefined;
          got += bytesRead;
        }
        return bytes;
      } finally {
        await file.close();
      }
    },
  };
}

/** The blobs' bytes from `skip` on, as slices (no copies). */
function remaining(blobs: readonly Buffer[], skip: number): Buffer[] {
  const out: Buffer[] = [];
  let left = skip;
  for (const b of blobs) {
    if (left >= b.length) left -= b.length;
    else {
      out.push(left > 0 ? b.subarray(left) : b);
      left = 0;
    }
  }
  return out;
}
