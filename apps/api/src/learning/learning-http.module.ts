import { Module } from '@nestjs/common';
import { LearningModule } from '@lms/learning';
import { AssignmentsController } from './assignments.controller.js';
import { EnrolmentsController } from './enrolments.controller.js';

/** HTTP for the learning domain: enrolments, my learning, progress, quizzes, assignments. */
@Module({
  imports: [LearningModule],
  controllers: [EnrolmentsController, AssignmentsController],
})
export class LearningHttpModule {}
