import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from './app-config.js';
import { parseFederatedProviders } from './federation-config.js';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const oidc = { key: 'entra', name: 'Microsoft Entra ID', issuer: 'https://login.microsoftonline.com/tenant-id/v2.0', clientId: 'abc' };
const saml = {
  key: 'adfs',
  name: 'ADFS',
  entryPoint: 'https://adfs.example.org/adfs/ls/',
  idpIssuer: 'http://adfs.example.org/adfs/services/trust',
  idpCert: pem,
};

function problem(env: Record<string, string>, nodeEnv = 'development'): ConfigError {
  try {
    parseFederatedProviders(env, nodeEnv);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no ConfigError');
}

describe('federated providers in the configuration (OIDC_PROVIDERS, SAML_PROVIDERS)', () => {
  it('none by default', () => {
    expect(parseFederatedProviders({}, 'production')).toEqual([]);
  });

  it('fills the defaults: scopes, claims, attribute names, no just-in-time creation, e-mail not assumed verified', () => {
    const [o, s] = parseFederatedProviders(
      { OIDC_PROVIDERS: JSON.stringify([oidc]), SAML_PROVIDERS: JSON.stringify([saml]) },
      'production',
    );
    expect(o).toEqual({
      protocol: 'oidc',
      ...oidc,
      clientSecret: null,
      scopes: ['openid', 'email', 'profile'],
      emailClaim: 'email',
      externalIdClaim: null,
      nameClaim: 'name',
      assumeEmailVerified: false,
      allowInsecureRequests: false,
      createUsers: false,
      orgUnitCode: null,
    });
    expect(s).toMatchObject({
      protocol: 'saml',
      idpCerts: [pem.trim()],
      spEntityId: null,
      emailAttribute: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      createUsers: false,
    });
  });

  it('accepts plain http only for a loopback issuer outside production', () => {
    const local = { ...oidc, issuer: 'http://127.0.0.1:8080/realms/lms' };
    expect(parseFederatedProviders({ OIDC_PROVIDERS: JSON.stringify([local]) }, 'test')[0]).toMatchObject({ allowInsecureRequests: true });
    expect(problem({ OIDC_PROVIDERS: JSON.stringify([local]) }, 'production').message).toMatch(
      /OIDC_PROVIDERS entry 0: "issuer" must be an https URL/,
    );
    expect(problem({ OIDC_PROVIDERS: JSON.stringify([{ ...oidc, issuer: 'http://idp.example.org' }]) }).variable).toBe('OIDC_PROVIDERS');
  });

  it.each([
    ['OIDC_PROVIDERS', 'not json', /must be a JSON array/],
    ['OIDC_PROVIDERS', '{"key":"x"}', /must be a JSON array/],
    ['OIDC_PROVIDERS', JSON.stringify([{ ...oidc, key: 'Bad Key' }]), /"key" has an unexpected form/],
    ['OIDC_PROVIDERS', JSON.stringify([{ ...oidc, issuer: undefined }]), /"issuer" is required/],
    ['OIDC_PROVIDERS', JSON.stringify([{ ...oidc, scopes: 'email profile' }]), /"scopes" must include "openid"/],
    ['OIDC_PROVIDERS', JSON.stringify([{ ...oidc, createUsers: true }]), /"orgUnitCode" is required when createUsers is true/],
    ['OIDC_PROVIDERS', JSON.stringify([{ ...oidc, createUsers: 'yes' }]), /"createUsers" must be true or false/],
    ['OIDC_PROVIDERS', JSON.stringify([{ ...oidc, clientSecrett: 'typo' }]), /"clientSecrett" is not a known field/],
    ['OIDC_PROVIDERS', JSON.stringify([oidc, oidc]), /key "entra" is used twice/],
    ['SAML_PROVIDERS', JSON.stringify([{ ...saml, idpCert: undefined }]), /"idpCert" is required/],
    ['SAML_PROVIDERS', JSON.stringify([{ ...saml, idpCert: 'short' }]), /"idpCert" must be a PEM or base64 certificate/],
    ['SAML_PROVIDERS', JSON.stringify([{ ...saml, entryPoint: 'ftp://x' }]), /"entryPoint" must be an http\(s\) URL/],
  ])('%s=%s is refused with a message naming the variable', (variable, value, message) => {
    const e = problem({ [variable]: value });
    expect(e.variable).toBe(variable);
    expect(e.message).toMatch(message);
  });

  it('keys are unique across OIDC and SAML (one key names one provider in URLs and the audit log)', () => {
    const e = problem({
      OIDC_PROVIDERS: JSON.stringify([{ ...oidc, key: 'gov' }]),
      SAML_PROVIDERS: JSON.stringify([{ ...saml, key: 'gov' }]),
    });
    expect(e.message).toMatch(/key "gov" is used twice/);
  });
});
