import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessScope } from './access-scope.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { OrgUnit } from './org-unit.entity.js';
import { RoleGrant } from './role-grant.entity.js';
import { User } from './user.entity.js';

/** Org units, people, roles, authentication and the global deny-by-default guard. */
@Module({
  imports: [TypeOrmModule.forFeature([OrgUnit, User, RoleGrant])],
  providers: [AccessScope, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [AccessScope, TypeOrmModule],
})
export class IdentityModule {}
