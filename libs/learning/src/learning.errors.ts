import { ConflictError, DomainError, ForbiddenError } from '@lms/platform';

/** Errors the learning domain raises on purpose (mapped to problem+json by the platform filter). */

export class EnrolmentWithdrawnError extends ConflictError {
  constructor(id: string) {
    super('enrolment_withdrawn', `Enrolment ${id} was withdrawn: it takes no more progress or quiz attempts`);
  }
}

export class EnrolmentCompletedError extends ConflictError {
  constructor(id: string) {
    super('enrolment_completed', `Enrolment ${id} is already completed`);
  }
}

export class QuizAttemptsExhaustedError extends ConflictError {
  constructor(allowed: number) {
    super('quiz_attempts_exhausted', `All ${allowed} quiz attempt(s) allowed by this course version are used`, { attemptsAllowed: allowed, attemptsLeft: 0 });
  }
}

export class QuizAlreadyPassedError extends ConflictError {
  constructor() {
    super('quiz_already_passed', 'The quiz of this enrolment is already passed');
  }
}

export class NotYourEnrolmentError extends ForbiddenError {
  constructor() {
    super('Only the learner of this enrolment may do this');
  }
}

export class NoQuizError extends DomainError {
  constructor(courseSlug: string) {
    super('no_quiz', `Course ${courseSlug} has no quiz in the version this enrolment is pinned to`, 404);
  }
}
