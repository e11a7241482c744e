import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JsonTooDeepError } from './http.errors.js';

/** Deepest nesting of arrays and objects a JSON body may have (DTOs nest a few levels). */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when the JSON text nests arrays/objects deeper than `max`. One pass over the bytes,
 * skipping strings; it does not validate the JSON (the parser does that afterwards).
 */
export function jsonDeeperThan(text: Buffer | string, max: number): boolean {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

type Done = (err: Error | null, body?: unknown) => void;
type JsonParser = (req: FastifyRequest, body: Buffer | string, done: Done) => void;

/**
 * The application/json body parser: refuses too-deep nesting in linear time with a 400 before
 * JSON.parse and class-transformer see the body (they recurse and would overflow the stack),
 * then parses with Fastify's own parser (prototype-poisoning protection kept).
 */
export function depthLimitedJsonParser(fastify: FastifyInstance, maxDepth = MAX_JSON_DEPTH): JsonParser {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (req, body, done) => {
    if (jsonDeeperThan(body, maxDepth)) {
      done(new JsonTooDeepError(maxDepth));
      return;
    }
    void parse(req, typeof body === 'string' ? body : body.toString('utf8'), done);
  };
}
