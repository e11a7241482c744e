import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type Page, type Principal } from '@lms/platform';
import { OrgUnitService, ReqMeta, type OrgUnitDetail, type OrgUnitView, type RequestMeta } from '@lms/identity';
import { CreateOrgUnitDto, OrgUnitListQuery, UpdateOrgUnitDto } from './dto/org-unit.dto.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('org-units')
export class OrgUnitsController {
  constructor(@Inject(OrgUnitService) private readonly units: OrgUnitService) {}

  @Access('admin', 'hr')
  @Post()
  @ApiOperation({ summary: 'Create an org unit (admin anywhere; HR below a unit of its scope). 409 on a duplicate code.' })
  @ApiCreatedResponse()
  async create(@CurrentUser() principal: Principal, @Body() body: CreateOrgUnitDto, @ReqMeta() meta: RequestMeta): Promise<OrgUnitDetail> {
    return this.units.create(principal, body, meta);
  }

  @Access('admin', 'hr')
  @Get()
  @ApiOperation({ summary: 'Org units the caller manages (paginated)' })
  @ApiOkResponse()
  async list(@CurrentUser() principal: Principal, @Query() query: OrgUnitListQuery): Promise<Page<OrgUnitView>> {
    return this.units.list(principal, query);
  }

  @Access('admin', 'hr')
  @Get(':id')
  @ApiOperation({ summary: 'An org unit with its path, ancestors and children' })
  @ApiOkResponse()
  async get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<OrgUnitDetail> {
    return this.units.get(principal, id);
  }

  @Access('admin', 'hr')
  @Patch(':id')
  @ApiOperation({ summary: 'Rename or move an org unit (the whole subtree moves; cycles are refused)' })
  @ApiOkResponse()
  async update(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateOrgUnitDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<OrgUnitDetail> {
    return this.units.update(principal, id, body, meta);
  }
}
