import { Module } from '@nestjs/common';
import { CompetencyModule } from '@lms/competency';
import { CompetenciesController } from './competencies.controller.js';
import { FrameworksController } from './frameworks.controller.js';
import { GapsController } from './gaps.controller.js';
import { JobRolesController } from './job-roles.controller.js';

/** HTTP for competencies: frameworks, profiles and evidence, job roles, gaps. */
@Module({
  imports: [CompetencyModule],
  controllers: [FrameworksController, CompetenciesController, JobRolesController, GapsController],
})
export class CompetencyHttpModule {}
