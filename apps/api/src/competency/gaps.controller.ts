import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GapAssignResult, GapService, PersonGapReport, UnitGapReport } from '@lms/competency';
import { ReqMeta, type RequestMeta } from '@lms/identity';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import { GapAssignDto, GapQueryDto, UnitGapQueryDto } from './dto/gaps.dto.js';

@ApiTags('competencies')
@ApiBearerAuth()
@Controller()
export class GapsController {
  constructor(@Inject(GapService) private readonly gaps: GapService) {}

  @Get('users/:id/gaps')
  @Access('authenticated')
  @ApiOperation({ summary: "A person's job-role requirements: required and held level, expiring evidence, and the courses that close each gap" })
  @ApiOkResponse()
  forUser(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: GapQueryDto): Promise<PersonGapReport> {
    return this.gaps.forUser(principal, id, query.warnDays);
  }

  @Get('org-units/:id/gaps')
  @Access('hr')
  @ApiOperation({ summary: 'Gaps of a unit and everything below it, per competency and required level; ?competency= lists the people short of it' })
  @ApiOkResponse()
  forUnit(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: UnitGapQueryDto): Promise<UnitGapReport> {
    return this.gaps.forUnit(principal, id, query);
  }

  @Post('org-units/:id/gaps/assign')
  @Access('hr')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign, per person, the top recommended course for each open gap (idempotent: a second call creates nothing)' })
  @ApiOkResponse()
  assign(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: GapAssignDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<GapAssignResult> {
    return this.gaps.assignForUnit(principal, id, body, meta.requestId);
  }
}
