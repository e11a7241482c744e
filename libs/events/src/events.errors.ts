import { ConflictError, defineMessages, DomainError, ForbiddenError, type LocalisedText } from '@lms/platform';

/** What the events domain says to people (worded in their language from the interface catalogs, problems.*.ts). */
export const EVENT_MESSAGES = defineMessages('events', {
  cancelled: 'Event {eventId} is cancelled',
  registrationNotOpen: 'Registration for this event has not opened yet',
  registrationClosed: 'Registration for this event is closed',
  notInAudience: 'This event is not open to this person (audience: units, job roles or countries)',
  cancellationDeadlinePassed: 'The cancellation deadline has passed: only HR or the organiser can cancel now',
  registrationState: 'Registration {id} is {status}; it cannot be {wanted}',
  capacityBelowBooked: 'Capacity {capacity} is below the {held} seats already held',
  invalidCheckInToken: 'This check-in code is not valid for this session',
  alreadyAnswered: 'You have already answered this questionnaire',
  questionnaireLocked: 'The questionnaire already has answers and can no longer change',
  questionnaireNotOpen: 'The questionnaire opens when the last session starts',
  registerOnlyInScope: 'You may register only yourself or people in your scope',
  cancelOnlyInScope: 'You may cancel only your own registration or those of people in your scope',
  confirmOnlyOffered: 'Only the person offered the seat may confirm it',
  decideOnlyManager: 'Only the person’s manager (or HR once the request is escalated) may decide this request',
  authorsOwnCourses: 'Authors may link events only to courses of their school',
  notYourRegistration: 'This is not your registration',
  checkInOnlyBooked: 'Only a booked registration has a check-in code',
  answerOnlyParticipants: 'Only participants of the event may answer its questionnaire',
  commitOnlyParticipants: 'Only participants of the event may record commitments',
  updateOnlyMembers: 'Only the people who made the commitment may update it',
  organiseOnlyInScope: 'You may organise events only for units in your scope',
  onlyOrganisers: 'Only the organisers and trainers of this event may do this',
  notBooked: '{id} is not a booked registration of this event',
  notParticipant: '{id} is not a participant of this event',
  capacityOverRoom: 'must not exceed the smallest room capacity ({max})',
  roomBelowCapacity: "must hold the event's capacity ({capacity})",
  noSessions: 'an event needs at least one session',
  endsBeforeStart: 'must be after startsAt',
  closesBeforeOpens: 'must be after registrationOpensAt',
  needsVenue: 'a session needs a venue address or an online link',
  noSuchCourse: 'no published course has this slug',
  noSuchLesson: 'the latest published version of the course has no such lesson',
  questionIdsUnique: 'question ids must be unique',
  questionNeedsEnglish: 'every question has an English text',
  textsPerLocale: 'texts are strings per locale',
  textsPerLocaleWithEn: 'texts are strings per locale, with en',
  choiceNeedsChoices: 'a choice question needs choices',
  noSuchQuestion: 'no such question',
  ratingRange: 'a whole number from 1 to {max}',
  oneOfChoices: 'one of the choice ids',
  answerTooLong: 'text of at most {max} characters',
  courseAndLesson: 'a course-linked event names both courseSlug and lessonSlug',
  notNull: 'must not be null',
  trainerWho: 'a trainer is a userId or an externalName',
  noSuchPerson: 'no such person',
  noOrgUnit: 'no org unit {id}',
  approvalUnits: 'name the units whose people need approval',
  courseLinkedCertificate: 'A course-linked event counts toward the course: its certificate is the course certificate',
  attendanceNotMet: 'The attendance rule of this event has not been met',
});
const M = EVENT_MESSAGES;

export class EventCancelledError extends ConflictError {
  constructor(eventId: string) {
    super('event_cancelled', M.cancelled({ eventId }));
  }
}

export class RegistrationClosedError extends ConflictError {
  constructor(reason: 'not_open_yet' | 'closed') {
    super('registration_closed', reason === 'not_open_yet' ? M.registrationNotOpen() : M.registrationClosed(), { reason });
  }
}

export class NotInAudienceError extends ForbiddenError {
  constructor() {
    super(M.notInAudience());
  }
}

export class CancellationDeadlinePassedError extends ConflictError {
  constructor() {
    super('cancellation_deadline_passed', M.cancellationDeadlinePassed());
  }
}

export class RegistrationStateError extends ConflictError {
  constructor(id: string, status: string, wanted: string) {
    super('registration_state', M.registrationState({ id, status, wanted }), { registrationStatus: status });
  }
}

export class CapacityBelowBookedError extends ConflictError {
  constructor(capacity: number, held: number) {
    super('capacity_below_booked', M.capacityBelowBooked({ capacity, held }), { held });
  }
}

export class InvalidCheckInTokenError extends DomainError {
  constructor() {
    super('invalid_check_in_token', M.invalidCheckInToken(), 400);
  }
}

export class EvaluationClosedError extends ConflictError {
  constructor(message: LocalisedText) {
    super('evaluation_not_open', message);
  }
}

export class AlreadyAnsweredError extends ConflictError {
  constructor() {
    super('already_answered', M.alreadyAnswered());
  }
}
