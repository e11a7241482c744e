import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE } from './problem.js';

/** What the router and the HTTP parser refuse before any route or hook runs, in plain words. */
const ROUTER_DETAIL: Record<string, [number, string]> = {
  FST_ERR_BAD_URL: [400, 'The URL is not valid (a percent-encoded part does not decode)'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'A part of the URL is too long'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'The request does not match a route constraint'],
};

/**
 * Fastify's `frameworkErrors` option: errors of the router (bad URL encoding, an over-long path
 * parameter) as application/problem+json like every other error, instead of Fastify's JSON.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const [status, detail] = ROUTER_DETAIL[error.code ?? ''] ?? [error.statusCode && error.statusCode < 500 ? error.statusCode : 400, 'The request is not valid'];
  reply
    .code(status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(problem(status, detail, { code: 'bad_request_line', instance: request.url?.split('?')[0]?.slice(0, 200) }));
}

/**
 * Fastify's `clientErrorHandler` option: what Node's HTTP parser refuses (headers too large,
 * a malformed request, a request that took too long) answered as problem+json on the socket.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers (or the URL) are larger than the server accepts']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request took too long to arrive']
        : [400, 'The request is not valid HTTP'];
  const body = JSON.stringify(problem(status, detail, { code: 'bad_request_line' }));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
