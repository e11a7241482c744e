import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FRAMEWORK_KEY_PATTERN, FrameworkService, FrameworkSummaryRow, FrameworkView } from '@lms/competency';
import { Access, type Page, PageQuery, ValidationError } from '@lms/platform';
import { FrameworkQueryDto } from './dto/framework-query.dto.js';

@ApiTags('competencies')
@ApiBearerAuth()
@Controller('competency-frameworks')
export class FrameworksController {
  constructor(@Inject(FrameworkService) private readonly frameworks: FrameworkService) {}

  @Get()
  @Access('authenticated')
  @ApiOperation({ summary: 'Competency frameworks: the latest version of each, with the versions kept' })
  @ApiOkResponse()
  list(@Query() query: PageQuery): Promise<Page<FrameworkSummaryRow>> {
    return this.frameworks.list(query);
  }

  @Get(':key')
  @Access('authenticated')
  @ApiOperation({ summary: 'One framework version: levels, competency tree and crosswalk (?version=, default the latest)' })
  @ApiOkResponse()
  get(@Param('key') key: string, @Query() query: FrameworkQueryDto): Promise<FrameworkView> {
    if (!FRAMEWORK_KEY_PATTERN.test(key)) throw new ValidationError([{ field: 'key', message: 'key must be a framework key such as dacps' }]);
    return this.frameworks.get(key, query.version);
  }
}
