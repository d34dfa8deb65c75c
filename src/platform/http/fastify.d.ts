// Declaration merging for what Opora adds to every request and route.
import 'fastify';
import type { Access, Actor } from '../auth/actor.ts';
import type { Locale } from '../i18n/i18n.ts';
import type { UploadLimits } from './upload.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    locale: Locale;
    /** Staff password accepted but TOTP still due: the actor stays anonymous until the code is given. */
    pendingMfa: { sessionId: string; userId: number } | undefined;
  }
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say; the server refuses to start otherwise. */
    access?: Access;
    /** Set false on the rare POST that is not a form of ours (none yet). */
    csrf?: boolean;
    /** Raises the multipart limits for this route (upload.ts), e.g. an interview transcript. */
    uploadLimits?: Partial<UploadLimits>;
  }
}
