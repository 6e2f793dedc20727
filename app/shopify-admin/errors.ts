// Failures of Admin API calls, classified like ErpError: `transient` ones
// were already retried by the client and may succeed later; `permanent` ones
// need a person (a missing scope, a reinstall, a query that must change).

export type AdminApiErrorCode =
  | "THROTTLED"
  | "SERVER_ERROR"
  | "NETWORK"
  | "UNAUTHORIZED"
  | "ACCESS_DENIED"
  | "MAX_COST_EXCEEDED"
  | "GRAPHQL"
  | "USER_ERROR";

const TRANSIENT: ReadonlySet<AdminApiErrorCode> = new Set(["THROTTLED", "SERVER_ERROR", "NETWORK"]);

export class AdminApiError extends Error {
  readonly code: AdminApiErrorCode;
  readonly kind: "transient" | "permanent";
  /** Plain words for the merchant's staff: what happened and what to do. */
  readonly userMessage: string;
  readonly httpStatus?: number;
  /** The request may have been carried out (a send-once mutation whose answer was lost). */
  readonly outcomeUnknown: boolean;

  constructor(opts: {
    code: AdminApiErrorCode;
    message: string;
    userMessage: string;
    httpStatus?: number;
    outcomeUnknown?: boolean;
    cause?: unknown;
  }) {
    super(opts.message, { cause: opts.cause });
    this.name = "AdminApiError";
    this.code = opts.code;
    this.kind = TRANSIENT.has(opts.code) ? "transient" : "permanent";
    this.userMessage = opts.userMessage;
    this.httpStatus = opts.httpStatus;
    this.outcomeUnknown = opts.outcomeUnknown ?? false;
  }
}

export function isAdminApiError(e: unknown, code?: AdminApiErrorCode): e is AdminApiError {
  return e instanceof AdminApiError && (code === undefined || e.code === code);
}
