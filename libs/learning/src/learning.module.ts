import { CourseAnalyticsService } from './course-analytics.service.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { CatalogModule } from '@lms/catalog';
import { ApplyStandingAssignmentsHandler } from './apply-standing-assignments.processor.js';
import { Assignment } from './assignment.entity.js';
import { AssignmentRepository } from './assignment.repository.js';
import { AssignmentService } from './assignment.service.js';
import { CompletionService } from './completion.service.js';
import { Enrolment } from './enrolment.entity.js';
import { EnrolmentReader } from './enrolment.reader.js';
import { EnrolmentRepository } from './enrolment.repository.js';
import { EnrolmentService } from './enrolment.service.js';
import { LessonProgress } from './lesson-progress.entity.js';
import { LessonView } from './lesson-view.entity.js';
import { ProgressService } from './progress.service.js';
import { QuizAttempt } from './quiz-attempt.entity.js';
import { QuizService } from './quiz.service.js';
import { OfflineSyncService } from './offline-sync.service.js';

/** Enrolments, assignments (set-based, standing), progress, quizzes and completion (with its outbox event). */
@Module({
  imports: [TypeOrmModule.forFeature([Enrolment, Assignment, LessonProgress, LessonView, QuizAttempt]), IdentityModule, CatalogModule],
  providers: [
    EnrolmentRepository,
    AssignmentRepository,
    CompletionService,
    AssignmentService,
    EnrolmentService,
    ProgressService,
    QuizService,
    OfflineSyncService,
    EnrolmentReader,
    ApplyStandingAssignmentsHandler,
    CourseAnalyticsService,
  ],
  exports: [CourseAnalyticsService, EnrolmentReader, AssignmentService, EnrolmentService, ProgressService, QuizService, OfflineSyncService, ApplyStandingAssignmentsHandler],
})
export class LearningModule {}
