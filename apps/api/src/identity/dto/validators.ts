import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { canonicalLocale } from '@lms/i18n';
import { isValidTimeZone } from '@lms/identity';

/** An IANA time-zone name (Europe/Belgrade, UTC, …). */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => isValidTimeZone(value),
        defaultMessage: () => '$property must be an IANA time zone such as Europe/Belgrade or UTC',
      },
    },
    options,
  );
}

/** Optional, but when present must not be null (unlike @IsOptional, which lets null through). */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/**
 * A BCP 47 language tag (any valid one, not a fixed list), stored in its canonical form:
 * `SR-latn` arrives as `sr-Latn`, `cnr` as `sr-ME`. Anything else is a 400 naming the field.
 */
export function IsLanguageTag(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => canonicalLocale(value) ?? value),
    ValidateBy(
      {
        name: 'isLanguageTag',
        validator: {
          validate: (value: unknown) => canonicalLocale(value) === value,
          defaultMessage: () => '$property must be a BCP 47 language tag such as en, sr-Latn, sr-Cyrl or mk',
        },
      },
      options,
    ),
  );
}
