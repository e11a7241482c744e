import { Module } from '@nestjs/common';
import { IdentityModule } from '@lms/identity';
import { PersonalDataRepository } from './personal-data.repository.js';
import { PrivacyService } from './privacy.service.js';
import { RetentionSweepHandler } from './retention-sweep.handler.js';

/** Personal data: export, erasure, retention (docs/privacy.md). */
@Module({
  imports: [IdentityModule],
  providers: [PersonalDataRepository, PrivacyService, RetentionSweepHandler],
  exports: [PrivacyService],
})
export class PrivacyModule {}
