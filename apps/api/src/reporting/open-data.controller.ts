import { Controller, Get, Header, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@lms/platform';
import { OPEN_DATA_CSV_COLUMNS, OpenDataService, TOTAL_KEY, type OpenDataDocument } from '@lms/reporting';
import { csvResponse, once } from './csv-response.js';
import { OpenDataQueryDto } from './dto/report-query.dto.js';
import { OpenDataDocumentDto } from './dto/report-response.dto.js';

/** Public aggregate statistics: no login, no personal data, small cells suppressed (docs/open-data.md). */
@ApiTags('open data')
@Controller('open-data')
export class OpenDataController {
  constructor(@Inject(OpenDataService) private readonly openData: OpenDataService) {}

  @Public()
  @Get('completion')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({ summary: 'Completion by institution, course, gender, locality or year; cells under 5 people suppressed (null)' })
  @ApiOkResponse({ type: OpenDataDocumentDto })
  @ApiProduces('application/json', 'text/csv')
  async completion(@Query() query: OpenDataQueryDto): Promise<OpenDataDocument | StreamableFile> {
    const dimension = query.by ?? 'institution';
    const doc = await this.openData.table(dimension);
    if (query.format !== 'csv') return doc;
    const rows = [...doc.rows, { key: TOTAL_KEY, label: 'Total', ...doc.total }].map((r) => ({ dimension, ...r }));
    return csvResponse(`open-data-completion-by-${dimension}`, OPEN_DATA_CSV_COLUMNS, once(rows));
  }
}
