// Multipart forms (document uploads) arrive as plain fields plus files held in memory, up to the
// configured limit; a larger file is cut off and marked, so the route can say "too large" on the form.
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';

export interface UploadedFile {
  kind: 'file';
  filename: string;
  bytes: Buffer;
  /** The file was larger than the upload limit and was cut off: refuse it. */
  truncated: boolean;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && (value as UploadedFile).kind === 'file';
}

/** Reads a file part into memory (called by the multipart plugin for every file). */
export async function bufferFile(part: MultipartFile): Promise<void> {
  const bytes = await part.toBuffer();
  const file: UploadedFile = { kind: 'file', filename: part.filename, bytes, truncated: part.file.truncated };
  (part as unknown as { value: UploadedFile }).value = file;
}

type Part = MultipartValue | (MultipartFile & { value: UploadedFile });

/** Turns the plugin's parts into the shape urlencoded forms have: name → string (or file, or list). */
export function flattenMultipart(request: FastifyRequest): void {
  if (!request.isMultipart() || !request.body || typeof request.body !== 'object') return;
  const flat: Record<string, unknown> = {};
  for (const [name, part] of Object.entries(request.body as Record<string, Part | Part[]>)) {
    flat[name] = Array.isArray(part) ? part.map((p) => p.value) : part.value;
  }
  request.body = flat;
}
