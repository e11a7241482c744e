import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CourseTranslationService } from '@lms/catalog';
import type { CourseLanguages, TranslationImport } from '@lms/catalog';
import { Access, CurrentUser } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { XliffExportQueryDto } from './dto/xliff.dto.js';
import { XLIFF_CONTENT_TYPE } from './xliff-body.js';

/** Translation through XLIFF 2.0 and the per-language status (authors of the owning school, admins). */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('courses')
export class CourseTranslationsController {
  constructor(@Inject(CourseTranslationService) private readonly translations: CourseTranslationService) {}

  @Get(':slug/versions/:version/xliff')
  @Access('author', 'admin')
  @ApiOperation({ summary: "Author: a version's text as XLIFF 2.0 for translation into ?target= (titles, summary, lessons by block, quiz)" })
  @ApiProduces(XLIFF_CONTENT_TYPE)
  @ApiOkResponse({ description: 'XLIFF 2.0 document', content: { [XLIFF_CONTENT_TYPE]: { schema: { type: 'string' } } } })
  async export(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('version', new ParseIntPipe({ errorHttpStatusCode: 400 })) version: number,
    @Query() query: XliffExportQueryDto,
  ): Promise<StreamableFile> {
    const { filename, xml } = await this.translations.export(principal, slug, version, query.target);
    return new StreamableFile(Buffer.from(xml, 'utf8'), { type: `${XLIFF_CONTENT_TYPE}; charset=utf-8`, disposition: `attachment; filename="${filename}"` });
  }

  @Post(':slug/xliff')
  @HttpCode(201)
  @Access('author', 'admin')
  @ApiOperation({ summary: 'Author: import a translated XLIFF 2.0 file as a draft of the course with its target language' })
  @ApiConsumes(XLIFF_CONTENT_TYPE)
  @ApiBody({ schema: { type: 'string' } })
  @ApiCreatedResponse({ description: 'The draft with the new language' })
  async import(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Body() body: unknown): Promise<TranslationImport> {
    return this.translations.import(principal, slug, body);
  }

  @Get(':slug/languages')
  @Access('author', 'admin')
  @ApiOperation({ summary: 'Author: status of every language of the course (source, complete, outdated, missing)' })
  @ApiOkResponse({ description: 'Per-language status of the current version (the draft, else the latest published)' })
  async languages(@CurrentUser() principal: Principal, @Param('slug') slug: string): Promise<CourseLanguages> {
    return this.translations.languages(principal, slug);
  }
}
