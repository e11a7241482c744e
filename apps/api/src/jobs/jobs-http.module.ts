import { Module } from '@nestjs/common';
import { IdentityModule, JwtAuthGuard } from '@lms/identity';
import { AdminJobsController } from './admin-jobs.controller.js';
import { JobsBoard } from './jobs-board.js';

/** Operations on the job system: failed jobs, run-now, probes, and the admin-only queue dashboard. */
@Module({
  imports: [IdentityModule],
  controllers: [AdminJobsController],
  providers: [JobsBoard, JwtAuthGuard],
})
export class JobsHttpModule {}
