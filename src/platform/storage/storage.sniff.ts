// What an uploaded document really is, from its first bytes. Names and declared content types come
// from the client and are never trusted: an executable renamed .pdf must not be stored as a PDF.

export const ACCEPTED_DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentType = (typeof ACCEPTED_DOCUMENT_TYPES)[number];

const SIGNATURES: { type: DocumentType; magic: Buffer }[] = [
  { type: 'application/pdf', magic: Buffer.from('%PDF-', 'latin1') },
  { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
];

export function sniffDocumentType(bytes: Buffer): DocumentType | undefined {
  return SIGNATURES.find(
    ({ magic }) => bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic),
  )?.type;
}

const EXTENSIONS: Record<DocumentType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/** The file extension (without the dot) to offer when a stored document is downloaded. */
export const extensionFor = (type: DocumentType): string => EXTENSIONS[type];
