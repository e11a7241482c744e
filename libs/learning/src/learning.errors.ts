import { ConflictError, defineMessages, DomainError, ForbiddenError } from '@lms/platform';

/** What the learning domain says to people (worded in their language from the interface catalogs, problems.*.ts). */
export const LEARNING_MESSAGES = defineMessages('learning', {
  withdrawn: 'Enrolment {id} was withdrawn: it takes no more progress or quiz attempts',
  completed: 'Enrolment {id} is already completed',
  attemptsExhausted: 'All {allowed} quiz attempt(s) allowed by this course version are used',
  quizPassed: 'The quiz of this enrolment is already passed',
  notYourEnrolment: 'Only the learner of this enrolment may do this',
  noQuiz: 'Course {courseSlug} has no quiz in the version this enrolment is pinned to',
  attemptRace: 'Another attempt was submitted at the same moment; reload and try again',
  answersDoNotFit: 'The answers do not fit this quiz',
  unknownQuestion: 'unknown question id "{id}"',
  answeredTwice: 'question "{id}" is answered more than once',
  unknownChoices: 'unknown choice id(s) for question "{id}": {choices}',
  choiceTwice: 'a choice is listed more than once',
  exactlyOneChoice: 'question "{id}" takes exactly one choice',
  atLeastOneChoice: 'question "{id}" needs at least one choice',
  lessonNotFound: 'Lesson "{lessonSlug}" of course {courseSlug} version {version} was not found',
  personOutOfScope: 'This person is outside your scope',
  enrolmentOutOfScope: 'This enrolment belongs to someone outside your scope',
  assignmentOutOfScope: 'This assignment is outside your scope',
  someOutOfScope: 'Some of the listed people are outside your scope',
  jobRoleAcrossOrganisation: 'Only an admin may assign to a job role across the whole organisation; add target.orgUnitId within your scope',
  unknownUsers: 'unknown user id(s): {ids}',
  analyticsOnlyAuthors: 'Only the authors of the owning school see its analytics',
  dueAtPast: 'dueAt must be in the future',
  dueBoth: 'give either dueAt or dueInDays, not both',
  tooManyUsers: 'target.userIds may list at most {max} people; target a unit or job role instead',
  noTarget: 'target needs userIds, orgUnitId or jobRoleCode',
  targetCombined: 'target.userIds cannot be combined with target.orgUnitId or target.jobRoleCode',
  subUnitsNeedUnit: 'target.includeSubUnits needs target.orgUnitId',
  wholeNumberRange: '{field} must be a whole number from {min} to {max}',
});
const M = LEARNING_MESSAGES;

/** Errors the learning domain raises on purpose (mapped to problem+json by the platform filter). */

export class EnrolmentWithdrawnError extends ConflictError {
  constructor(id: string) {
    super('enrolment_withdrawn', M.withdrawn({ id }));
  }
}

export class EnrolmentCompletedError extends ConflictError {
  constructor(id: string) {
    super('enrolment_completed', M.completed({ id }));
  }
}

export class QuizAttemptsExhaustedError extends ConflictError {
  constructor(allowed: number) {
    super('quiz_attempts_exhausted', M.attemptsExhausted({ allowed }), { attemptsAllowed: allowed, attemptsLeft: 0 });
  }
}

export class QuizAlreadyPassedError extends ConflictError {
  constructor() {
    super('quiz_already_passed', M.quizPassed());
  }
}

export class NotYourEnrolmentError extends ForbiddenError {
  constructor() {
    super(M.notYourEnrolment());
  }
}

export class NoQuizError extends DomainError {
  constructor(courseSlug: string) {
    super('no_quiz', M.noQuiz({ courseSlug }), 404);
  }
}
