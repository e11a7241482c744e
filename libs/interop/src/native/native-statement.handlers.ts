import { Inject, Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance, JobPayloads } from '@lms/jobs';
import { NativeStatementService } from './native-statement.service.js';

/** The jobs that turn learning events into xAPI statements in the built-in LRS (thin: ids in, the service reloads). */
@Injectable()
@JobHandler('xapi.statement-enrolment-registered')
export class EnrolmentRegisteredStatementHandler implements JobHandlerInstance<'xapi.statement-enrolment-registered'> {
  constructor(@Inject(NativeStatementService) private readonly native: NativeStatementService) {}
  handle(p: JobPayloads['xapi.statement-enrolment-registered']): Promise<void> {
    return this.native.enrolmentRegistered(p.enrolmentId);
  }
}

@Injectable()
@JobHandler('xapi.statement-lesson-completed')
export class LessonCompletedStatementHandler implements JobHandlerInstance<'xapi.statement-lesson-completed'> {
  constructor(@Inject(NativeStatementService) private readonly native: NativeStatementService) {}
  handle(p: JobPayloads['xapi.statement-lesson-completed']): Promise<void> {
    return this.native.lessonCompleted(p.enrolmentId, p.lessonId);
  }
}

@Injectable()
@JobHandler('xapi.statement-lesson-viewed')
export class LessonViewedStatementHandler implements JobHandlerInstance<'xapi.statement-lesson-viewed'> {
  constructor(@Inject(NativeStatementService) private readonly native: NativeStatementService) {}
  handle(p: JobPayloads['xapi.statement-lesson-viewed']): Promise<void> {
    return this.native.lessonViewed(p.enrolmentId, p.lessonId, p.day);
  }
}

@Injectable()
@JobHandler('xapi.statement-quiz-attempted')
export class QuizAttemptedStatementHandler implements JobHandlerInstance<'xapi.statement-quiz-attempted'> {
  constructor(@Inject(NativeStatementService) private readonly native: NativeStatementService) {}
  handle(p: JobPayloads['xapi.statement-quiz-attempted']): Promise<void> {
    return this.native.quizAttempted(p.attemptId);
  }
}

@Injectable()
@JobHandler('xapi.statement-course-completed')
export class CourseCompletedStatementHandler implements JobHandlerInstance<'xapi.statement-course-completed'> {
  constructor(@Inject(NativeStatementService) private readonly native: NativeStatementService) {}
  handle(p: JobPayloads['xapi.statement-course-completed']): Promise<void> {
    return this.native.courseCompleted(p.enrolmentId);
  }
}

@Injectable()
@JobHandler('xapi.statement-certificate-issued')
export class CertificateIssuedStatementHandler implements JobHandlerInstance<'xapi.statement-certificate-issued'> {
  constructor(@Inject(NativeStatementService) private readonly native: NativeStatementService) {}
  handle(p: JobPayloads['xapi.statement-certificate-issued']): Promise<void> {
    return this.native.certificateIssued(p.certificateId);
  }
}

@Injectable()
@JobHandler('xapi.statement-event-attended')
export class EventAttendedStatementHandler implements JobHandlerInstance<'xapi.statement-event-attended'> {
  constructor(@Inject(NativeStatementService) private readonly native: NativeStatementService) {}
  handle(p: JobPayloads['xapi.statement-event-attended']): Promise<void> {
    return this.native.eventAttended(p.registrationId);
  }
}

export const NATIVE_STATEMENT_HANDLERS = [
  EnrolmentRegisteredStatementHandler,
  LessonCompletedStatementHandler,
  LessonViewedStatementHandler,
  QuizAttemptedStatementHandler,
  CourseCompletedStatementHandler,
  CertificateIssuedStatementHandler,
  EventAttendedStatementHandler,
];
