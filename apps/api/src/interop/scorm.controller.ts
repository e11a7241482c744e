import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ScormState, ScormRuntimeService } from '@lms/interop';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import { ScormCommitDto } from './dto/scorm-commit.dto.js';

/** The learner's SCORM run-time data for one SCO of an enrolment (docs/interop.md). */
@ApiTags('interop')
@ApiBearerAuth()
@Controller('enrolments/:id/scorm/:scoId')
export class ScormController {
  constructor(@Inject(ScormRuntimeService) private readonly runtime: ScormRuntimeService) {}

  @Get()
  @Access('authenticated')
  @ApiOperation({ summary: 'The stored CMI data (resume: suspend_data, location) and where to launch the SCO; own enrolments only' })
  state(@Param('id', ParseUUIDPipe) id: string, @Param('scoId', ParseUUIDPipe) scoId: string, @CurrentUser() principal: Principal): Promise<ScormState> {
    return this.runtime.state(principal, id, scoId);
  }

  @Post('commit')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Commit CMI data with a sequence number (applied once; completion maps to the lesson); own enrolments only' })
  commit(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('scoId', ParseUUIDPipe) scoId: string,
    @Body() dto: ScormCommitDto,
    @CurrentUser() principal: Principal,
  ): Promise<ScormState & { applied: boolean }> {
    return this.runtime.commit(principal, id, scoId, dto);
  }
}
