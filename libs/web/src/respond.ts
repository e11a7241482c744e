import type { FastifyReply } from 'fastify';

/** Personal pages: revalidated every time (ETag), never stored by shared caches. */
export async function sendPage(reply: FastifyReply, body: string, status = 200, cache = 'private, no-cache'): Promise<void> {
  await reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', cache).send(body);
}

/** Post/Redirect/Get: 303 so a reload does not post again. */
export async function seeOther(reply: FastifyReply, location: string): Promise<void> {
  await reply.redirect(location, 303);
}

export type Form = Record<string, string | string[] | undefined>;

/** The parsed urlencoded body (or {} for anything else). */
export function formOf(body: unknown): Form {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Form) : {};
}

/** One value of a form field (the first when repeated), trimmed and bounded. */
export function field(form: Form, name: string, max = 1000): string {
  const v = form[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim().slice(0, max) : '';
}
