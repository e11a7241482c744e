import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
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
