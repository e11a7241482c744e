import { DomainError } from '@lms/platform';

/**
 * Refusals of federation (docs/hub.md): each has its own code (the problem's `type`). A peer that
 * answers badly is a 502 (not the caller's fault); a credential that fails verification is a 422.
 */
export class UntrustedPeerError extends DomainError {
  constructor(url: string) {
    super('untrusted_peer', `${url} is not a trusted peer of this instance (FEDERATION_PEERS)`, 404);
  }
}

export class PeerUnreachableError extends DomainError {
  constructor(url: string, why: string) {
    super('peer_unreachable', `The peer ${url} could not be read: ${why}`, 502, { peer: url });
  }
}

export class PeerFeedInvalidError extends DomainError {
  constructor(url: string, why: string) {
    super('peer_feed_invalid', `The catalog feed of ${url} is not valid: ${why}`, 502, { peer: url });
  }
}

export class PeerKeyMismatchError extends DomainError {
  constructor(url: string, why: string) {
    super('peer_key_mismatch', `The catalog feed of ${url} is not signed with its pinned key: ${why}`, 502, { peer: url });
  }
}

export class CredentialMalformedError extends DomainError {
  constructor(why: string) {
    super('credential_malformed', `The credential is not an Open Badges 3.0 VC-JWT: ${why}`, 400);
  }
}

export class UntrustedIssuerError extends DomainError {
  constructor(issuer: string) {
    super('untrusted_issuer', `The credential's issuer ${issuer} does not belong to a trusted peer`, 422, { issuer });
  }
}

export class UntrustedKeyError extends DomainError {
  constructor(kid: string | undefined) {
    super('untrusted_key', `The credential is signed with a key (${kid ?? 'no kid'}) its issuer does not publish`, 422);
  }
}

export class BadSignatureError extends DomainError {
  constructor() {
    super('bad_signature', 'The credential signature does not verify against its issuer key', 422);
  }
}

export class CredentialExpiredError extends DomainError {
  constructor() {
    super('credential_expired', 'The credential has expired', 422);
  }
}

export class CredentialNotYetValidError extends DomainError {
  constructor() {
    super('credential_not_yet_valid', 'The credential is not valid yet', 422);
  }
}

export class CredentialRevokedError extends DomainError {
  constructor() {
    super('credential_revoked', 'The issuer has revoked the credential', 422);
  }
}

export class StatusListUnavailableError extends DomainError {
  constructor(why: string) {
    super('status_unavailable', `The credential's status list could not be checked: ${why}`, 502);
  }
}

export class PeerCourseNotFoundError extends DomainError {
  constructor(url: string, slug: string) {
    super('peer_course_not_found', `The catalog feed of ${url} lists no public course ${slug}`, 404, { peer: url });
  }
}

export class HolderMismatchError extends DomainError {
  constructor() {
    super(
      'holder_mismatch',
      'The credential was issued to someone else: the e-mail address it names (as a salted hash) is not the e-mail address of your account here',
      422,
    );
  }
}

export class HolderUnboundError extends DomainError {
  constructor() {
    super(
      'holder_unbound',
      'The credential does not name its holder by e-mail address, so it cannot be checked that it is yours. Ask the issuing instance for a re-issued credential (one that carries the e-mail identifier)',
      422,
    );
  }
}
