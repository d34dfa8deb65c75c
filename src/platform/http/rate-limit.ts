// Rate limits counted in PostgreSQL, so every instance of the app shares one count.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { tooManyRequests } from '../errors.ts';
import * as repo from './rate-limit.repository.ts';

export interface Limit {
  name: string;
  max: number;
  windowSeconds: number;
  /** What is counted; by default the client address. */
  key?: (request: FastifyRequest) => string;
}

export async function hit(db: Db, key: string, max: number, windowSeconds: number): Promise<void> {
  const { hits, window_start } = await repo.countHit(db, key, windowSeconds);
  if (hits > max) {
    const endsInMs = window_start.getTime() + windowSeconds * 1000 - Date.now();
    throw tooManyRequests(Math.max(1, Math.ceil(endsInMs / 1000)));
  }
}

/** A preHandler for a route: the first step of rate limit → auth → validate → transaction → handler. */
export function rateLimit(db: Db, limit: Limit) {
  return async (request: FastifyRequest) => {
    const subject = limit.key ? limit.key(request) : request.ip;
    await hit(db, `${limit.name}:${subject}`, limit.max, limit.windowSeconds);
  };
}

export const deleteOldRateLimitWindows = repo.deleteOldWindows;
