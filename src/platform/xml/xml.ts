// XML for exchanges with other systems (interagency requests, EGISSO): parsing and XSD validation by
// libxml2 compiled to WASM, so each side checks a message against the same schema file. Schemas are
// single files (no xs:include) so nothing is ever read from disk while parsing a message; external
// entities and DTDs are never loaded (libxml2's defaults), which keeps XXE out.
import { readFileSync } from 'node:fs';
import { XmlDocument, XmlLibError, XsdValidator } from 'libxml2-wasm';

export interface XmlProblem {
  line: number;
  message: string;
}

export class XmlSchema {
  readonly #validator: XsdValidator;
  constructor(xsd: string) {
    const doc = XmlDocument.fromString(xsd);
    try {
      this.#validator = XsdValidator.fromDoc(doc);
    } finally {
      doc.dispose();
    }
  }

  /** Every problem, malformed XML included; an empty list means valid. */
  validate(xml: string): XmlProblem[] {
    const parsed = withXml(xml, (doc) => {
      try {
        this.#validator.validate(doc);
        return [];
      } catch (error) {
        return problemsOf(error);
      }
    });
    return 'problems' in parsed ? parsed.problems : parsed.value;
  }
}

const schemas = new Map<string, XmlSchema>();

/** Loads (once) a schema file shipped beside the code that uses it. */
export function loadSchema(path: string | URL): XmlSchema {
  const key = String(path);
  let schema = schemas.get(key);
  if (!schema) {
    schema = new XmlSchema(readFileSync(path, 'utf8'));
    schemas.set(key, schema);
  }
  return schema;
}

/**
 * Parses `xml` and runs `read` on the document, freeing the WASM memory after. Malformed XML gives
 * `problems` instead of a value.
 */
export function withXml<T>(
  xml: string,
  read: (doc: XmlDocument) => T,
): { value: T } | { problems: XmlProblem[] } {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (error) {
    return { problems: problemsOf(error) };
  }
  try {
    return { value: read(doc) };
  } finally {
    doc.dispose();
  }
}

function problemsOf(error: unknown): XmlProblem[] {
  if (error instanceof XmlLibError && error.details.length) {
    return error.details.map((d) => ({ line: d.line ?? 0, message: d.message.trim() }));
  }
  return [{ line: 0, message: error instanceof Error ? error.message.trim() : String(error) }];
}

/** Text content and attribute values: the five XML specials escaped, control characters dropped. */
export function xmlEscape(value: string | number): string {
  return (
    String(value)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 cannot carry these at all
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}
