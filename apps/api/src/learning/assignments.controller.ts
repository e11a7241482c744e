import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { AssignmentService } from '@lms/learning';
import type { AssignmentDetails, AssignResult } from '@lms/learning';
import { CreateAssignmentDto } from './dto/create-assignment.dto.js';
import { AssignmentResponse, AssignResultResponse } from './dto/learning.responses.js';

@ApiTags('learning')
@ApiBearerAuth()
@Controller('assignments')
export class AssignmentsController {
  constructor(@Inject(AssignmentService) private readonly assignments: AssignmentService) {}

  @Post()
  @Access('hr', 'admin')
  @ApiOperation({ summary: 'Assign a course to people, a unit (subtree) or a job role; idempotent per (course, person)' })
  @ApiCreatedResponse({ type: AssignResultResponse })
  async assign(@CurrentUser() principal: Principal, @Body() body: CreateAssignmentDto): Promise<AssignResult> {
    return this.assignments.assign(principal, {
      courseSlug: body.courseSlug,
      target: { ...body.target },
      dueAt: body.dueAt,
      dueInDays: body.dueInDays,
      renewEveryMonths: body.renewEveryMonths,
    });
  }

  @Get(':id')
  @Access('hr', 'admin')
  @ApiOperation({ summary: 'An assignment with its counts: assigned, in progress, completed, overdue' })
  @ApiOkResponse({ type: AssignmentResponse })
  async get(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AssignmentDetails> {
    return this.assignments.get(principal, id);
  }
}
