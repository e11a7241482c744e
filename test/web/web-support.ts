import request from 'supertest';
import type { TestApi } from '@lms/testing';

export type Agent = ReturnType<typeof request.agent>;

/** A browser without JavaScript: keeps cookies, follows nothing by itself. */
export function browserAgent(api: TestApi): Agent {
  return request.agent(api.app.getHttpServer()).set('accept', 'text/html').set('accept-language', 'en');
}

/** The markup of the form posting to `action` (pages also carry the language form). */
export function formWithAction(html: string, action: string): string {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action} in the page`);
  return html.slice(start, html.indexOf('</form>', start));
}

export function hidden(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden field ${name} in the page`);
  return m[1];
}

export function csrfOf(html: string): string {
  const m = /<meta name="csrf-token" content="([^"]+)">/.exec(html);
  if (!m) throw new Error('no csrf-token meta in the page');
  return m[1];
}

/** Signs in through the form, as a person would; answers the final redirect. */
export async function signIn(agent: Agent, email: string, password: string, returnTo?: string): Promise<request.Response> {
  const form = await agent.get(`/sign-in${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`).expect(200);
  return agent
    .post('/sign-in')
    .type('form')
    .send({ email, password, returnTo: hidden(formWithAction(form.text, '/sign-in'), 'returnTo'), _csrf: hidden(form.text, '_csrf') })
    .expect(303);
}
