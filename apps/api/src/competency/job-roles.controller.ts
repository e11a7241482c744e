import { Body, Controller, Get, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobRoleService, JobRoleView } from '@lms/competency';
import { ReqMeta, type RequestMeta } from '@lms/identity';
import { Access, CurrentUser, type Page, type Principal, ValidationError } from '@lms/platform';
import { CreateJobRoleDto, JOB_ROLE_CODE, JobRoleListQueryDto, ReplaceJobRoleDto } from './dto/job-role.dto.js';

interface Reply {
  status(code: number): Reply;
}

/** Job roles are organisation-wide: admins define them; anyone signed in may read them. */
@ApiTags('competencies')
@ApiBearerAuth()
@Controller('job-roles')
export class JobRolesController {
  constructor(@Inject(JobRoleService) private readonly roles: JobRoleService) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a job role with required competency levels (admin); 409 when the code exists' })
  @ApiCreatedResponse()
  create(@CurrentUser() principal: Principal, @Body() body: CreateJobRoleDto, @ReqMeta() meta: RequestMeta): Promise<JobRoleView> {
    return this.roles.create(principal, body.code, body, meta.requestId);
  }

  @Put(':code')
  @Access('admin')
  @ApiOperation({ summary: "Replace a job role's title and requirements, or create it (admin)" })
  @ApiOkResponse()
  async replace(
    @CurrentUser() principal: Principal,
    @Param('code') code: string,
    @Body() body: ReplaceJobRoleDto,
    @Res({ passthrough: true }) reply: Reply,
    @ReqMeta() meta: RequestMeta,
  ): Promise<JobRoleView> {
    this.checkCode(code);
    const { created, role } = await this.roles.replace(principal, code, body, meta.requestId);
    reply.status(created ? 201 : 200);
    return role;
  }

  @Get()
  @Access('authenticated')
  @ApiOperation({ summary: 'Job roles with their requirements' })
  @ApiOkResponse()
  list(@Query() query: JobRoleListQueryDto): Promise<Page<JobRoleView>> {
    return this.roles.list(query);
  }

  @Get(':code')
  @Access('authenticated')
  @ApiOperation({ summary: 'One job role with its requirements' })
  @ApiOkResponse()
  get(@Param('code') code: string): Promise<JobRoleView> {
    this.checkCode(code);
    return this.roles.get(code);
  }

  private checkCode(code: string): void {
    if (!JOB_ROLE_CODE.test(code)) throw new ValidationError([{ field: 'code', message: 'code must be letters, digits, dots, hyphens or underscores (at most 64)' }]);
  }
}
