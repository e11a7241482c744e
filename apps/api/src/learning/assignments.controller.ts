import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentUser, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { AssignmentService } from '@lms/learning';
import type { AssignmentDetails, AssignPreview, AssignResult } from '@lms/learning';
import { CreateAssignmentDto } from './dto/create-assignment.dto.js';
import { AssignmentResponse, AssignPreviewResponse, AssignResultResponse } from './dto/learning.responses.js';

@ApiTags('learning')
@ApiBearerAuth()
@Controller('assignments')
export class AssignmentsController {
  constructor(@Inject(AssignmentService) private readonly assignments: AssignmentService) {}

  @Post()
  @Access('hr', 'admin')
  @ApiOperation({
    summary: 'Assign a course to people, a unit (subtree) or a job role; idempotent per (course, person). ?dryRun=true: 200 with {matched, alreadyEnrolled, wouldCreate}, nothing written',
  })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiCreatedResponse({ type: AssignResultResponse })
  @ApiOkResponse({ type: AssignPreviewResponse, description: 'with ?dryRun=true' })
  async assign(
    @CurrentUser() principal: Principal,
    @Body() body: CreateAssignmentDto,
    @Query('dryRun') dryRun: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssignResult | AssignPreview> {
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false') throw new ValidationError([{ field: 'dryRun', message: 'dryRun must be true or false' }]);
    const input = {
      courseSlug: body.courseSlug,
      target: { ...body.target },
      dueAt: body.dueAt,
      dueInDays: body.dueInDays,
      renewEveryMonths: body.renewEveryMonths,
    };
    if (dryRun === 'true') {
      void reply.status(200);
      return this.assignments.preview(principal, input);
    }
    return this.assignments.assign(principal, input);
  }

  @Get(':id')
  @Access('hr', 'admin')
  @ApiOperation({ summary: 'An assignment with its counts: assigned, in progress, completed, overdue' })
  @ApiOkResponse({ type: AssignmentResponse })
  async get(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AssignmentDetails> {
    return this.assignments.get(principal, id);
  }
}
