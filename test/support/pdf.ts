// Reading PDFs back in tests, through pdf.js (legacy build, the one meant for Node). pdf.js runs its
// "worker" in this thread in Node; verbosity 0 keeps its warnings off stdout.
import { getDocument, type PDFDocumentProxy, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api.js';

async function open<T>(pdf: Buffer, use: (document: PDFDocumentProxy) => Promise<T>): Promise<T> {
  // pdf.js takes ownership of (detaches) the array it is given, so it gets a copy.
  const task = getDocument({
    data: new Uint8Array(pdf),
    verbosity: VerbosityLevel.ERRORS,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
  });
  const document = await task.promise;
  try {
    return await use(document);
  } finally {
    await task.destroy();
  }
}

const isText = (item: TextItem | TextMarkedContent): item is TextItem => 'str' in item;

/**
 * All pages' text, pages joined with newlines. Lines are rebuilt from the text items' positions: items
 * on one baseline are joined (with a space where there is a visible gap), a new baseline starts a line.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  return open(pdf, async (document) => {
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      const lines: string[] = [];
      let line = '';
      let lastY: number | undefined;
      let lastEnd = 0;
      for (const item of content.items.filter(isText)) {
        const x = Number(item.transform[4]);
        const y = Number(item.transform[5]);
        if (item.str !== '') {
          if (lastY !== undefined && Math.abs(y - lastY) > 1) {
            lines.push(line);
            line = '';
          } else if (line !== '' && x - lastEnd > 1 && !line.endsWith(' ') && !item.str.startsWith(' ')) {
            line += ' ';
          }
          line += item.str;
          lastY = y;
          lastEnd = x + item.width;
        }
      }
      if (line !== '') lines.push(line);
      pages.push(lines.map((l) => l.trimEnd()).join('\n'));
      page.cleanup();
    }
    return pages.join('\n');
  });
}

export async function pdfPageCount(pdf: Buffer): Promise<number> {
  return open(pdf, async (document) => document.numPages);
}

/** The document information (Title, Author, …), the catalogue's /Lang and whether the PDF is tagged. */
export async function pdfInfo(pdf: Buffer): Promise<{
  info: Record<string, unknown>;
  lang: string | null;
  tagged: boolean;
}> {
  return open(pdf, async (document) => {
    const { info } = await document.getMetadata();
    const markInfo = await document.getMarkInfo();
    const fields = info as Record<string, unknown>;
    const lang = typeof fields.Language === 'string' ? fields.Language : null;
    return { info: fields, lang, tagged: markInfo?.Marked === true };
  });
}

export interface PdfStructNode {
  role: string;
  children: PdfStructNode[];
}

/** The structure tree of one page (pdf.js's view of it): roles only, content leaves dropped. */
export async function pdfStructure(pdf: Buffer, pageNumber = 1): Promise<PdfStructNode | null> {
  return open(pdf, async (document) => {
    const page = await document.getPage(pageNumber);
    const tree = (await page.getStructTree()) as unknown as RawNode | null;
    return tree ? simplify(tree) : null;
  });
}

interface RawNode {
  role?: string;
  type?: string;
  children?: RawNode[];
}

function simplify(node: RawNode): PdfStructNode {
  return {
    role: node.role ?? '',
    children: (node.children ?? []).filter((child) => child.role !== undefined).map(simplify),
  };
}

/** Every role in a structure tree, depth first. */
export function structRoles(node: PdfStructNode | null): string[] {
  return node ? [node.role, ...node.children.flatMap(structRoles)] : [];
}
