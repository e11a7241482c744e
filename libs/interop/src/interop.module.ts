import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { DocumentService } from './document.service.js';
import { LrsClient } from './lrs-client.entity.js';
import { LrsClientService } from './lrs-client.service.js';
import { StatementRepository } from './statement.repository.js';
import { StatementService } from './statement.service.js';
import { XapiDocument } from './xapi-document.entity.js';
import { XapiStatement } from './xapi-statement.entity.js';

/** Standards interop: the built-in xAPI 1.0.3 LRS and its clients (docs/xapi.md). */
@Module({
  imports: [TypeOrmModule.forFeature([LrsClient, XapiStatement, XapiDocument]), IdentityModule],
  providers: [LrsClientService, StatementRepository, StatementService, DocumentService],
  exports: [LrsClientService, StatementService, DocumentService],
})
export class InteropModule {}
