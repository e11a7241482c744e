import { Controller, Get, Header, Headers, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { isCountryCode } from '@lms/identity';
import { NotFoundError, Public, ValidationError } from '@lms/platform';
import { OPEN_DATA_CSV_COLUMNS, OpenDataService, TOTAL_KEY, type HubInstitution, type OpenDataDocument } from '@lms/reporting';
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
  @ApiOperation({
    summary: 'Completion by institution, course, gender, locality or year, for the instance, a country or one institution; cells under 5 people suppressed (null)',
  })
  @ApiOkResponse({ type: OpenDataDocumentDto })
  @ApiProduces('application/json', 'text/csv')
  async completion(@Query() query: OpenDataQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<OpenDataDocument | StreamableFile> {
    const dimension = query.by ?? 'institution';
    if (query.country !== undefined && !isCountryCode(query.country)) {
      throw new ValidationError([{ field: 'country', message: 'country must be an ISO 3166-1 alpha-2 code in capitals, such as RS, ME or MK' }]);
    }
    let institution: HubInstitution | undefined;
    if (query.institution !== undefined) {
      institution = (await this.openData.findInstitution(query.institution)) ?? undefined;
      if (!institution || (query.country !== undefined && institution.country !== query.country)) throw new NotFoundError('Institution', query.institution.slice(0, 200));
    }
    const lang = query.lang ?? acceptLanguage?.split(',')[0]?.split(';')[0]?.trim() ?? undefined;
    const doc = await this.openData.table(dimension, { country: query.country, institution, lang: lang || undefined });
    if (!doc) throw new NotFoundError('Country', query.country ?? '');
    if (query.format !== 'csv') return doc;
    const total = { key: TOTAL_KEY, label: 'Total', ...doc.total, country: doc.country, institution: doc.institution && { code: doc.institution.code, name: doc.institution.name } };
    const rows = [...doc.rows, total].map((r) => ({ dimension, ...r }));
    const scope = (institution ? `-${institution.code}` : query.country ? `-${query.country}` : '').replace(/[^A-Za-z0-9_-]/g, '_');
    return csvResponse(`open-data-completion-by-${dimension}${scope}`, OPEN_DATA_CSV_COLUMNS, once(rows));
  }
}
