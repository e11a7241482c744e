import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, type ValidationError as ClassValidatorError } from 'class-validator';
import { FieldError, ValidationError } from './domain-error.js';

/** The arguments of the decorator behind a failed constraint, named as the messages use them. */
function paramsOf(e: ClassValidatorError, rule: string): Record<string, string | number> | undefined {
  const target = e.target as object | undefined;
  if (!target || typeof target !== 'object') return undefined;
  const meta = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === e.property && m.name === rule);
  const args = (meta?.constraints ?? []) as unknown[];
  const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  switch (rule) {
    case 'maxLength':
    case 'max':
    case 'arrayMaxSize':
      return n(args[0]) === undefined ? undefined : { max: n(args[0])! };
    case 'minLength':
    case 'min':
    case 'arrayMinSize':
      return n(args[0]) === undefined ? undefined : { min: n(args[0])! };
    case 'isLength':
      return n(args[0]) === undefined || n(args[1]) === undefined ? undefined : { min: n(args[0])!, max: n(args[1])! };
    case 'isIn':
      return Array.isArray(args[0]) ? { values: args[0].map(String).join(', ') } : undefined;
    default:
      return undefined;
  }
}

function flatten(errors: ClassValidatorError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      const params = paramsOf(e, rule);
      out.push({ field, message: message.startsWith('property ') ? `${field} is not allowed` : message, rule, ...(params ? { params } : {}) });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** Global pipe: unknown fields are rejected, values are transformed, errors listed by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The target lets `paramsOf` read the decorator's arguments (maxLength 200…) for the wording in
    // other languages; the exception factory sends only field and message, never the target.
    validationError: { target: true, value: false },
    exceptionFactory: (errors: ClassValidatorError[]): BadRequestException | ValidationError =>
      new ValidationError(flatten(errors)),
  });
}
