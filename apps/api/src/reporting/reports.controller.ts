import { Controller, Get, Headers, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import {
  localisedColumns,
  COMPLETION_CSV_COLUMNS,
  CompetencyCoverageService,
  CompletionReportService,
  COVERAGE_CSV_COLUMNS,
  OVERDUE_CSV_COLUMNS,
  OverdueReportService,
  RESULTS_CSV_COLUMNS,
  ResultsReportService,
  type CompletionReportPage,
  type CoveragePage,
  type OverdueRow,
  type ResultRow,
} from '@lms/reporting';
import type { Page } from '@lms/platform';
import { csvResponse } from './csv-response.js';
import { CompletionReportQueryDto, CoverageQueryDto, OverdueReportQueryDto, ResultsReportQueryDto } from './dto/report-query.dto.js';
import { CompletionReportDto, CoverageReportDto, OverdueReportDto, ResultsReportDto } from './dto/report-response.dto.js';

/** HR reports within the caller's scope (admin: anything). format=csv streams every row as an attachment. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    @Inject(CompletionReportService) private readonly completion: CompletionReportService,
    @Inject(OverdueReportService) private readonly overdue: OverdueReportService,
    @Inject(ResultsReportService) private readonly results: ResultsReportService,
    @Inject(CompetencyCoverageService) private readonly coverage: CompetencyCoverageService,
  ) {}

  @Get('completion')
  @Access('hr', 'admin')
  @ApiOperation({ summary: 'Completion per unit and course: enrolled, assigned, in progress, completed, overdue, completion rate' })
  @ApiOkResponse({ type: CompletionReportDto })
  @ApiProduces('application/json', 'text/csv')
  async completionReport(@CurrentUser() principal: Principal, @Query() query: CompletionReportQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<CompletionReportPage | StreamableFile> {
    const filters = { orgUnitId: query.orgUnitId, courseSlug: query.courseSlug, source: query.source, rollup: query.rollup };
    if (query.format === 'csv') return csvResponse('completion-report', localisedColumns(COMPLETION_CSV_COLUMNS, acceptLanguage, principal.locale), await this.completion.export(principal, filters));
    return this.completion.page(principal, { ...filters, page: query.page, limit: query.limit });
  }

  @Get('overdue')
  @Access('hr', 'admin')
  @ApiOperation({ summary: 'People with overdue assigned (mandatory) training, with manager and days overdue' })
  @ApiOkResponse({ type: OverdueReportDto })
  @ApiProduces('application/json', 'text/csv')
  async overdueReport(@CurrentUser() principal: Principal, @Query() query: OverdueReportQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<Page<OverdueRow> | StreamableFile> {
    const filters = { orgUnitId: query.orgUnitId, courseSlug: query.courseSlug, minDaysOverdue: query.minDaysOverdue };
    if (query.format === 'csv') return csvResponse('overdue-report', localisedColumns(OVERDUE_CSV_COLUMNS, acceptLanguage, principal.locale), await this.overdue.export(principal, filters));
    return this.overdue.page(principal, { ...filters, page: query.page, limit: query.limit });
  }

  @Get('results')
  @Access('hr', 'admin')
  @ApiOperation({ summary: "Each person's enrolments with status, completion date, packaged (SCORM/cmi5) score and passed, and best native quiz score" })
  @ApiOkResponse({ type: ResultsReportDto })
  @ApiProduces('application/json', 'text/csv')
  async resultsReport(@CurrentUser() principal: Principal, @Query() query: ResultsReportQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<Page<ResultRow> | StreamableFile> {
    const filters = { orgUnitId: query.orgUnitId, courseSlug: query.courseSlug, status: query.status };
    if (query.format === 'csv') return csvResponse('results-report', localisedColumns(RESULTS_CSV_COLUMNS, acceptLanguage, principal.locale), await this.results.export(principal, filters));
    return this.results.page(principal, { ...filters, page: query.page, limit: query.limit });
  }

  @Get('competency-coverage')
  @Access('hr', 'admin')
  @ApiOperation({ summary: 'Unit × competency: share of people holding the level their job role requires' })
  @ApiOkResponse({ type: CoverageReportDto })
  @ApiProduces('application/json', 'text/csv')
  async coverageReport(@CurrentUser() principal: Principal, @Query() query: CoverageQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<CoveragePage | StreamableFile> {
    const filters = { orgUnitId: query.orgUnitId, rollup: query.rollup };
    if (query.format === 'csv') return csvResponse('competency-coverage', localisedColumns(COVERAGE_CSV_COLUMNS, acceptLanguage, principal.locale), await this.coverage.export(principal, filters));
    return this.coverage.page(principal, { ...filters, page: query.page, limit: query.limit });
  }
}
