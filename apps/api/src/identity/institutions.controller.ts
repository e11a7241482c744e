import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type Page, type Principal } from '@lms/platform';
import { InstitutionService, ReqMeta, type InstitutionView, type RequestMeta } from '@lms/identity';
import { CreateInstitutionDto, InstitutionListQuery, UpdateInstitutionDto } from './dto/institution.dto.js';

/**
 * The hub's institutions. Anyone signed in may read the list (names, country, logo: what a course
 * page or a share dialog shows); only an instance-wide admin creates, changes or removes one.
 */
@ApiTags('organisation')
@ApiBearerAuth()
@Controller('institutions')
export class InstitutionsController {
  constructor(@Inject(InstitutionService) private readonly institutions: InstitutionService) {}

  @Access('authenticated')
  @Get()
  @ApiOperation({ summary: 'Institutions of the hub (paginated; filter by country or text)' })
  @ApiOkResponse()
  async list(@Query() query: InstitutionListQuery): Promise<Page<InstitutionView>> {
    return this.institutions.list(query);
  }

  @Access('authenticated')
  @Get(':id')
  @ApiOperation({ summary: 'One institution' })
  @ApiOkResponse()
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<InstitutionView> {
    return this.institutions.get(id);
  }

  @Access('admin')
  @Post()
  @ApiOperation({ summary: 'Create an institution: a new top-level org unit (or an existing one) with country, names, logo and issuer name' })
  @ApiCreatedResponse()
  async create(@CurrentUser() principal: Principal, @Body() body: CreateInstitutionDto, @ReqMeta() meta: RequestMeta): Promise<InstitutionView> {
    return this.institutions.create(principal, body, meta);
  }

  @Access('admin')
  @Patch(':id')
  @ApiOperation({ summary: 'Change the country, names, logo or issuer name of an institution' })
  @ApiOkResponse()
  async update(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateInstitutionDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<InstitutionView> {
    return this.institutions.update(principal, id, body, meta);
  }

  @Access('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an institution (409 while people or courses are in its tree; the org tree stays)' })
  @ApiNoContentResponse()
  async remove(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.institutions.remove(principal, id, meta);
  }
}
