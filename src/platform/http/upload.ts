// Multipart forms (document uploads) arrive as plain fields plus files held in memory, up to the
// configured limit; a larger file is cut off and marked, so the route can say "too large" on the form.
//
// Parsed here with busboy straight into the shape urlencoded forms have (name → string, file or
// list), as Fastify's body. Not @fastify/multipart, whose async iteration over parts, hooks and part
// wrappers cost the intake ~0.1 ms of server CPU per submission and kept more of each request alive
// into the old generation, which is what brings the full collections behind its slowest 1 %
// (docs/performance.md, Intake, "fifth session").
import type { IncomingMessage } from 'node:http';
import { Busboy, type BusboyFileStream, type BusboyInstance } from '@fastify/busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

export interface UploadedFile {
  kind: 'file';
  filename: string;
  bytes: Buffer;
  /** The file was larger than the upload limit and was cut off: refuse it. */
  truncated: boolean;
}

export interface UploadLimits {
  /** Bytes per file; more is cut off and the file marked truncated. */
  fileSize: number;
  files: number;
  fields: number;
  /** Bytes per field value; more is cut off (the route's own length check then refuses it). */
  fieldSize: number;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && (value as UploadedFile).kind === 'file';
}

const MULTIPART = /^multipart\/form-data\s*;/i;

/** The request came as multipart/form-data (and so its body is what `parseMultipart` made). */
export function isMultipart(request: FastifyRequest): boolean {
  return MULTIPART.test(request.headers['content-type'] ?? '');
}

type Body = Record<string, string | UploadedFile | Array<string | UploadedFile>>;

function add(body: Body, name: string, value: string | UploadedFile): void {
  const present = body[name];
  if (present === undefined) body[name] = value;
  else if (Array.isArray(present)) present.push(value);
  else body[name] = [present, value];
}

const tooMany = () => new AppError('upload_parts', 413, 'The form has too many files or fields');
const malformed = (reason: string) =>
  new AppError('upload_malformed', 400, `The form data is malformed: ${reason}`);
// "constructor", "__proto__", "toString" as names would shadow what every object has.
const reserved = (name: string) => name in Object.prototype;

/**
 * Reads one multipart body. Resolves when the last part is read (every file buffered). A refusal
 * (too many parts, a reserved name) is answered once the whole body is read, so the client is not
 * cut off while it still sends; a malformed or unfinished body is answered at once and the rest of
 * it drained.
 */
export function parseMultipart(raw: IncomingMessage, limits: UploadLimits): Promise<Body> {
  return new Promise((resolve, reject) => {
    const body: Body = {};
    let pending = 0; // files still being read
    let finished = false;
    let failure: Error | undefined;
    let settled = false;
    const end = () => {
      settled = true;
      raw.off('close', onClose);
      if (failure) reject(failure);
      else resolve(body);
    };
    const settle = () => {
      if (!settled && finished && pending === 0) end();
    };
    const refuse = (error: Error) => {
      failure ??= error;
    };
    const abort = (error: Error) => {
      if (settled) return;
      failure ??= error;
      raw.unpipe(parser);
      raw.resume();
      end();
    };
    const onClose = () => {
      if (!raw.readableEnded) abort(malformed('the request ended early'));
    };

    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: raw.headers as { 'content-type': string },
        limits: { ...limits, parts: limits.files + limits.fields },
      });
    } catch (e) {
      raw.resume();
      reject(malformed((e as Error).message));
      return;
    }
    parser.on('field', (name: string, value: string) => {
      if (reserved(name)) refuse(malformed(`"${name}" cannot be a field name`));
      else add(body, name, value);
    });
    parser.on('file', (name: string, stream: BusboyFileStream, filename: string | undefined) => {
      const chunks: Buffer[] = [];
      pending++;
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', abort);
      stream.on('end', () => {
        pending--;
        if (reserved(name)) refuse(malformed(`"${name}" cannot be a field name`));
        else
          add(body, name, {
            kind: 'file',
            filename: filename ?? '',
            bytes: Buffer.concat(chunks),
            truncated: stream.truncated,
          });
        settle();
      });
    });
    parser.on('filesLimit', () => refuse(tooMany()));
    parser.on('fieldsLimit', () => refuse(tooMany()));
    parser.on('partsLimit', () => refuse(tooMany()));
    parser.on('error', (e: Error) => abort(malformed(e.message)));
    parser.on('finish', () => {
      finished = true;
      settle();
    });
    raw.on('close', onClose);
    raw.pipe(parser);
  });
}

/**
 * Makes multipart/form-data bodies the plain `name → value` object routes read. A route may raise
 * the limits for itself (`config.uploadLimits`, e.g. an interview transcript).
 */
export function registerMultipart(app: FastifyInstance, defaults: UploadLimits): void {
  app.addContentTypeParser('multipart/form-data', (request: FastifyRequest, payload: IncomingMessage) =>
    parseMultipart(payload, { ...defaults, ...request.routeOptions.config.uploadLimits }),
  );
}
