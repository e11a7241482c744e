import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

type SchemaObject = NonNullable<NonNullable<Parameters<typeof ApiResponse>[0]['content']>[string]['schema']>;

/** RFC 9457 problem details as every error answer carries them (see problem.ts). */
const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', example: 'urn:lms:problem:validation_failed' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string' },
    instance: { type: 'string', example: '/api/v1/users' },
    code: { type: 'string', example: 'validation_failed' },
    errors: {
      type: 'array',
      description: 'Field by field, for validation failures',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
    errorId: { type: 'string', description: 'For 500 answers: the id under which the error was logged' },
  },
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid: a field, a parameter or the body (problem+json, field by field)',
  401: 'No valid access token (or browser session)',
  403: 'The caller may not do this (role, scope or ownership)',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state',
  413: 'The body is larger than the limit',
  415: 'The content type is not accepted here',
  429: 'Too many requests: wait for Retry-After',
};

/** Documents error answers as application/problem+json (RFC 9457), e.g. `@ApiProblems(404, 409)`. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_SCHEMA } } }),
    ),
  );
}
