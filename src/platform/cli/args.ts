// Minimal flag parsing on node:util parseArgs, with errors a person can act on.
import { parseArgs } from 'node:util';

export type Flags = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export function parseFlags<F extends Flags>(args: string[], flags: F) {
  try {
    return parseArgs({ args, options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export class UsageError extends Error {}

export function positiveInt(
  name: string,
  raw: string | undefined,
  fallback: number,
  max = 10_000_000,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return value;
}
