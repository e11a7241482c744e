import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, ValidateBy } from 'class-validator';

/** C0/C1 control characters (NUL, tab, line breaks, escape, …). */
const CONTROL = /\p{Cc}/u;
/**
 * Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
 * (U+2066–U+2069) and the invisible marks (U+200E, U+200F, U+061C). U+202E makes a name read
 * backwards in CSV exports and on the certificate verification page.
 */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** A UTF-16 surrogate without its partner: not a character, not valid UTF-8 once stored. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How names are stored: Unicode NFC (one form for "ć" whether typed composed or not), trimmed. */
export function normalizeName(value: string): string {
  return value.normalize('NFC').trim();
}

/**
 * Why a (normalised) name is not acceptable, or undefined. One rule for people's display names,
 * org-unit names and job-role titles, whether they come from JSON or from a CSV import.
 */
export function nameProblem(value: string, maxLength: number): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it holds a lone UTF-16 surrogate)';
  if (CONTROL.test(value)) return 'must not contain control characters (such as NUL, tab or a line break)';
  if (BIDI.test(value)) return 'must not contain bidirectional control characters (such as U+202E RIGHT-TO-LEFT OVERRIDE)';
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxLength) return `must be at most ${maxLength} characters long`;
  return undefined;
}

/**
 * DTO decorator for a name: a string, normalised to NFC and trimmed, then checked with
 * `nameProblem` (no control or bidi characters, no lone surrogates, 1..maxLength characters).
 */
export function IsName(maxLength = 200): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeName(value) : value)),
    IsString(),
    ValidateBy({
      name: 'isName',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && nameProblem(value, maxLength) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'name'} ${typeof args?.value === 'string' ? (nameProblem(args.value, maxLength) ?? 'is not valid') : 'must be a string'}`,
      },
    }),
  );
}
