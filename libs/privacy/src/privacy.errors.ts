import { DomainError } from '@lms/platform';

export class PersonNotFoundError extends DomainError {
  constructor(id: string) {
    super('person_not_found', `Person ${id} was not found`, 404);
  }
}

/** Separation of duties: an administrator cannot erase their own account (another admin can). */
export class SelfErasureError extends DomainError {
  constructor() {
    super('self_erasure', 'You cannot erase your own account; ask another administrator', 403);
  }
}

export class AlreadyErasedError extends DomainError {
  constructor(id: string) {
    super('already_erased', `The personal data of person ${id} was already erased`, 409);
  }
}
