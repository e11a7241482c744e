import { IntlMessageFormat } from 'intl-messageformat';

/**
 * A message a person reads, by key: `key` names it in the interface catalogs
 * (libs/web/src/messages/problems.*.ts), `args` fill its ICU placeholders, `text` is the English
 * wording (what `Error.message`, logs and English answers carry).
 */
export interface LocalisedText {
  readonly key: string;
  readonly args: Record<string, string | number>;
  readonly text: string;
}

type Args = Record<string, string | number>;

/** Every domain message defined so far: key → English ICU source (the catalogs must have each; problems.spec.ts walks them). */
const DEFINED = new Map<string, string>();

/** The messages defined by the domains (key → English source), for the catalog check. */
export function definedMessages(): ReadonlyMap<string, string> {
  return DEFINED;
}

/**
 * Defines a domain's messages: `defineMessages('events', { full: 'Event {eventId} is full' })`
 * gives `m.full({ eventId })`, a LocalisedText with key `events.full` and the English text. The
 * problem filter words it in the caller's language from the catalogs; English stays as written here
 * (the English catalog must say the same: problems.spec.ts checks it).
 */
export function defineMessages<K extends string>(prefix: string, english: Record<K, string>): Record<K, (args?: Args) => LocalisedText> {
  const out = {} as Record<K, (args?: Args) => LocalisedText>;
  for (const [name, source] of Object.entries(english) as Array<[K, string]>) {
    const key = `${prefix}.${name}`;
    const known = DEFINED.get(key);
    if (known !== undefined && known !== source) throw new Error(`Message ${key} is defined twice, differently`);
    DEFINED.set(key, source);
    const format = new IntlMessageFormat(source, 'en');
    out[name] = (args: Args = {}) => ({ key, args, text: String(format.format(args)) });
  }
  return out;
}

function isLocalised(m: unknown): m is LocalisedText {
  return typeof m === 'object' && m !== null && typeof (m as LocalisedText).key === 'string' && typeof (m as LocalisedText).text === 'string';
}

/**
 * Base class for errors a domain raises on purpose. The exception filter maps them to
 * RFC 9457 problem documents; `code` is stable and machine-readable, `status` is the HTTP status.
 * A message given as LocalisedText (defineMessages) is worded in the caller's language.
 */
export class DomainError extends Error {
  /** Extra response headers (e.g. Retry-After on a 429); the exception filter sets them. */
  headers: Record<string, string> = {};
  /** The catalog key and arguments of the message, when the domain gave them. */
  readonly localised?: LocalisedText;

  constructor(
    readonly code: string,
    message: string | LocalisedText,
    readonly status: number = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(isLocalised(message) ? message.text : message);
    if (isLocalised(message)) this.localised = message;
    this.name = new.target.name;
  }
}

/**
 * 404. `what` is the English noun the message starts with ("Event"); the catalogs word it by key
 * `notFound.<noun in camel case>` ("notFound.publishedCourse": "Published course {id} was not
 * found") or `notFound.<noun>.any` without an id. problems.spec.ts finds every noun in the code.
 */
export class NotFoundError extends DomainError {
  constructor(what: string | LocalisedText, id?: string) {
    if (isLocalised(what)) {
      super('not_found', what, 404);
      return;
    }
    const noun = notFoundKey(what);
    const text = id ? `${what} ${id} was not found` : `${what} was not found`;
    super('not_found', { key: id ? noun : `${noun}.any`, args: id ? { id } : {}, text }, 404);
  }
}

/** `Published course` → `notFound.publishedCourse`. */
export function notFoundKey(what: string): string {
  const words = what.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `notFound.${words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('')}`;
}

const PLATFORM = defineMessages('platform', {
  forbidden: 'You may not do this',
});

export class ForbiddenError extends DomainError {
  constructor(message: string | LocalisedText = PLATFORM.forbidden()) {
    super('forbidden', message, 403);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string | LocalisedText, extra: Record<string, unknown> = {}) {
    super(code, message, 409, extra);
  }
}

export interface FieldError {
  field: string;
  message: string;
  /**
   * The rule that failed (a class-validator constraint name such as `maxLength`, or ours) and its
   * arguments: the problem filter words the message in the caller's language from them
   * (problem-messages.ts). Never sent: the answer carries `field` and `message` only.
   */
  rule?: string;
  params?: Record<string, string | number>;
  /** A domain's message by catalog key (defineMessages): worded from the interface catalogs, before `rule`. */
  localised?: LocalisedText;
}

/** A field error whose message is a domain message: `{ field, message: text, localised }`. */
export function fieldError(field: string, message: LocalisedText): FieldError {
  return { field, message: message.text, localised: message };
}

/** 400 with a field-by-field list, the same shape the validation pipe produces. */
export class ValidationError extends DomainError {
  constructor(
    readonly errors: FieldError[],
    message: string | LocalisedText = 'The request is not valid',
  ) {
    super('validation_failed', message, 400, { errors });
  }
}
