// Blobs as files: <dir>/<aa>/<bb>/<sha256> (two levels of fan-out keep directories small).
// A blob is written to a temporary name in its final directory, fsynced, renamed into place and the
// directory fsynced, so after a crash a final name holds either nothing or the whole blob. A crash
// can leave a temporary file (.<sha256>.<random>.tmp) behind; it is never read as a blob.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { BlobBackend } from './storage.service.ts';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Makes a folder's entries (names made, renamed) durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function localBackend(dir: string): BlobBackend {
  const root = resolve(dir);
  // Folders already made by this process: a write then costs no mkdir (the intake hot path).
  const known = new Set<string>();
  const pathOf = (sha256: string) => join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

  const exists = async (sha256: string): Promise<boolean> => {
    try {
      await stat(pathOf(sha256));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  };

  return {
    exists,

    async read(sha256) {
      try {
        return await readFile(pathOf(sha256));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async write(sha256, bytes) {
      const final = pathOf(sha256);
      const folder = dirname(final);
      // Documents are personal data: readable by the service's user only. A folder once made stays.
      const created = known.has(folder) ? undefined : await mkdir(folder, { recursive: true, mode: 0o700 });
      known.add(folder);
      // Each writer has its own temporary name, so concurrent puts of the same bytes never share a
      // file; the second rename replaces identical bytes atomically.
      const temp = join(folder, `.${sha256}.${randomBytes(8).toString('hex')}.tmp`);
      try {
        const file = await open(temp, 'wx', 0o600);
        try {
          await file.writeFile(bytes);
          // The data and the size; other metadata (times) need not be durable.
          await file.datasync();
        } finally {
          await file.close();
        }
        await rename(temp, final);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      // The rename is durable once its directory is synced; new directories need their parents synced.
      const directories = [folder];
      if (created) {
        for (let d = folder; d !== dirname(created) && d !== dirname(d); ) {
          d = dirname(d);
          directories.push(d);
        }
      }
      for (const d of directories) await syncDirectory(d);
    },
  };
}
