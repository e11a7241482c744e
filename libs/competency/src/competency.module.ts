import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { LearningModule } from '@lms/learning';
import { CompetencyEvidence } from './competency-evidence.entity.js';
import { CompetencyFramework } from './competency-framework.entity.js';
import { Competency } from './competency.entity.js';
import { EvidenceRepository } from './evidence.repository.js';
import { EvidenceService } from './evidence.service.js';
import { FrameworkImportService } from './framework-import.service.js';
import { FrameworkRepository } from './framework.repository.js';
import { FrameworkService } from './framework.service.js';
import { GapRepository } from './gap.repository.js';
import { GapService } from './gap.service.js';
import { CredentialRecognition } from './credential-recognition.entity.js';
import { JobRoleRequirement } from './job-role-requirement.entity.js';
import { JobRoleRepository } from './job-role.repository.js';
import { JobRole } from './job-role.entity.js';
import { JobRoleService } from './job-role.service.js';
import { RecordEvidenceHandler } from './record-evidence.processor.js';
import { ScimGroupService } from './scim-groups.service.js';

/** Competency frameworks (versioned import), evidence, profiles, job-role requirements and gap analysis. */
@Module({
  imports: [TypeOrmModule.forFeature([CompetencyFramework, Competency, JobRole, JobRoleRequirement, CompetencyEvidence, CredentialRecognition]), IdentityModule, LearningModule],
  providers: [
    FrameworkRepository,
    JobRoleRepository,
    EvidenceRepository,
    GapRepository,
    FrameworkImportService,
    FrameworkService,
    JobRoleService,
    EvidenceService,
    GapService,
    RecordEvidenceHandler,
    ScimGroupService,
  ],
  exports: [FrameworkImportService, FrameworkService, JobRoleService, EvidenceService, GapService, ScimGroupService],
})
export class CompetencyModule {}
