// A stand-in for ESIA (the Gosuslugi identity provider): an OpenID Connect provider on its own
// port, with its own sign-in pages. Outside-system state (sessions, codes) lives in memory.
import { createServer, type Server } from 'node:http';
import type { Account } from 'oidc-provider';
import { claimsOf, type EsiaAccount, type LookupBySnils, subjectFor } from './esia.accounts.ts';
import { interactionHandler } from './esia.interactions.ts';
import { createProvider, type EsiaClientConfig } from './esia.provider.ts';

export type { EsiaAccount, EsiaClientConfig };

export interface EsiaSimulatorOptions {
  port: number;
  /** Where to listen; 127.0.0.1 by default. */
  host?: string;
  /** The issuer URL the relying party discovers, e.g. http://localhost:3001. */
  issuer: string;
  clients: EsiaClientConfig[];
  lookupBySnils: LookupBySnils;
  /** The one password every simulated account signs in with. */
  password: string;
  /** Key for deriving subjects from SNILS; keep it fixed so subjects stay stable across restarts. */
  subjectKey?: string;
}

export interface EsiaSimulator {
  url: string;
  close(): Promise<void>;
}

const DEFAULT_SUBJECT_KEY = 'opora-esia-simulator';

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startEsiaSimulator(opts: EsiaSimulatorOptions): Promise<EsiaSimulator> {
  const key = opts.subjectKey ?? DEFAULT_SUBJECT_KEY;
  // Subjects are one-way, so the simulator remembers which SNILS each belongs to.
  const snilsBySubject = new Map<string, string>();
  const findAccount = async (_ctx: unknown, sub: string): Promise<Account | undefined> => {
    const snils = snilsBySubject.get(sub);
    const account: EsiaAccount | undefined = snils ? await opts.lookupBySnils(snils) : undefined;
    return account && { accountId: sub, claims: () => claimsOf(sub, account) };
  };
  const provider = createProvider({ issuer: opts.issuer, clients: opts.clients, findAccount });
  const signIn = (snils: string) => {
    const sub = subjectFor(snils, key);
    snilsBySubject.set(sub, snils);
    return sub;
  };
  const interactions = interactionHandler(provider, {
    lookupBySnils: opts.lookupBySnils,
    password: opts.password,
    signIn,
  });
  const oidc = provider.callback();

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    if (!path.startsWith('/interaction/')) return oidc(req, res);
    interactions(req, res, path).catch((error: unknown) => {
      console.error('[esia-simulator] interaction failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ESIA simulator error');
    });
  });
  await listen(server, opts.port, opts.host ?? '127.0.0.1');
  return {
    url: opts.issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
