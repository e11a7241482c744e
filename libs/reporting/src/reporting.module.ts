import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { CompetencyCoverageService } from './competency-coverage.service.js';
import { CompletionFactRepository } from './completion-fact.repository.js';
import { CompletionReportRepository } from './completion-report.repository.js';
import { CompletionReportService } from './completion-report.service.js';
import { OpenDataTable } from './open-data-table.entity.js';
import { OpenDataRepository } from './open-data.repository.js';
import { OpenDataService } from './open-data.service.js';
import { OverdueReportService } from './overdue-report.service.js';
import { ReportCompletionFact } from './report-completion-fact.entity.js';
import { ReportRefresh } from './report-refresh.entity.js';
import { ReportScope } from './report-scope.service.js';
import { ResultsReportService } from './results-report.service.js';
import { ReportsRefreshProcessor } from './reports-refresh.processor.js';
import { TeamReportService } from './team-report.service.js';

/** HR reports (completion, overdue, per-person results, competency coverage), CSV exports and public open data. */
@Module({
  imports: [TypeOrmModule.forFeature([ReportCompletionFact, ReportRefresh, OpenDataTable]), IdentityModule],
  providers: [
    ReportScope,
    CompletionFactRepository,
    CompletionReportRepository,
    CompletionReportService,
    OverdueReportService,
    ResultsReportService,
    CompetencyCoverageService,
    OpenDataRepository,
    OpenDataService,
    ReportsRefreshProcessor,
    TeamReportService,
  ],
  exports: [CompletionReportService, OverdueReportService, ResultsReportService, CompetencyCoverageService, OpenDataService, CompletionFactRepository, TeamReportService],
})
export class ReportingModule {}
