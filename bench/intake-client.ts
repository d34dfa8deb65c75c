// The intake benchmark's load generator: a lean HTTP/1.1 keep-alive client over raw sockets. A
// request is the template's fixed pieces (shared, never copied) with the request's number between
// them, written with one writev. Copying the 20 KB template per request made the client's major
// garbage collections (external memory) its largest cost, on the cores the server needs.
// node:http cost ~0.5 ms of CPU per request on the machine the server shares (a quarter of a core at
// 500/s), and its own event-loop delays counted as the server's latency in the open-loop run. The
// server sees the same requests as from node:http: same headers, same multipart body, a different
// document each time (the number is written into the PDF, so every upload is a new blob).

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { multipart, uniquePdf } from './intake-support.ts';

export interface Template {
  /** The request cut at its placeholders (the idempotency key's and the PDF's): the number goes between pieces. */
  pieces: Buffer[];
}

const SLOT = 16;
const SERVER_TIMING = /\r\nserver-timing: *([^\r]*)/i;
const MARK = 'N'.repeat(SLOT);

/** One request template per credential: the cookie differs, the body has placeholders for the number. */
export function requestTemplate(
  host: string,
  credentials: { cookie: string; csrfToken: string },
  shape: { fields: Record<string, string>; documentIds: number[] },
  pdfBytes: number,
  label: string,
): Template {
  const files: Record<string, { filename: string; bytes: Buffer }> = {};
  for (const id of shape.documentIds) {
    const pdf = uniquePdf(pdfBytes);
    // The filler after the header line is hex; the number replaces its first characters.
    const at = pdf.indexOf('\n% ', pdf.indexOf('obj')) + 3;
    pdf.write(MARK, at, 'latin1');
    files[`document_${id}`] = { filename: 'certificate.pdf', bytes: pdf };
  }
  const { body, contentType } = multipart(shape.fields, files);
  const head =
    `POST /api/applications HTTP/1.1\r\nHost: ${host}\r\nCookie: ${credentials.cookie}\r\n` +
    `X-CSRF-Token: ${credentials.csrfToken}\r\nIdempotency-Key: ${label}-${MARK}\r\n` +
    `Content-Type: ${contentType}\r\nAccept: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  const bytes = Buffer.concat([Buffer.from(head, 'latin1'), body]);
  const pieces: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(MARK); at >= 0; at = bytes.indexOf(MARK, at + SLOT)) {
    pieces.push(bytes.subarray(from, at));
    from = at + SLOT;
  }
  pieces.push(bytes.subarray(from));
  return { pieces };
}

/** The request's chunks: the template's pieces with `n` (and this run's nonce) between them. */
export function requestBytes(t: Template, n: number, nonce: string): Buffer[] {
  const number = Buffer.from(`${nonce}${String(n).padStart(SLOT - nonce.length, '0')}`, 'latin1');
  return t.pieces.flatMap((piece, i) => (i === 0 ? [piece] : [number, piece]));
}

export const runNonce = () => randomBytes(3).toString('hex');

/**
 * An answer: its status, and the server's own account of its time (Server-Timing, ms): check, write,
 * and the write's steps (queue, read, pack, statement).
 */
export interface Answer {
  status: number;
  timing: Record<string, number>;
}

interface Waiter {
  request: Buffer[];
  resolve: (r: Answer) => void;
  reject: (e: Error) => void;
}

/** Keep-alive connections to one server, one request at a time on each, opened as needed up to `max`. */
export class LeanClient {
  private idle: net.Socket[] = [];
  private open = 0;
  private queue: Waiter[] = [];
  private readonly port: number;
  private readonly max: number;
  constructor(port: number, max: number) {
    this.port = port;
    this.max = max;
  }

  send(request: Buffer[]): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  close(): void {
    for (const s of this.idle) s.destroy();
    this.idle = [];
  }

  private pump(): void {
    while (this.queue.length) {
      const socket = this.idle.pop() ?? (this.open < this.max ? this.connect() : undefined);
      if (!socket) return;
      this.exchange(socket, this.queue.shift()!);
    }
  }

  private connect(): net.Socket {
    this.open++;
    const socket = net.connect({ port: this.port, host: '127.0.0.1', noDelay: true });
    socket.once('close', () => {
      this.open--;
      this.idle = this.idle.filter((s) => s !== socket);
    });
    socket.on('error', () => {}); // reported to the request in flight by 'close'
    return socket;
  }

  /** Writes the request, reads one response (status line, headers, Content-Length body). */
  private exchange(socket: net.Socket, w: Waiter): void {
    let buffered: Buffer = Buffer.alloc(0);
    // A server that stops answering fails the run instead of hanging it.
    const timer = setTimeout(() => socket.destroy(), 30_000);
    const done = (error?: Error, answer?: Answer) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error) return w.reject(error);
      this.idle.push(socket);
      w.resolve(answer!);
      this.pump();
    };
    const onData = (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.toString('latin1', 0, end);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      const timing = SERVER_TIMING.exec(head)?.[1] ?? '';
      done(undefined, {
        status: Number(head.slice(9, 12)),
        timing: Object.fromEntries(
          [...timing.matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]),
        ),
      });
    };
    const onClose = () => done(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.cork();
    for (const chunk of w.request) socket.write(chunk);
    socket.uncork();
  }
}
