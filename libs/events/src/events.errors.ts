import { ConflictError, DomainError, ForbiddenError } from '@lms/platform';

export class EventCancelledError extends ConflictError {
  constructor(eventId: string) {
    super('event_cancelled', `Event ${eventId} is cancelled`);
  }
}

export class RegistrationClosedError extends ConflictError {
  constructor(reason: 'not_open_yet' | 'closed') {
    super('registration_closed', reason === 'not_open_yet' ? 'Registration for this event has not opened yet' : 'Registration for this event is closed', { reason });
  }
}

export class NotInAudienceError extends ForbiddenError {
  constructor() {
    super('This event is not open to this person (audience: units, job roles or countries)');
  }
}

export class CancellationDeadlinePassedError extends ConflictError {
  constructor() {
    super('cancellation_deadline_passed', 'The cancellation deadline has passed: only HR or the organiser can cancel now');
  }
}

export class RegistrationStateError extends ConflictError {
  constructor(id: string, status: string, wanted: string) {
    super('registration_state', `Registration ${id} is ${status}; it cannot be ${wanted}`, { registrationStatus: status });
  }
}

export class CapacityBelowBookedError extends ConflictError {
  constructor(capacity: number, held: number) {
    super('capacity_below_booked', `Capacity ${capacity} is below the ${held} seats already held`, { held });
  }
}

export class InvalidCheckInTokenError extends DomainError {
  constructor() {
    super('invalid_check_in_token', 'This check-in code is not valid for this session', 400);
  }
}

export class EvaluationClosedError extends ConflictError {
  constructor(message: string) {
    super('evaluation_not_open', message);
  }
}

export class AlreadyAnsweredError extends ConflictError {
  constructor() {
    super('already_answered', 'You have already answered this questionnaire');
  }
}
