// Official letters as PDF (application for signature, receipt, decision letter, appeal decision), in
// Russian or English. A letter is a letterhead, a title and a list of blocks; the layout is ours, not
// the caller's. The output is a tagged PDF (structure tree with H1/H2/P/L/Table, artifacts for rules
// and page numbers, document language and title) on A4 with DejaVu Sans embedded and subset.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'fields'; rows: Array<[label: string, value: string]> }
  | { kind: 'list'; items: string[] }
  | { kind: 'signature'; label: string }
  | { kind: 'spacer' }
  /** Starts a new page (a batch of letters: one resident's letter per page). */
  | { kind: 'pagebreak' };

export interface PdfLetter {
  lang: 'ru' | 'en';
  /** Document title: PDF metadata Title (shown by viewers instead of the file name) and the big heading. */
  title: string;
  /** Letterhead lines, e.g. the ministry, then the district office with its address. */
  issuer: string[];
  /** Registration number and date, e.g. "№ З-2026-000123 от 23.11.2026", top right. */
  reference?: string;
  blocks: PdfBlock[];
  /** Small print on every page, next to "page X of Y". */
  footer?: string;
  /** Creation date in the PDF metadata; defaults to the current time. */
  now?: Date;
}

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

// --- fonts: read once per process, embedded (and subset by pdfkit) in every document ---------------

let fonts: { regular: Buffer; bold: Buffer } | undefined;

function loadFonts(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fonts = {
      regular: readFileSync(join(dir, 'DejaVuSans.ttf')),
      bold: readFileSync(join(dir, 'DejaVuSans-Bold.ttf')),
    };
  }
  return fonts;
}

// --- layout ----------------------------------------------------------------------------------------

const MM = 72 / 25.4;
const MARGINS = { top: 20 * MM, bottom: 27 * MM, left: 25 * MM, right: 15 * MM };
const BODY = 11;
const SMALL = 9;
const LINE_GAP = 2;
const BLOCK_GAP = 7;
const TEXT = '#000000';
const MUTED = '#404040'; // 10:1 on white
const RULE = '#8c8c8c';

const WORDS = {
  ru: { page: (n: number, of: number) => `Страница ${n} из ${of}`, date: 'Дата' },
  en: { page: (n: number, of: number) => `Page ${n} of ${of}`, date: 'Date' },
} as const;

interface Frame {
  doc: Doc;
  root: Struct;
  left: number;
  width: number;
}

export interface TaggedPdf {
  doc: Doc;
  /** The structure tree's root ('Document'): end it when the content is done. */
  root: Struct;
  left: number;
  width: number;
  /** Ends the document; resolves with its bytes. */
  finish(): Promise<Buffer>;
}

/**
 * A tagged A4 PDF (PDF/UA: language, title shown by viewers, structure tree) with DejaVu Sans embedded
 * as 'regular' and 'bold', its first page open in `fontSize`. Letters here and survey reports use it.
 */
export function openTaggedPdf(o: {
  lang: string;
  title: string;
  author?: string;
  now?: Date;
  margins: { top: number; bottom: number; left: number; right: number };
  fontSize: number;
}): TaggedPdf {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: o.margins,
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: o.lang,
    displayTitle: true,
    autoFirstPage: false,
    // No default font: pdfkit would otherwise load Helvetica (an unembedded font PDF/UA does not allow).
    // Not a Buffer either: pdfkit caches fonts by name, and a default font without a name makes every
    // later font('regular') parse the whole TTF again (a 200-row table took a second).
    font: null as unknown as string,
    info: {
      Title: o.title,
      ...(o.author ? { Author: o.author } : {}),
      Creator: 'Opora',
      CreationDate: o.now ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  doc.font('regular').fontSize(o.fontSize).addPage();
  const root = doc.struct('Document');
  doc.addStructure(root);
  return {
    doc,
    root,
    left: o.margins.left,
    width: doc.page.width - o.margins.left - o.margins.right,
    finish: () => {
      doc.end();
      return done;
    },
  };
}

/** Renders a letter to a PDF file in memory (about 25-30 KB a page; the fonts are subset). */
export async function renderPdf(letter: PdfLetter): Promise<Buffer> {
  const pdf = openTaggedPdf({
    lang: letter.lang,
    title: letter.title,
    author: letter.issuer[0],
    now: letter.now,
    margins: MARGINS,
    fontSize: BODY,
  });
  const { doc, root } = pdf;
  const frame: Frame = { doc, root, left: pdf.left, width: pdf.width };
  letterhead(frame, letter);
  for (const block of letter.blocks) renderBlock(frame, block, letter.lang);
  root.end();
  pageFooters(frame, letter);
  return await pdf.finish();
}

function renderBlock(f: Frame, block: PdfBlock, lang: PdfLetter['lang']): void {
  switch (block.kind) {
    case 'heading':
      heading(f, block.text);
      break;
    case 'paragraph':
      paragraph(f, block.text);
      break;
    case 'fields':
      fields(f, block.rows);
      break;
    case 'list':
      list(f, block.items);
      break;
    case 'signature':
      signature(f, block.label, lang);
      break;
    case 'spacer':
      f.doc.y += BODY * 1.2;
      break;
    case 'pagebreak':
      f.doc.addPage();
      break;
    default:
      block satisfies never;
  }
}

/** Starts a new page unless `height` points still fit on this one (or we are already at the top). */
function ensureSpace(f: Frame, height: number): void {
  const { doc } = f;
  if (doc.y + height > doc.page.maxY() && doc.y > doc.page.margins.top + 1) doc.addPage();
}

/** Adds a structure element whose content is what `draw` puts on the page. */
function tag(parent: Struct, doc: Doc, type: string, draw: () => void, options = {}): void {
  parent.add(doc.struct(type, options, draw));
}

/** Decoration (rules, lines to sign on) is an artifact: not part of the text a reader announces. */
function artifact(doc: Doc, draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
  doc.markContent('Artifact', { type });
  doc.save();
  draw();
  doc.restore();
  doc.endMarkedContent();
}

function hrule(doc: Doc, x1: number, x2: number, y: number, width = 0.5, color = RULE): void {
  artifact(doc, () => {
    doc.lineWidth(width).strokeColor(color).moveTo(x1, y).lineTo(x2, y).stroke();
  });
}

function lineHeight(doc: Doc, font: 'regular' | 'bold', size: number): number {
  return doc.font(font).fontSize(size).currentLineHeight(true) + LINE_GAP;
}

function letterhead(f: Frame, letter: PdfLetter): void {
  const { doc, root, left, width } = f;
  const top = doc.y;
  const issuerWidth = width * 0.58;
  let bottom = top;
  if (letter.issuer.length > 0) {
    tag(root, doc, 'P', () => {
      letter.issuer.forEach((line, i) => {
        doc
          .font(i === 0 ? 'bold' : 'regular')
          .fontSize(10)
          .fillColor(TEXT)
          .text(line, left, i === 0 ? top : doc.y, { width: issuerWidth, lineGap: 1 });
      });
    });
    bottom = doc.y;
  }
  if (letter.reference) {
    const refWidth = width * 0.38;
    tag(root, doc, 'P', () => {
      doc
        .font('regular')
        .fontSize(10)
        .fillColor(TEXT)
        .text(letter.reference!, left + width - refWidth, top, {
          width: refWidth,
          align: 'right',
          lineGap: 1,
        });
    });
    bottom = Math.max(bottom, doc.y);
  }
  if (bottom > top) {
    hrule(doc, left, left + width, bottom + 6, 0.75);
    doc.y = bottom + 18;
  }
  tag(root, doc, 'H1', () => {
    doc.font('bold').fontSize(15).fillColor(TEXT).text(letter.title, left, doc.y, {
      width,
      align: 'center',
      lineGap: LINE_GAP,
    });
  });
  doc.y += BLOCK_GAP * 2;
}

function heading(f: Frame, text: string): void {
  const { doc, root, left, width } = f;
  if (text.trim() === '') return;
  doc.font('bold').fontSize(12.5);
  // Keep a heading with at least two lines of what follows it.
  ensureSpace(
    f,
    doc.heightOfString(text, { width, lineGap: LINE_GAP }) + 4 + 2 * lineHeight(doc, 'regular', BODY),
  );
  doc.y += 4;
  tag(root, doc, 'H2', () => {
    doc.font('bold').fontSize(12.5).fillColor(TEXT).text(text, left, doc.y, { width, lineGap: LINE_GAP });
  });
  doc.y += 3;
}

function paragraph(f: Frame, text: string): void {
  const { doc, root, left, width } = f;
  if (text.trim() === '') return;
  ensureSpace(f, 2 * lineHeight(doc, 'regular', BODY));
  tag(root, doc, 'P', () => {
    doc.font('regular').fontSize(BODY).fillColor(TEXT).text(text, left, doc.y, { width, lineGap: LINE_GAP });
  });
  doc.y += BLOCK_GAP;
}

function list(f: Frame, items: string[]): void {
  const { doc, root, left, width } = f;
  if (items.length === 0) return;
  const indent = 16;
  const l = doc.struct('L');
  root.add(l);
  for (const item of items) {
    doc.font('regular').fontSize(BODY);
    ensureSpace(f, Math.min(doc.heightOfString(item, { width: width - indent, lineGap: LINE_GAP }), 3 * 16));
    const y = doc.y;
    const li = doc.struct('LI');
    l.add(li);
    tag(li, doc, 'Lbl', () => {
      doc
        .font('regular')
        .fontSize(BODY)
        .fillColor(TEXT)
        .text('•', left + 4, y, { lineBreak: false });
    });
    tag(li, doc, 'LBody', () => {
      doc
        .font('regular')
        .fontSize(BODY)
        .fillColor(TEXT)
        .text(item, left + indent, y, { width: width - indent, lineGap: LINE_GAP });
    });
    li.end();
    doc.y += 2;
  }
  l.end();
  doc.y += BLOCK_GAP - 2;
}

/** A two-column label/value table (TH scope Row, TD). Rows split across pages only if taller than one. */
function fields(f: Frame, rows: Array<[string, string]>): void {
  const { doc, root, left, width } = f;
  if (rows.length === 0) return;
  const gap = 12;
  const pad = 4;
  const labelWidth = Math.round(width * 0.38);
  const valueX = left + labelWidth + gap;
  const valueWidth = width - labelWidth - gap;
  const table = doc.struct('Table');
  root.add(table);
  const th: PDFKit.Mixins.StructureElementOptions & { scope: 'Row' } = { scope: 'Row' };
  let first = true;
  for (const [label, rawValue] of rows) {
    const value = rawValue.trim() === '' ? '—' : rawValue;
    const labelHeight = doc
      .font('regular')
      .fontSize(BODY)
      .heightOfString(label, { width: labelWidth, lineGap: 1 });
    const valueHeight = doc
      .font('regular')
      .fontSize(BODY)
      .heightOfString(value, { width: valueWidth, lineGap: 1 });
    const height = Math.max(labelHeight, valueHeight) + 2 * pad;
    // A row moves to the next page whole, unless it is taller than a page anyway: then it starts here if
    // a few lines fit, and its value flows onto the next pages.
    const room = doc.page.maxY() - doc.page.margins.top;
    ensureSpace(f, height <= room ? height : 3 * lineHeight(doc, 'regular', BODY) + 2 * pad);
    if (first || doc.y <= doc.page.margins.top + 1) hrule(doc, left, left + width, doc.y);
    first = false;
    const y = doc.y + pad;
    const page = doc.page;
    const tr = doc.struct('TR');
    table.add(tr);
    tag(
      tr,
      doc,
      'TH',
      () => {
        // A label never flows onto the next page (the value would then start on the wrong one).
        doc
          .font('regular')
          .fontSize(BODY)
          .fillColor(MUTED)
          .text(label, left, y, {
            width: labelWidth,
            lineGap: 1,
            height: doc.page.maxY() - y,
            ellipsis: true,
          });
      },
      th,
    );
    const afterLabel = doc.y;
    tag(tr, doc, 'TD', () => {
      doc
        .font('regular')
        .fontSize(BODY)
        .fillColor(TEXT)
        .text(value, valueX, y, { width: valueWidth, lineGap: 1 });
    });
    tr.end();
    doc.y = (doc.page === page ? Math.max(afterLabel, doc.y) : doc.y) + pad;
    hrule(doc, left, left + width, doc.y);
  }
  table.end();
  doc.x = left;
  doc.y += BLOCK_GAP + 2;
}

function signature(f: Frame, label: string, lang: PdfLetter['lang']): void {
  const { doc, root, left, width } = f;
  const signWidth = Math.min(240, width * 0.55);
  const dateWidth = Math.min(140, width * 0.3);
  const dateX = left + width - dateWidth;
  doc.font('regular').fontSize(SMALL);
  const labelHeight = doc.heightOfString(label, { width: signWidth, lineGap: 1 });
  const space = 30; // room for the hand-written signature above the line
  ensureSpace(f, space + labelHeight + 8);
  const lineY = doc.y + space;
  hrule(doc, left, left + signWidth, lineY, 0.75, TEXT);
  hrule(doc, dateX, dateX + dateWidth, lineY, 0.75, TEXT);
  tag(root, doc, 'P', () => {
    doc
      .font('regular')
      .fontSize(SMALL)
      .fillColor(MUTED)
      .text(label, left, lineY + 3, { width: signWidth, lineGap: 1 });
  });
  const afterLabel = doc.y;
  tag(root, doc, 'P', () => {
    doc
      .font('regular')
      .fontSize(SMALL)
      .fillColor(MUTED)
      .text(WORDS[lang].date, dateX, lineY + 3, { width: dateWidth, lineGap: 1 });
  });
  doc.x = left;
  doc.y = Math.max(afterLabel, doc.y) + BLOCK_GAP * 2;
}

/** The footer on every page: a rule, the small print and "page X of Y", all pagination artifacts. */
function pageFooters(f: Frame, letter: PdfLetter): void {
  const { doc, left, width } = f;
  const range = doc.bufferedPageRange();
  const numberWidth = 110;
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const page = doc.page;
    const bottom = page.margins.bottom;
    page.margins.bottom = 0; // text below the bottom margin would otherwise start a new page
    const y = page.height - bottom + 14;
    artifact(
      doc,
      () => {
        doc
          .lineWidth(0.5)
          .strokeColor(RULE)
          .moveTo(left, y - 6)
          .lineTo(left + width, y - 6)
          .stroke();
        doc.font('regular').fontSize(8).fillColor(MUTED);
        if (letter.footer) {
          doc.text(letter.footer, left, y, {
            width: width - numberWidth - 12,
            height: bottom - 30,
            ellipsis: true,
            lineGap: 1,
          });
        }
        doc.text(WORDS[letter.lang].page(i + 1, range.count), left + width - numberWidth, y, {
          width: numberWidth,
          align: 'right',
          lineBreak: false,
        });
      },
      'Pagination',
    );
    page.margins.bottom = bottom;
  }
}
