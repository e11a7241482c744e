import { html, SafeHtml, trusted } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { notice } from './common.js';

type FieldErrors = Array<{ field: string; message: string }>;

function errorOf(errors: FieldErrors | undefined, name: string): string | undefined {
  return errors?.find((e) => e.field === name)?.message;
}

/** A text input with its label, optional hint and error, wired for screen readers. */
function input(
  name: string,
  label: string,
  opts: { type?: string; autocomplete?: string; hint?: string; error?: string; value?: string; extra?: SafeHtml; inputmode?: string; maxlength?: number },
): SafeHtml {
  const described = [opts.hint ? `${name}-hint` : '', opts.error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${opts.error ? ' field-error' : ''}"><label for="${name}">${label}</label>${
    opts.hint ? html`<span class="hint" id="${name}-hint">${opts.hint}</span>` : ''
  }${opts.error ? html`<span class="error-message" id="${name}-error">${opts.error}</span>` : ''}<input id="${name}" name="${name}" type="${opts.type ?? 'text'}" autocomplete="${opts.autocomplete ?? 'off'}" spellcheck="false" value="${opts.value ?? ''}"${
    opts.inputmode ? html` inputmode="${opts.inputmode}"` : ''
  }${opts.maxlength ? html` maxlength="${opts.maxlength}"` : ''}${described ? html` aria-describedby="${described}"` : ''}${opts.error ? html` aria-invalid="true"` : ''}${opts.extra ?? ''}></div>`;
}

/**
 * The new-password field. `data-strength` lets the enhancement script add a strength meter under it;
 * without the script the hint says what the rules are and the server checks them.
 */
function newPasswordField(ctx: PageContext, email: string, error?: string): SafeHtml {
  return input('password', ctx.t.t('password.new'), {
    type: 'password',
    autocomplete: 'new-password',
    hint: ctx.t.t('password.hint'),
    error,
    maxlength: 256,
    extra: html` required minlength="12" data-strength data-email="${email}"`,
  });
}

export interface SetPasswordView {
  kind: 'invitation' | 'password_reset';
  action: string;
  name: string;
  email: string;
  errors?: FieldErrors;
  /**
   * Other ways in offered on the invitation page (e.g. "Sign in with <provider>" once a federated
   * provider is configured). Empty: only the password form.
   */
  alternatives?: Array<{ href: string; label: string }>;
}

export function setPasswordPage(ctx: PageContext, v: SetPasswordView): string {
  const { t } = ctx;
  const invitation = v.kind === 'invitation';
  const title = t.t(invitation ? 'invitation.title' : 'reset.newTitle');
  return renderPage(ctx, {
    title,
    errors: v.errors,
    body: html`<h1>${title}</h1>
<p class="lead">${invitation ? t.t('invitation.intro', { name: v.name, email: v.email }) : t.t('reset.newIntro', { email: v.email })}</p>
<form method="post" action="${v.action}" novalidate>${csrfField(ctx)}<input type="hidden" name="username" value="${v.email}" autocomplete="username">
${newPasswordField(ctx, v.email, errorOf(v.errors, 'password'))}
<div class="actions"><button class="button" type="submit">${t.t(invitation ? 'invitation.submit' : 'reset.newSubmit')}</button></div>
</form>${v.alternatives?.length ? html`<ul class="actions">${v.alternatives.map((a) => html`<li><a class="button secondary" href="${a.href}">${a.label}</a></li>`)}</ul>` : ''}`,
  });
}

export type LinkState = 'invalid' | 'used' | 'expired' | 'replaced';

/** A link that cannot be used: what happened and what to do, in the person's language. */
export function linkProblemPage(ctx: PageContext, kind: 'invitation' | 'password_reset', state: LinkState): string {
  const { t } = ctx;
  const title = t.t(`link.${state}.title` as MessageKey);
  const next =
    state === 'used'
      ? html`<p><a class="button" href="/sign-in">${t.t('signIn.submit')}</a></p>`
      : kind === 'invitation'
        ? html`<p>${t.t('link.askInvitation')}</p>`
        : html`<p><a class="button" href="/password-reset">${t.t('link.requestReset')}</a></p>`;
  return renderPage(ctx, {
    title,
    body: html`<h1>${title}</h1>${notice(state === 'used' ? 'info' : 'warn', t.t(`link.${state}.body` as MessageKey))}${next}`,
  });
}

export function resetRequestPage(ctx: PageContext, v: { email?: string; errors?: FieldErrors }): string {
  const { t } = ctx;
  return renderPage(ctx, {
    title: t.t('reset.title'),
    errors: v.errors,
    body: html`<h1>${t.t('reset.title')}</h1><p class="lead">${t.t('reset.intro')}</p>
<form method="post" action="/password-reset" novalidate>${csrfField(ctx)}
${input('email', t.t('signIn.email'), { type: 'email', autocomplete: 'username', value: v.email, error: errorOf(v.errors, 'email'), maxlength: 254, extra: html` required` })}
<div class="actions"><button class="button" type="submit">${t.t('reset.submit')}</button></div>
</form>`,
  });
}

export function resetSentPage(ctx: PageContext, v: { email: string; minutes: number }): string {
  const { t } = ctx;
  return renderPage(ctx, {
    title: t.t('reset.sent.title'),
    body: html`<h1>${t.t('reset.sent.title')}</h1>${notice('ok', t.t('reset.sent.body', { email: v.email, minutes: v.minutes }))}<p><a href="/sign-in">${t.t('signIn.title')}</a></p>`,
  });
}

export interface MfaStepView {
  mfaToken: string;
  returnTo: string;
  errors?: FieldErrors;
}

/** The second sign-in step: a code from the app, or (in a disclosure that works without scripts) a recovery code. */
export function mfaStepPage(ctx: PageContext, v: MfaStepView): string {
  const { t } = ctx;
  const recoveryError = errorOf(v.errors, 'recoveryCode');
  return renderPage(ctx, {
    title: t.t('mfa.title'),
    errors: v.errors,
    body: html`<h1>${t.t('mfa.title')}</h1><p class="lead">${t.t('mfa.intro')}</p>
<form method="post" action="/sign-in/mfa" novalidate>${csrfField(ctx)}<input type="hidden" name="mfaToken" value="${v.mfaToken}"><input type="hidden" name="returnTo" value="${v.returnTo}">
${input('code', t.t('mfa.code'), { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 10, error: errorOf(v.errors, 'code') })}
<details${recoveryError ? ' open' : ''}><summary>${t.t('mfa.useRecovery')}</summary>
${input('recoveryCode', t.t('mfa.recoveryCode'), { hint: t.t('mfa.recoveryHint'), maxlength: 40, error: recoveryError })}
</details>
<div class="actions"><button class="button" type="submit">${t.t('mfa.submit')}</button></div>
</form>`,
  });
}

export interface MfaEnrolView extends MfaStepView {
  secret: string;
  /** SVG of the otpauth URI as a QR code (generated on the server, no script). */
  qrSvg: string;
}

export function mfaEnrolPage(ctx: PageContext, v: MfaEnrolView): string {
  const { t } = ctx;
  const grouped = v.secret.replace(/(.{4})/g, '$1 ').trim();
  return renderPage(ctx, {
    title: t.t('mfa.enrol.title'),
    errors: v.errors,
    body: html`<h1>${t.t('mfa.enrol.title')}</h1><p class="lead">${t.t('mfa.enrol.intro')}</p>
<figure class="qr" role="img" aria-label="${t.t('mfa.enrol.qr')}">${trusted(v.qrSvg)}</figure>
<p>${t.t('mfa.enrol.manual')} <code class="secret">${grouped}</code></p>
<form method="post" action="/sign-in/mfa/enrol" novalidate>${csrfField(ctx)}<input type="hidden" name="mfaToken" value="${v.mfaToken}"><input type="hidden" name="returnTo" value="${v.returnTo}">
${input('code', t.t('mfa.code'), { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 10, error: errorOf(v.errors, 'code') })}
<div class="actions"><button class="button" type="submit">${t.t('mfa.enrol.submit')}</button></div>
</form>`,
  });
}

export function recoveryCodesPage(ctx: PageContext, v: { codes: string[]; returnTo: string }): string {
  const { t } = ctx;
  return renderPage(ctx, {
    title: t.t('mfa.codes.title'),
    body: html`<h1>${t.t('mfa.codes.title')}</h1>${notice('warn', t.t('mfa.codes.intro'))}
<ol class="codes">${v.codes.map((c) => html`<li><code>${c}</code></li>`)}</ol>
<p><a class="button" href="${v.returnTo}">${t.t('mfa.codes.continue')}</a></p>`,
  });
}
