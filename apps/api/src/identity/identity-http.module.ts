import { Module } from '@nestjs/common';
import { IdentityModule } from '@lms/identity';
import { AccountController } from './account.controller.js';
import { AuditController } from './audit.controller.js';
import { AuthController } from './auth.controller.js';
import { CsvBodyParser } from './csv-body.js';
import { MeController } from './me.controller.js';
import { MyMfaController, UserAccountController } from './mfa.controller.js';
import { OrgUnitsController } from './org-units.controller.js';
import { InstitutionsController } from './institutions.controller.js';
import { UsersController } from './users.controller.js';

/** HTTP for identity: auth, me, org units, users (with CSV import), audit. */
@Module({
  imports: [IdentityModule],
  controllers: [AuthController, MeController, OrgUnitsController, InstitutionsController, UsersController, AuditController, AccountController, MyMfaController, UserAccountController],
  providers: [CsvBodyParser],
})
export class IdentityHttpModule {}
