import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import { CatalogImportError, CatalogService, CourseAuthoringService, coursePackageSchema, CourseUploadService } from '@lms/catalog';
import type { CourseDetail, CourseListItem, CourseUploadResult, LessonContent, VersionSummary } from '@lms/catalog';
import { PACKAGE_BODY as ZIP_BODY } from '../interop/package-body.js';
import { Access, CurrentUser } from '@lms/platform';
import type { Page, Principal } from '@lms/platform';
import { CatalogQueryDto, CourseVersionQueryDto } from './dto/catalog-query.dto.js';
import { CourseDetailResponse, CoursePageResponse, LessonContentResponse, VersionSummaryResponse } from './dto/catalog.responses.js';

/** The JSON Schema of a package, trimmed to what OpenAPI 3.0 understands. */
function openApiSchema(schema: unknown): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      if (k === '$schema' || k === '$id' || k === 'x-hint' || k === 'propertyNames') continue;
      if (k === 'type' && Array.isArray(val)) {
        out.type = val.find((t) => t !== 'null');
        out.nullable = true;
        continue;
      }
      out[k] = walk(val);
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

const PACKAGE_BODY = openApiSchema(coursePackageSchema);

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('courses')
export class CoursesController {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CourseAuthoringService) private readonly authoring: CourseAuthoringService,
    @Inject(CourseUploadService) private readonly uploads: CourseUploadService,
  ) {}

  @Get()
  @Access('authenticated')
  @ApiOperation({ summary: 'Published courses: full-text search (Latin or Cyrillic, accents optional), filters by competency, language and level' })
  @ApiOkResponse({ type: CoursePageResponse })
  async list(@CurrentUser() principal: Principal, @Query() query: CatalogQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<Page<CourseListItem>> {
    return this.catalog.list(principal, query, { lang: query.lang, acceptLanguage });
  }

  @Post()
  @Access('author')
  @ApiOperation({ summary: 'Author: a course package as JSON (same shape as courses/<slug>/) becomes a draft; 400 lists every problem by field' })
  @ApiBody({ schema: PACKAGE_BODY })
  @ApiCreatedResponse({ type: VersionSummaryResponse })
  async create(@CurrentUser() principal: Principal, @Body() body: unknown): Promise<VersionSummary> {
    return this.authoring.createDraft(principal, body);
  }

  @Post('upload')
  @HttpCode(201)
  @Access('author')
  @RouteConfig({ [ZIP_BODY]: true })
  @ApiConsumes('application/zip')
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiOperation({
    summary:
      'Author: a zip of one courses/<slug>/ folder becomes the course draft (created, or replacing the draft); validated first, 422 lists every problem by file, line, column and field; dryRun=true only checks',
  })
  async upload(@CurrentUser() principal: Principal, @Body() body: unknown, @Query('dryRun') dryRun?: string): Promise<CourseUploadResult> {
    if (!Buffer.isBuffer(body) || body.length === 0) throw new CatalogImportError([{ file: '(body)', field: '', message: 'send the zip of a courses/<slug>/ folder as an application/zip body' }]);
    return this.uploads.upload(principal, body, { dryRun: dryRun === 'true' || dryRun === '1' });
  }

  @Get(':slug')
  @Access('authenticated')
  @ApiOperation({ summary: 'The latest published version with its outline and quiz summary (never the answers)' })
  @ApiOkResponse({ type: CourseDetailResponse })
  async detail(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Query() query: CourseVersionQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<CourseDetail> {
    return this.catalog.detail(principal, slug, { version: query.version, lang: query.lang, acceptLanguage });
  }

  @Get(':slug/lessons/:lessonSlug')
  @Access('authenticated')
  @ApiOperation({ summary: 'Lesson content (Markdown and sanitised HTML) for an enrolled learner (their pinned version), an author of the school, admin, or HR of an enrolled learner' })
  @ApiOkResponse({ type: LessonContentResponse })
  async lesson(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('lessonSlug') lessonSlug: string,
    @Query() query: CourseVersionQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<LessonContent> {
    return this.catalog.lesson(principal, slug, lessonSlug, { version: query.version, lang: query.lang, acceptLanguage });
  }

  @Get(':slug/draft')
  @Access('author')
  @ApiOperation({ summary: 'Author: the draft as a JSON package (the body PUT takes)' })
  @ApiOkResponse({ schema: PACKAGE_BODY })
  async draft(@CurrentUser() principal: Principal, @Param('slug') slug: string): Promise<unknown> {
    return this.authoring.getDraft(principal, slug);
  }

  @Put(':slug/draft')
  @Access('author')
  @ApiOperation({ summary: 'Author: replace the draft of a course with a package (created when there is none)' })
  @ApiBody({ schema: PACKAGE_BODY })
  @ApiOkResponse({ type: VersionSummaryResponse })
  async putDraft(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Body() body: unknown): Promise<VersionSummary> {
    return this.authoring.putDraft(principal, slug, body);
  }

  @Post(':slug/publish')
  @HttpCode(201)
  @Access('author')
  @ApiOperation({ summary: 'Author: publish the draft as the next immutable version' })
  @ApiCreatedResponse({ type: VersionSummaryResponse })
  async publish(@CurrentUser() principal: Principal, @Param('slug') slug: string): Promise<VersionSummary> {
    return this.authoring.publish(principal, slug);
  }
}
