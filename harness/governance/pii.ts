import { createHmac } from 'node:crypto';
import type { CaseSpec, PrivacyPolicy } from '../scenario/types.ts';

/** A case's fields, as a record of anything. */
type Fields = Readonly<Record<string, unknown>>;

/** What one agent receives of a case's classed fields, and whether that breaks data residency. */
export interface DataAccess {
  /** Classed fields present in the case the agent receives unmasked, as `field:class`. */
  readonly received: readonly string[];
  /** Classed fields present in the case masked for it. */
  readonly masked: readonly string[];
  /** Classes received unmasked whose allowed regions do not include the agent's model's region. */
  readonly crossing: readonly string[];
}

/**
 * The privacy policy of one run, with its masking key: masks case fields with a data class by
 * replacing each value with a token `[class:hhhhhhhh]` — the first 8 hex digits of an HMAC-SHA256
 * of the value under the run's key (harness/governance/pii-key-random.ts). The same value gets the same token
 * within a run (and across runs with `PATTERNBENCH_MASK_KEY`); without the key a token cannot be
 * turned back into its value, and the key is never stored.
 */
export class RunPrivacy {
  readonly #key: Buffer;
  readonly #tokens = new Map<string, string>();
  readonly #fields: ReadonlyMap<string, string>;

  constructor(
    readonly policy: PrivacyPolicy,
    key: Buffer,
  ) {
    this.#key = key;
    this.#fields = new Map(Object.entries(policy.dataClasses));
  }

  /** Masking at boundaries and in records is on. */
  get masking(): boolean {
    return this.policy.masking;
  }

  /** The data class of `field`, or undefined. */
  classOf(field: string): string | undefined {
    return this.#fields.get(field);
  }

  /** The token standing for `value` of a field of class `dataClass`. */
  token(dataClass: string, value: unknown): string {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
    const cacheKey = `${dataClass}\u0000${text}`;
    let token = this.#tokens.get(cacheKey);
    if (token === undefined) {
      token = `[${dataClass}:${createHmac('sha256', this.#key).update(cacheKey).digest('hex').slice(0, 8)}]`;
      this.#tokens.set(cacheKey, token);
    }
    return token;
  }

  /**
   * `fields` with every classed field not in `needs` masked (a token already in place stays). The
   * same object when nothing changes.
   */
  view(fields: Fields, needs: readonly string[]): Fields {
    let masked: Record<string, unknown> | null = null;
    for (const [field, dataClass] of this.#fields) {
      if (!(field in fields) || needs.includes(field)) continue;
      const value = fields[field];
      if (isToken(value)) continue;
      (masked ??= { ...fields })[field] = this.token(dataClass, value);
    }
    return masked ?? fields;
  }

  /** The classed fields of `fields` only, as they are (what a simulated agent echoes of what it read); null when none. */
  echo(fields: Fields): Fields | null {
    let echo: Record<string, unknown> | null = null;
    for (const field of this.#fields.keys()) if (field in fields) (echo ??= {})[field] = fields[field];
    return echo;
  }

  /** What an agent that `needs` these fields, on a model in `region`, receives of `fields`. */
  access(fields: Fields, needs: readonly string[], region: string): DataAccess {
    const received: string[] = [];
    const masked: string[] = [];
    const crossing: string[] = [];
    for (const [field, dataClass] of this.#fields) {
      if (!(field in fields)) continue;
      if (this.masking && !needs.includes(field)) {
        masked.push(`${field}:${dataClass}`);
        continue;
      }
      received.push(`${field}:${dataClass}`);
      const allowed = this.policy.regions[dataClass];
      if (allowed !== undefined && !regionAllowed(region, allowed) && !crossing.includes(dataClass)) crossing.push(dataClass);
    }
    return { received, masked, crossing };
  }

  /**
   * `json` with the value of every key that names a classed field masked, at any depth (a
   * workflow's output, a dead letter's case, a checkpoint's outcome, a recorded attempt). The same
   * string when it names no classed field.
   */
  maskJson(json: string): string {
    let mentions = false;
    for (const field of this.#fields.keys()) {
      if (json.includes(`"${field}"`)) {
        mentions = true;
        break;
      }
    }
    if (!mentions) return json;
    return JSON.stringify(JSON.parse(json, (key, value: unknown) => {
      const dataClass = this.#fields.get(key);
      return dataClass === undefined || isToken(value) ? value : this.token(dataClass, value);
    }));
  }
}

/** `region` is one of `allowed`, or inside one of them (`eu` allows `eu-west-1`). */
export function regionAllowed(region: string, allowed: readonly string[]): boolean {
  return allowed.some((name) => region === name || region.startsWith(`${name}-`));
}

/** A masking token `[class:hex]`. */
function isToken(value: unknown): boolean {
  return typeof value === 'string' && /^\[[a-z][a-z0-9_]*:[0-9a-f]{8}\]$/.test(value);
}

/**
 * The case input with every classed field replaced by `[class]`: how the compiled scenario stored
 * with a run (`runs.config`) shows inline cases. No hash, so the stored configuration stays the same
 * from one invocation to the next (`--resume` compares it).
 */
export function redactFields(fields: Fields, policy: PrivacyPolicy): Fields {
  let redacted: Record<string, unknown> | null = null;
  for (const [field, dataClass] of Object.entries(policy.dataClasses)) {
    if (field in fields) (redacted ??= { ...fields })[field] = `[${dataClass}]`;
  }
  return redacted ?? fields;
}

/**
 * A `JSON.stringify` replacer step for a compiled scenario: with masking on, the inline cases'
 * classed fields are redacted (`redactFields`), the base scenario's and its variants' alike.
 */
export function caseRedactor(policy: PrivacyPolicy | null): (key: string, value: unknown) => unknown {
  if (policy === null || !policy.masking) return (_key, value) => value;
  return (key, value) => {
    if (key !== 'items' || !Array.isArray(value)) return value;
    return (value as readonly CaseSpec[]).map((item) => ({ ...item, input: redactFields(item.input, policy) }));
  };
}
