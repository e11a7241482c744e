import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The few Fastify calls the web layer needs (kept structural, so no Fastify types leak into domains). */
interface FastifyLike {
  addHook(name: 'onSend', hook: (req: RequestLike, reply: ReplyLike, payload: unknown) => Promise<unknown>): void;
}
interface RequestLike {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}
interface ReplyLike {
  statusCode: number;
  getHeader(name: string): unknown;
  header(name: string, value: string | number): ReplyLike;
  removeHeader(name: string): ReplyLike;
  code(status: number): ReplyLike;
}

const COMPRESSIBLE = /^(text\/|application\/(json|problem\+json|manifest\+json|javascript)|image\/svg)/;
const MIN_BYTES = 1024;

function accepts(header: string | string[] | undefined, coding: string): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    if (name.trim().toLowerCase() !== coding) return false;
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    return q === undefined || Number(q) > 0;
  });
}

/** Compressed answers by coding and SHA-1 of the uncompressed bytes (least recently used first out). */
const compressed = new Map<string, Buffer>();
const COMPRESSED_MAX_BYTES = 16 * 1024 * 1024;
const COMPRESSED_MAX_BODY = 256 * 1024;
let compressedBytes = 0;

/**
 * The body compressed with `coding`. The same bytes compress to the same bytes, so the result is
 * kept by a hash of the input (the catalog, course and lesson answers repeat for every reader);
 * an answer is only ever served for identical input, whoever asked.
 */
export function compress(body: Buffer, coding: 'br' | 'gzip', sha1?: string): Buffer {
  const run = (): Buffer =>
    coding === 'br'
      ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
      : gzipSync(body, { level: 6 });
  if (body.length > COMPRESSED_MAX_BODY) return run();
  const key = `${coding}:${sha1 ?? createHash('sha1').update(body).digest('base64url')}:${body.length}`;
  const hit = compressed.get(key);
  if (hit) {
    compressed.delete(key);
    compressed.set(key, hit);
    return hit;
  }
  const out = run();
  compressed.set(key, out);
  compressedBytes += out.length;
  for (const [k, v] of compressed) {
    if (compressedBytes <= COMPRESSED_MAX_BYTES) break;
    compressed.delete(k);
    compressedBytes -= v.length;
  }
  return out;
}

/**
 * HTTP details of the pages (HTML forms are parsed by Nest's Fastify adapter: repeated names
 * become arrays): ETags on HTML (304 on a match),
 * and brotli/gzip for every text answer over 1 KB that is not compressed yet (assets come
 * pre-compressed). Brotli at quality 5: ~1 ms for a page here, most of the gain of 11; repeated
 * answers are compressed once (see compress).
 */
export function registerWebHttp(fastify: FastifyLike): void {
  fastify.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    let body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    let sha1: string | undefined;
    if (type.startsWith('text/html') && reply.statusCode === 200 && (req.method === 'GET' || req.method === 'HEAD')) {
      sha1 = createHash('sha1').update(body).digest('base64url');
      const etag = `W/"${sha1}"`;
      reply.header('etag', etag);
      if (req.headers['if-none-match'] === etag) {
        reply.code(304).removeHeader('content-type');
        return '';
      }
    }
    if (body.length < MIN_BYTES || reply.getHeader('content-encoding') || !COMPRESSIBLE.test(type)) return payload;
    const vary = reply.getHeader('vary');
    reply.header('vary', vary ? `${String(vary)}, accept-encoding` : 'accept-encoding');
    if (accepts(req.headers['accept-encoding'], 'br')) {
      body = compress(body, 'br', sha1);
      reply.header('content-encoding', 'br');
    } else if (accepts(req.headers['accept-encoding'], 'gzip')) {
      body = compress(body, 'gzip', sha1);
      reply.header('content-encoding', 'gzip');
    } else return payload;
    reply.removeHeader('content-length');
    return body;
  });
}
