import type { ContactRequestView, DirectoryProfileView } from '@lms/hub';
import type { Page } from '@lms/platform';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import { notice } from './common.js';
import { pager } from './console.pages.js';

export interface DirectoryPageView {
  version: string;
  mine: DirectoryProfileView | null;
  people: Page<DirectoryProfileView> | null;
  requests: ContactRequestView[];
  tag: string;
  flash?: string;
  errors?: Array<{ field: string; message: string }>;
  values?: Record<string, string>;
}

/**
 * The hub's people directory for a signed-in person: the consent text and the form to join (or to
 * change the profile), leaving (deletes the profile), and, for members only, the people in it
 * filtered by expertise. E-mail addresses are never on this page.
 */
export function directoryPage(ctx: PageContext, v: DirectoryPageView): string {
  const { t } = ctx;
  const values = v.values ?? {
    displayName: v.mine?.displayName ?? ctx.user?.displayName ?? '',
    languages: v.mine?.languages.join(', ') ?? '',
    expertise: v.mine?.expertise.join(', ') ?? '',
  };
  const text = (name: 'displayName' | 'languages' | 'expertise', label: string, hint?: string) =>
    html`<div class="field">
      <label for="${name}">${label}</label>${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : ''}<input
        type="text"
        id="${name}"
        name="${name}"
        value="${values[name] ?? ''}"
        ${hint ? html` aria-describedby="${name}-hint"` : ''}
      />
    </div>`;
  const form = html`<form method="post" action="/directory/profile">
    ${csrfField(ctx)} ${text('displayName', t.t('directory.field.displayName'))}
    ${text('languages', t.t('directory.field.languages'), t.t('directory.field.languagesHint', { example: 'sr-Latn, mk, en' }))}
    ${text('expertise', t.t('directory.field.expertise'), t.t('directory.field.expertiseHint'))}
    <div class="field">
      <div class="choice">
        <input type="checkbox" id="consent" name="consent" value="yes" ${v.mine ? ' checked' : ''} /><label for="consent"
          >${t.t('directory.consent.agree', { version: v.version })}</label
        >
      </div>
    </div>
    <div class="actions"><button class="button" type="submit">${v.mine ? t.t('directory.save') : t.t('directory.join')}</button></div>
  </form>`;
  const linked = new Set(v.requests.map((r) => r.person.userId));
  const ask = (p: DirectoryProfileView) =>
    v.mine && p.userId !== v.mine.userId && !linked.has(p.userId)
      ? html`<form method="post" action="/directory/people/${p.userId}/contact">
          ${csrfField(ctx)}<button class="button secondary" type="submit">
            ${t.t('directory.contact.ask', { person: p.displayName })}
          </button>
        </form>`
      : '';
  const request = (r: ContactRequestView) =>
    html`<li class="card">
      <p>
        ${t.t(r.direction === 'incoming' ? 'directory.contact.incoming' : 'directory.contact.outgoing', { person: r.person.displayName })}
      </p>
      ${r.message ? html`<p>${r.message}</p>` : ''}
      <p>
        ${
          r.status === 'accepted'
            ? html`<span class="tag ok">${t.t('directory.contact.accepted')}</span> <a href="mailto:${r.email ?? ''}">${r.email ?? ''}</a>`
            : r.status === 'declined'
              ? html`<span class="tag">${t.t('directory.contact.declined')}</span>`
              : html`<span class="tag">${t.t('directory.contact.pending')}</span>`
        }
      </p>
      ${
        r.direction === 'incoming' && r.status === 'pending'
          ? html`<div class="actions">
              <form method="post" action="/directory/contact-requests/${r.id}/accept">
                ${csrfField(ctx)}<button class="button" type="submit">
                  ${t.t('directory.contact.accept', { person: r.person.displayName })}
                </button>
              </form>
              <form method="post" action="/directory/contact-requests/${r.id}/decline">
                ${csrfField(ctx)}<button class="button secondary" type="submit">
                  ${t.t('directory.contact.decline', { person: r.person.displayName })}
                </button>
              </form>
            </div>`
          : ''
      }
    </li>`;
  const person = (p: DirectoryProfileView) =>
    html`<li class="card">
      <h3>${p.displayName}</h3>
      <ul class="meta">
        ${p.institution ? html`<li>${p.institution.name}${p.country ? html` (${p.country})` : ''}</li>` : ''}${
          p.languages.length
            ? html`<li>${t.t('directory.languagesOf', { list: p.languages.map((l) => t.languageName(l)).join(', ') })}</li>`
            : ''
        }
      </ul>
      ${p.expertise.length ? html`<p>${p.expertise.map((x) => html`<span class="tag">${x}</span> `)}</p>` : ''}${
        p.workshops.length ? html`<p>${t.t('directory.workshops', { list: p.workshops.map((w) => w.title).join(', ') })}</p>` : ''
      }${ask(p)}
    </li>`;
  return renderPage(ctx, {
    title: t.t('directory.title'),
    nav: 'directory',
    errors: v.errors,
    body: html`<h1>${t.t('directory.title')}</h1>
      <p>${t.t('directory.intro')}</p>
      ${v.flash ? notice('ok', v.flash) : ''}
      <section aria-labelledby="consent-title">
        <h2 id="consent-title">${v.mine ? t.t('directory.mine') : t.t('directory.consent.title')}</h2>
        <p>${t.t('directory.consent.text')}</p>
        ${form}
        ${
          v.mine
            ? html`<form method="post" action="/directory/withdraw">
                ${csrfField(ctx)}
                <div class="actions"><button class="button secondary" type="submit">${t.t('directory.withdraw')}</button></div>
              </form>`
            : ''
        }
      </section>
      ${
        v.mine
          ? html`<section aria-labelledby="contacts-title">
              <h2 id="contacts-title">${t.t('directory.contact.title')}</h2>
              ${
                v.requests.length
                  ? html`<ul class="cards two">
                      ${v.requests.map(request)}
                    </ul>`
                  : html`<p>${t.t('directory.contact.empty')}</p>`
              }
            </section>`
          : ''
      }
      ${
        v.people
          ? html`<section aria-labelledby="people-title">
              <h2 id="people-title">${t.t('directory.people')}</h2>
              <form method="get" action="/directory" class="filters">
                <div class="field">
                  <label for="tag">${t.t('directory.filter.tag')}</label><input type="text" id="tag" name="tag" value="${v.tag}" />
                </div>
                <div class="field"><button class="button" type="submit">${t.t('directory.filter.submit')}</button></div>
              </form>
              <p role="status">${t.t('directory.count', { count: v.people.total })}</p>
              <ul class="cards two">
                ${v.people.items.map(person)}
              </ul>
              ${pager(ctx, '/directory', { tag: v.tag || undefined }, v.people.page, v.people.total, v.people.limit)}
            </section>`
          : ''
      }`,
  });
}
