// Small real documents for upload tests: a valid one-page PDF, a 1×1 PNG, and things that are not documents.
export const SMALL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

export const SMALL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The start of a Linux executable: what "an executable renamed .pdf" looks like from the inside. */
export const ELF_EXECUTABLE = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
  Buffer.alloc(256, 1),
]);

/** A file larger than any upload limit we set in tests. */
export function bigFile(megabytes: number): Buffer {
  const b = Buffer.alloc(megabytes * 1024 * 1024, 0x20);
  b.write('%PDF-1.4\n');
  return b;
}
