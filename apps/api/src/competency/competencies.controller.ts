import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EvidenceRow, EvidenceService, ProfileEntry } from '@lms/competency';
import { ReqMeta, type RequestMeta } from '@lms/identity';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import { ManualEvidenceDto } from './dto/evidence.dto.js';

@ApiTags('competencies')
@ApiBearerAuth()
@Controller()
export class CompetenciesController {
  constructor(@Inject(EvidenceService) private readonly evidence: EvidenceService) {}

  @Get('me/competencies')
  @Access('authenticated')
  @ApiOperation({ summary: "The caller's held level per competency (highest unexpired evidence) with the evidence trail" })
  @ApiOkResponse()
  mine(@CurrentUser() principal: Principal): Promise<ProfileEntry[]> {
    return this.evidence.profile(principal, principal.userId);
  }

  @Get('users/:id/competencies')
  @Access('authenticated')
  @ApiOperation({ summary: "A person's competency profile: the person, HR in scope, admin" })
  @ApiOkResponse()
  forUser(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ProfileEntry[]> {
    return this.evidence.profile(principal, id);
  }

  @Post('users/:id/competencies/evidence')
  @Access('hr')
  @ApiOperation({ summary: 'Record manual evidence (recognition of prior learning) with a note: HR in scope, admin; audited' })
  @ApiCreatedResponse()
  record(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ManualEvidenceDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<EvidenceRow> {
    return this.evidence.recordManual(principal, id, body, meta.requestId);
  }
}
