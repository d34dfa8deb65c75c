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
import { close, fdatasync, open as openCallback, writev } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
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

const openFd = promisify(openCallback);
const closeFd = promisify(close);
const fdatasyncFd = promisify(fdatasync);
const writevFd = (fd: number, buffers: Buffer[], position: number) =>
  new Promise<number>((resolve, reject) =>
    writev(fd, buffers, position, (error, bytesWritten) => (error ? reject(error) : resolve(bytesWritten))),
  );

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export function localPacks(dir: string, limitBytes = PACK_LIMIT_BYTES): Packs {
  const folder = join(resolve(dir), 'packs');
  // The pack being filled, kept open: a batch costs a writev and an fdatasync, not also an open and
  // a close (two more trips through the thread pool). A plain descriptor, not a FileHandle, so a
  // store dropped by a test is not closed noisily on collection.
  let current: { name: string; fd: number; size: number } | undefined;
  // Appends run one at a time: each needs the end the previous one left.
  let queue: Promise<unknown> = Promise.resolve();

  async function openPack() {
    const made = await mkdir(folder, { recursive: true, mode: 0o700 });
    const name = `${Date.now().toString(36)}-${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`;
    const fd = await openFd(join(folder, name), 'wx', 0o600);
    try {
      // The new name must survive a crash too, before any place in the pack is handed out; so must
      // folders made just now (each one's name lives in its parent).
      await syncDirectory(folder);
      if (made)
        for (let d = folder; d !== dirname(made); ) {
          d = dirname(d);
          await syncDirectory(d);
        }
    } catch (error) {
      await closeFd(fd).catch(() => {});
      throw error;
    }
    return { name, fd, size: 0 };
  }

  async function appendNow(blobs: readonly Buffer[]): Promise<PackedLocation[]> {
    if (current && current.size >= limitBytes) {
      await closeFd(current.fd);
      current = undefined;
    }
    current ??= await openPack();
    const pack = current;
    const total = blobs.reduce((sum, b) => sum + b.length, 0);
    try {
      let written = 0;
      // writev may write less than asked (a signal, a full disk): go on from where it stopped.
      while (written < total) {
        const bytesWritten = await writevFd(pack.fd, remaining(blobs, written), pack.size + written);
        if (bytesWritten === 0) throw new Error('the pack file took no bytes');
        written += bytesWritten;
      }
      await fdatasyncFd(pack.fd);
    } catch (error) {
      // What this pack's tail holds is unknown now: nothing more goes into it.
      current = undefined;
      await closeFd(pack.fd).catch(() => {});
      throw error;
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
