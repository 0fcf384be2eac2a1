/**
 * The error kind of a failed foreign span, in the project's words (`rate_limit`, `timeout`,
 * `cancelled`, `context_length_exceeded`, else `error`), from what instrumentations record: the
 * SDK's exception class as `error.type` (`RateLimitError`, `APIConnectionTimeoutError`, …), an
 * `exception` event's `exception.type` (or its message, which the OpenAI and Anthropic SDKs open
 * with the HTTP status), the HTTP status (`http.response.status_code`, `http.status_code`), or the
 * span's status message.
 */
import type { Attributes, SpanEvent } from '../kernel/records.ts';

/** Where the original type is kept when the kind differs from it. */
export const ORIGINAL_ERROR_TYPE = 'patternbench.import.error_type';

/** Kinds the project records, kept as they are. */
const KINDS = new Set([
  'error', 'rate_limit', 'timeout', 'cancelled', 'workflow_timeout', 'context_length_exceeded', 'contract_violation', 'preempted', 'unavailable',
  'circuit_open', 'budget_exceeded',
]);

/** Exception class names and error codes (lowercase) of the common SDKs and runtimes, by kind. */
const NAMED: Readonly<Record<string, string>> = {
  ratelimiterror: 'rate_limit', ratelimitexceeded: 'rate_limit', rate_limit_exceeded: 'rate_limit', toomanyrequests: 'rate_limit',
  toomanyrequestserror: 'rate_limit', throttlingexception: 'rate_limit', resourceexhausted: 'rate_limit', resource_exhausted: 'rate_limit',
  apiconnectiontimeouterror: 'timeout', apitimeouterror: 'timeout', timeouterror: 'timeout', timeout: 'timeout', etimedout: 'timeout',
  requesttimeout: 'timeout', deadlineexceeded: 'timeout', deadline_exceeded: 'timeout', readtimeout: 'timeout', connecttimeout: 'timeout',
  headerstimeouterror: 'timeout', bodytimeouterror: 'timeout', connecttimeouterror: 'timeout', und_err_headers_timeout: 'timeout',
  und_err_body_timeout: 'timeout', und_err_connect_timeout: 'timeout',
  apiuseraborterror: 'cancelled', aborterror: 'cancelled', cancellederror: 'cancelled',
  context_length_exceeded: 'context_length_exceeded', contextwindowexceedederror: 'context_length_exceeded',
};

/** SDK classes of an error the provider answered (or the connection to it met), other than the named kinds'. */
const PROVIDER_ERRORS = new Set([
  'apierror', 'apistatuserror', 'apiconnectionerror', 'internalservererror', 'badrequesterror', 'authenticationerror', 'permissiondeniederror',
  'notfounderror', 'conflicterror', 'unprocessableentityerror', 'serviceunavailableerror', 'overloadederror',
]);

/** The kind of an HTTP status; undefined for a success. */
function kindOfStatus(status: number): string | undefined {
  if (status === 429) return 'rate_limit';
  if (status === 408 || status === 504) return 'timeout';
  return status >= 400 ? 'error' : undefined;
}

/** The kind of an error type or code; undefined when it is not one the table knows. */
function kindOfName(name: string): string | undefined {
  if (KINDS.has(name)) return name;
  const known = NAMED[name.toLowerCase()];
  if (known !== undefined) return known;
  if (/^\d{3}$/.test(name)) return kindOfStatus(Number(name));
  return undefined;
}

/** The HTTP status a message opens with (`429 Rate limit reached…`, as the OpenAI SDK words it). */
function statusInMessage(message: unknown): number | undefined {
  if (typeof message !== 'string') return undefined;
  const match = /^(\d{3})\b/.exec(message.trim());
  return match === null ? undefined : Number(match[1]);
}

/** A failed span's error kind and the type its instrumentation recorded (null when none did). */
export interface ErrorKind {
  /** null when nothing the span carries tells a kind (every reader takes it as `error`). */
  readonly kind: string | null;
  readonly original: string | null;
  /** The provider's failure: an HTTP status, an SDK's API error class, a rate limit or a timeout. */
  readonly provider: boolean;
}

/** The error kind of a failed span: `error` when what it carries names no other kind, null when it carries nothing. */
export function errorKindOf(attributes: Attributes, events: readonly SpanEvent[], statusMessage: string): ErrorKind {
  const exception = events.find((event) => event.name === 'exception');
  const recorded = attributes['error.type'] ?? exception?.attributes['exception.type'];
  const original = recorded === undefined ? null : String(recorded);
  const httpStatus = attributes['http.response.status_code'] ?? attributes['http.status_code'];
  const kind =
    (original === null ? undefined : kindOfName(original)) ??
    (typeof httpStatus === 'number' ? kindOfStatus(httpStatus) : undefined) ??
    [exception?.attributes['exception.message'], statusMessage].map(statusInMessage).map((status) => (status === undefined ? undefined : kindOfStatus(status))).find((found) => found !== undefined) ??
    (typeof exception?.attributes['exception.message'] === 'string' && /timed? ?out/i.test(exception.attributes['exception.message']) ? 'timeout' : undefined) ??
    (original === null && typeof httpStatus !== 'number' ? null : 'error');
  const statusNamed = typeof httpStatus === 'number' || [exception?.attributes['exception.message'], statusMessage].some((message) => statusInMessage(message) !== undefined);
  const provider = kind === 'rate_limit' || kind === 'timeout' || statusNamed || (original !== null && PROVIDER_ERRORS.has(original.toLowerCase()));
  return { kind, original, provider };
}
