import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessScope } from './access-scope.service.js';
import { AccountLinks } from './account-links.service.js';
import { AccountToken } from './account-token.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditLog } from './audit-log.service.js';
import { AuthService } from './auth.service.js';
import { AuthSession } from './auth-session.entity.js';
import { IdentityBootstrap } from './identity-bootstrap.service.js';
import { InvitationService } from './invitation.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { LocalAuthGuard, LocalStrategy } from './local.strategy.js';
import { LoginAttempt } from './login-attempt.entity.js';
import { LoginThrottle } from './login-throttle.service.js';
import { MfaRecoveryCode, MfaTotp } from './mfa.entity.js';
import { MfaService } from './mfa.service.js';
import { OrgUnit } from './org-unit.entity.js';
import { Institution } from './institution.entity.js';
import { InstitutionService } from './institution.service.js';
import { OrgUnitRepository } from './org-unit.repository.js';
import { OrgUnitService } from './org-unit.service.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RoleGrant } from './role-grant.entity.js';
import { PasswordResetService } from './password-reset.service.js';
import { PrincipalCache } from './principal-cache.service.js';
import { SessionRepository } from './session.repository.js';
import { UserImportService } from './user-import.service.js';
import { User } from './user.entity.js';
import { UserRepository } from './user.repository.js';
import { UserService } from './user.service.js';
import { WebSessionService } from './web-session.service.js';
import { ScimClient } from './scim/scim-client.entity.js';
import { ScimClientGuard } from './scim/scim-client.guard.js';
import { ScimClientService } from './scim/scim-client.service.js';
import { ScimUserService } from './scim/scim-user.service.js';

/** Org units, people, roles, authentication, audit and the global deny-by-default guard. */
@Module({
  imports: [TypeOrmModule.forFeature([OrgUnit, Institution, User, RoleGrant, AuthSession, RefreshToken, LoginAttempt, AuditEvent, AccountToken, MfaTotp, MfaRecoveryCode, ScimClient])],
  providers: [
    AccessScope,
    AuditLog,
    OrgUnitRepository,
    UserRepository,
    SessionRepository,
    PrincipalCache,
    LoginThrottle,
    AuthService,
    LocalStrategy,
    LocalAuthGuard,
    OrgUnitService,
    InstitutionService,
    UserService,
    UserImportService,
    IdentityBootstrap,
    WebSessionService,
    AccountLinks,
    InvitationService,
    PasswordResetService,
    MfaService,
    ScimClientService,
    ScimClientGuard,
    ScimUserService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [
    AccessScope,
    AuditLog,
    AuthService,
    LocalAuthGuard,
    OrgUnitService,
    InstitutionService,
    UserService,
    UserImportService,
    IdentityBootstrap,
    WebSessionService,
    PrincipalCache,
    InvitationService,
    PasswordResetService,
    MfaService,
    ScimClientService,
    ScimClientGuard,
    ScimUserService,
    TypeOrmModule,
  ],
})
export class IdentityModule {}
