import { ConflictError, defineMessages, DomainError, NotFoundError } from '@lms/platform';

/** What the competency domain says to people (worded from the interface catalogs, problems.*.ts). */
export const COMPETENCY_MESSAGES = defineMessages('competency', {
  jobRoleExists: 'Job role {code} already exists: change it with PUT /job-roles/{code}',
  frameworkVersionChanged: 'Framework {key} version {version} was already imported with different content: give the changed framework a new version number',
  selfAward: 'You cannot record competency evidence for yourself: ask another HR officer or an admin',
  alreadyRecognised: 'This credential has already been recognised on this instance',
});
const M = COMPETENCY_MESSAGES;

export class FrameworkNotFoundError extends NotFoundError {
  constructor(key: string, version?: number) {
    super('Competency framework', version === undefined ? key : `${key} version ${version}`);
  }
}

export class JobRoleNotFoundError extends NotFoundError {
  constructor(code: string) {
    super('Job role', code);
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('User', id);
  }
}

export class OrgUnitNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Org unit', id);
  }
}

export class JobRoleExistsError extends ConflictError {
  constructor(code: string) {
    super('job_role_exists', M.jobRoleExists({ code }), { code });
  }
}

/** The same framework version was imported before with other content: versions are immutable. */
export class FrameworkVersionChangedError extends ConflictError {
  constructor(key: string, version: number) {
    super(
      'framework_version_changed',
      M.frameworkVersionChanged({ key, version }),
      { key, version },
    );
  }
}

/** Separation of duties: evidence is recorded for others, never for oneself (HR and admins alike). */
export class SelfAwardError extends DomainError {
  constructor() {
    super('self_award_forbidden', M.selfAward(), 403);
  }
}

/** A peer credential is recognised once (per peer and credential id), whoever submits it again. */
export class CredentialAlreadyRecognisedError extends ConflictError {
  constructor() {
    super('credential_already_recognised', M.alreadyRecognised());
  }
}
