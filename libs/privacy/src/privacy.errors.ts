import { defineMessages, DomainError } from '@lms/platform';

/** What erasure says to administrators (worded from the interface catalogs, problems.*.ts). */
export const PRIVACY_MESSAGES = defineMessages('privacy', {
  personNotFound: 'Person {id} was not found',
  selfErasure: 'You cannot erase your own account; ask another administrator',
  alreadyErased: 'The personal data of person {id} was already erased',
});
const M = PRIVACY_MESSAGES;

export class PersonNotFoundError extends DomainError {
  constructor(id: string) {
    super('person_not_found', M.personNotFound({ id }), 404);
  }
}

/** Separation of duties: an administrator cannot erase their own account (another admin can). */
export class SelfErasureError extends DomainError {
  constructor() {
    super('self_erasure', M.selfErasure(), 403);
  }
}

export class AlreadyErasedError extends DomainError {
  constructor(id: string) {
    super('already_erased', M.alreadyErased({ id }), 409);
  }
}
