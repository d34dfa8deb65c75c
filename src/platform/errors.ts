import type { AuditEntry } from './audit/audit.service.ts';

// Errors that reach a user carry a stable code, an HTTP status and a message key.
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, status: number, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const notFound = (what: string) => new AppError('not_found', 404, `${what} not found`);

/**
 * A refusal whose audit entry must outlive the transaction the refusal rolls back: the HTTP error
 * handler records `audit` in a transaction of its own (see server.ts).
 */
export class AuditedRefusal extends AppError {
  readonly audit: AuditEntry;
  constructor(base: AppError, audit: AuditEntry) {
    super(base.code, base.status, base.message, base.details);
    this.audit = audit;
  }
}
export const forbidden = (message = 'You do not have access to this page') =>
  new AppError('forbidden', 403, message);
export const unauthenticated = () => new AppError('unauthenticated', 401, 'Sign in to continue');
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 429, 'Too many attempts, try again later', { retryAfterSeconds });

/** A field-level validation failure; pages render it as an error summary plus field errors. */
export class ValidationError extends AppError {
  readonly fields: Record<string, string>;
  constructor(fields: Record<string, string>) {
    super('validation_failed', 422, 'The form has errors', { fields });
    this.fields = fields;
  }
}
