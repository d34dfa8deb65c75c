// The multipart parser on its own (a bare Fastify over real HTTP): the body routes read, the limits,
// and what a broken or hostile body gets. The routes' own checks (type, size, what is missing) are
// tested with them (applications.api.test.ts, applications.portal.test.ts).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import Fastify, { type FastifyError } from 'fastify';
import type {} from './fastify.d.ts';
import { isMultipart, isUploadedFile, registerMultipart } from './upload.ts';

const LIMITS = { fileSize: 1000, files: 2, fields: 5, fieldSize: 100 };
let handled = 0;
const app = Fastify();
registerMultipart(app, LIMITS);
app.setErrorHandler((error: FastifyError, _request, reply) =>
  reply.code((error as { status?: number }).status ?? error.statusCode ?? 500).send({ code: error.code }),
);
// What the route received, with files as their name, size and first bytes.
const describeValue = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(describeValue)
    : isUploadedFile(v)
      ? {
          file: v.filename,
          size: v.bytes.length,
          head: v.bytes.subarray(0, 4).toString(),
          truncated: v.truncated,
        }
      : v;
const echo = async (request: import('fastify').FastifyRequest) => {
  handled++;
  const body = (request.body ?? {}) as Record<string, unknown>;
  return {
    multipart: isMultipart(request),
    body: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, describeValue(v)])),
  };
};
app.post('/echo', echo);
app.post('/big', { config: { uploadLimits: { fileSize: 5000 } } }, echo);
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as net.AddressInfo;
const base = `http://127.0.0.1:${port}`;
after(() => app.close());

const file = (bytes: number, name = 'scan.pdf') => new File([Buffer.alloc(bytes, 'A')], name);
async function post(form: FormData, path = '/echo') {
  const response = await fetch(base + path, { method: 'POST', body: form });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Sends raw bytes on a fresh connection and returns what came back (status line and body). */
async function raw(request: string, { close = false } = {}): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(request);
  if (close) {
    socket.destroy();
    return '';
  }
  let answer = '';
  socket.on('data', (d: Buffer) => {
    answer += d.toString();
  });
  await once(socket, 'close');
  return answer;
}

describe('multipart uploads', () => {
  test('fields and files arrive as name → value; a repeated name as a list', async () => {
    const form = new FormData();
    form.append('measure', 'VETERAN-EDV');
    form.append('tag', 'a');
    form.append('tag', 'b');
    form.append('document_1', file(10));
    const r = await post(form);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      multipart: true,
      body: {
        measure: 'VETERAN-EDV',
        tag: ['a', 'b'],
        document_1: { file: 'scan.pdf', size: 10, head: 'AAAA', truncated: false },
      },
    });
  });

  test('a file over the limit is cut off and marked, so the route can refuse it; the next request is served', async () => {
    const form = new FormData();
    form.append('document_1', file(LIMITS.fileSize + 1));
    const r = await post(form);
    assert.deepEqual(r.json.body, {
      document_1: { file: 'scan.pdf', size: LIMITS.fileSize, head: 'AAAA', truncated: true },
    });
    const small = new FormData();
    small.append('document_1', file(5));
    assert.equal(
      ((await post(small)).json.body as Record<string, { truncated: boolean }>).document_1!.truncated,
      false,
    );
  });

  test('a route may raise the limit for itself', async () => {
    const form = new FormData();
    form.append('transcript', file(3000, 'notes.txt'));
    const r = await post(form, '/big');
    assert.deepEqual(r.json.body, {
      transcript: { file: 'notes.txt', size: 3000, head: 'AAAA', truncated: false },
    });
  });

  test('an empty file input (nothing chosen) arrives as an empty file without a name', async () => {
    const form = new FormData();
    form.append('document_1', new File([], ''));
    const r = await post(form);
    assert.deepEqual(r.json.body, { document_1: { file: '', size: 0, head: '', truncated: false } });
  });

  test('too many files or fields: 413, and the route never runs', async () => {
    const before = handled;
    const files = new FormData();
    for (let i = 0; i <= LIMITS.files; i++) files.append(`document_${i}`, file(10));
    assert.deepEqual(await post(files), { status: 413, json: { code: 'upload_parts' } });
    const fields = new FormData();
    for (let i = 0; i <= LIMITS.fields; i++) fields.append(`f${i}`, 'x');
    assert.deepEqual(await post(fields), { status: 413, json: { code: 'upload_parts' } });
    assert.equal(handled, before);
  });

  test('a field or file named like what every object has is refused (400), and nothing is polluted', async () => {
    for (const name of ['__proto__', 'constructor', 'toString']) {
      const form = new FormData();
      form.append(name, 'polluted');
      assert.deepEqual(await post(form), { status: 400, json: { code: 'upload_malformed' } }, name);
      const withFile = new FormData();
      withFile.append(name, file(3));
      assert.deepEqual(await post(withFile), { status: 400, json: { code: 'upload_malformed' } }, name);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.toString.call([]), '[object Array]');
  });

  test('a body that is not multipart as declared gets 400, not a crash', async () => {
    const noBoundary = await raw(
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello',
    );
    assert.match(noBoundary, /^HTTP\/1\.1 400/);
    assert.match(noBoundary, /upload_malformed/);
    const body = '--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\nunfinished';
    const cut = await raw(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    assert.match(cut, /^HTTP\/1\.1 400/);
  });

  test('a client that goes away in the middle of a file leaves the route unrun and the server serving', async () => {
    const before = handled;
    const head =
      '--XX\r\nContent-Disposition: form-data; name="document_1"; filename="a.pdf"\r\n\r\n%PDF-1.7 ';
    await raw(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 100000\r\n\r\n${head}`,
      { close: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const form = new FormData();
    form.append('a', 'b');
    assert.equal((await post(form)).status, 200);
    assert.equal(handled, before + 1);
  });
});
