import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { CatalogModule } from '@lms/catalog';
import { StorageModule } from '@lms/storage';
import { LearningModule } from '@lms/learning';
import { ScormRuntime } from './runtime/scorm-runtime.entity.js';
import { ScormRuntimeService } from './runtime/scorm-runtime.service.js';
import { Cmi5Service } from './runtime/cmi5.service.js';
import { Cmi5LaunchService } from './runtime/cmi5-launch.service.js';
import { Cmi5Session } from './runtime/cmi5-session.entity.js';
import { ContentPackage, PackageActivityRow } from './package/content-package.entity.js';
import { PackageImportService } from './package/package-import.service.js';
import { DocumentService } from './document.service.js';
import { LrsClient } from './lrs-client.entity.js';
import { LrsClientService } from './lrs-client.service.js';
import { StatementRepository } from './statement.repository.js';
import { StatementService } from './statement.service.js';
import { XapiDocument } from './xapi-document.entity.js';
import { XapiStatement } from './xapi-statement.entity.js';
import { LrsDelivery, LrsEndpoint } from './forward/lrs-endpoint.entity.js';
import { LrsForwarder } from './forward/lrs-forwarder.js';
import { LrsEndpointService } from './forward/lrs-endpoint.service.js';
import { LrsForwardHandler } from './forward/lrs-forward.handler.js';
import { NativeStatementService } from './native/native-statement.service.js';
import { NATIVE_STATEMENT_HANDLERS } from './native/native-statement.handlers.js';

/** Standards interop: the built-in xAPI 1.0.3 LRS and its clients, statements of native learning and forwarding to external LRSs (docs/xapi.md), SCORM and cmi5 package import (docs/interop.md). */
@Module({
  imports: [TypeOrmModule.forFeature([LrsClient, XapiStatement, XapiDocument, ContentPackage, PackageActivityRow, ScormRuntime, Cmi5Session, LrsEndpoint, LrsDelivery]), IdentityModule, CatalogModule, LearningModule, StorageModule],
  providers: [LrsClientService, StatementRepository, StatementService, DocumentService, PackageImportService, ScormRuntimeService, Cmi5Service, Cmi5LaunchService, LrsForwarder, LrsEndpointService, LrsForwardHandler, NativeStatementService, ...NATIVE_STATEMENT_HANDLERS],
  exports: [LrsClientService, StatementService, DocumentService, PackageImportService, ScormRuntimeService, Cmi5Service, Cmi5LaunchService, LrsEndpointService, NativeStatementService],
})
export class InteropModule {}
