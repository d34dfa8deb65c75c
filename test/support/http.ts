// A small browser-like HTTP client for integration tests: a cookie jar, manual redirects, and
// form posts that carry the page's CSRF token, as a real form would.
export interface Response {
  status: number;
  headers: Headers;
  body: string;
  location: string | null;
}

export class Client {
  readonly base: string;
  private readonly cookies = new Map<string, string>();

  constructor(base: string) {
    this.base = base;
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async request(
    method: string,
    path: string,
    body?: URLSearchParams | FormData,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        ...headers,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        // FormData sets its own multipart content type with the boundary.
        ...(body instanceof URLSearchParams ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    this.remember(response.headers);
    return {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      location: response.headers.get('location'),
    };
  }

  get(path: string, headers?: Record<string, string>): Promise<Response> {
    return this.request('GET', path, undefined, headers);
  }

  /** Follows redirects like a browser (GET after 303), returning the final response. */
  async follow(first: Response, limit = 10): Promise<Response> {
    let response = first;
    for (let i = 0; i < limit && response.location; i++) response = await this.get(response.location);
    return response;
  }

  /** Opens `pagePath`, takes the CSRF token from its form, and posts `fields` to `action`. */
  async submit(pagePath: string, action: string, fields: Record<string, string>): Promise<Response> {
    const page = await this.get(pagePath);
    const token = csrfToken(page.body);
    return await this.request('POST', action, new URLSearchParams({ _csrf: token, ...fields }));
  }

  /** Like submit, as multipart/form-data with files (an upload form). */
  async upload(
    pagePath: string,
    action: string,
    fields: Record<string, string>,
    files: Record<string, { name: string; bytes: Buffer; type?: string }>,
  ): Promise<Response> {
    const page = await this.get(pagePath);
    const form = new FormData();
    form.set('_csrf', csrfToken(page.body));
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    for (const [k, f] of Object.entries(files))
      form.set(
        k,
        new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }),
        f.name,
      );
    return await this.request('POST', action, form);
  }

  post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request('POST', path, new URLSearchParams(fields));
  }
}

export function csrfToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1]!;
}

/** Text of the page with tags stripped and whitespace folded, for readable assertions. */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
