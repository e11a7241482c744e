import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import { notice } from './common.js';

export interface SignInView {
  email?: string;
  returnTo: string;
  errors?: Array<{ field: string; message: string }>;
  signedOut?: boolean;
  continuing?: boolean;
  /** Configured identity providers: one "Sign in with <name>" button each (docs/sso.md). */
  providers?: Array<{ name: string; href: string }>;
  /** After an invitation was accepted or a password reset. */
  passwordNotice?: 'passwordSet' | 'passwordChanged';
}

export function signInPage(ctx: PageContext, v: SignInView): string {
  const { t } = ctx;
  const err = (field: string): string | undefined => v.errors?.find((e) => e.field === field)?.message;
  const field = (name: 'email' | 'password', type: string, label: string, autocomplete: string, value = '') => {
    const e = err(name);
    return html`<div class="field${e ? ' field-error' : ''}"><label for="${name}">${label}</label>${e ? html`<span class="error-message" id="${name}-error">${e}</span>` : ''}<input id="${name}" name="${name}" type="${type}" autocomplete="${autocomplete}" spellcheck="false" value="${value}" required${e ? html` aria-invalid="true" aria-describedby="${name}-error"` : ''}></div>`;
  };
  return renderPage(ctx, {
    title: t.t('signIn.title'),
    errors: v.errors,
    body: html`<h1>${t.t('signIn.title')}</h1>
${v.signedOut ? notice('ok', t.t('signIn.signedOut')) : ''}
${v.passwordNotice ? notice('ok', t.t(v.passwordNotice === 'passwordSet' ? 'signIn.passwordSet' : 'signIn.passwordChanged')) : ''}
${v.continuing && !v.errors?.length ? notice('info', t.t('signIn.continue')) : ''}
<p class="lead">${t.t('signIn.intro')}</p>
${v.providers?.length
    ? html`<section aria-labelledby="federated-heading"><h2 id="federated-heading">${t.t('signIn.federatedHeading')}</h2>
<ul class="federated-sign-in" role="list">${v.providers.map((p) => html`<li><a class="button secondary" href="${p.href}">${t.t('signIn.with', { name: p.name })}</a></li>`)}</ul></section>
<h2>${t.t('signIn.passwordHeading')}</h2>`
    : ''}
<form method="post" action="/sign-in" novalidate>${csrfField(ctx)}<input type="hidden" name="returnTo" value="${v.returnTo}">
${field('email', 'email', t.t('signIn.email'), 'username', v.email ?? '')}
${field('password', 'password', t.t('signIn.password'), 'current-password')}
<div class="actions"><button class="button" type="submit">${t.t('signIn.submit')}</button></div>
</form>
<p><a href="/password-reset">${t.t('signIn.forgot')}</a></p>`,
  });
}

export function signOutPage(ctx: PageContext): string {
  const { t } = ctx;
  return renderPage(ctx, {
    title: t.t('signOut.title'),
    body: html`<h1>${t.t('signOut.title')}</h1><p>${t.t('signOut.body')}</p>
<form method="post" action="/sign-out" data-sign-out>${csrfField(ctx)}<div class="actions"><button class="button warning" type="submit">${t.t('signOut.submit')}</button></div></form>`,
  });
}

/** A federated sign-in that did not succeed: what happened, and the way back to sign-in. */
export function federatedErrorPage(ctx: PageContext, body: string, status: number): string {
  const { t } = ctx;
  return renderPage(ctx, {
    title: t.t('sso.failed.title'),
    body: html`<h1>${t.t('sso.failed.title')}</h1>${notice(status >= 500 ? 'warn' : 'bad', body, 'alert')}<p><a href="/sign-in">${t.t('sso.backToSignIn')}</a></p>`,
  });
}

export function errorPage(ctx: PageContext, v: { title: string; body: string }): string {
  return renderPage(ctx, {
    title: v.title,
    body: html`<h1>${v.title}</h1><p>${v.body}</p><p><a href="/">${ctx.t.t('error.goHome')}</a></p>`,
  });
}

export function offlinePage(ctx: PageContext): string {
  return renderPage(ctx, {
    title: ctx.t.t('offline.title'),
    body: html`<h1>${ctx.t.t('offline.title')}</h1><p>${ctx.t.t('offline.body')}</p><p><a href="/">${ctx.t.t('nav.myLearning')}</a></p>`,
  });
}
