import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, DomainError, type Page, type Principal } from '@lms/platform';
import {
  IMPORT_MAX_BYTES,
  PayloadTooLargeError,
  ReqMeta,
  UserImportService,
  UserService,
  type ImportResult,
  type RequestMeta,
  type UserView,
} from '@lms/identity';
import { CSV_BODY } from './csv-body.js';
import { ImportQueryDto } from './dto/account.dto.js';
import { CreateUserDto, UpdateUserDto, UserListQuery } from './dto/user.dto.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    @Inject(UserService) private readonly users: UserService,
    @Inject(UserImportService) private readonly importer: UserImportService,
  ) {}

  @Access('admin', 'hr')
  @Post()
  @ApiOperation({ summary: 'Create a person (admin; HR inside its scope, granting at most learner and hr)' })
  @ApiCreatedResponse()
  async create(@CurrentUser() principal: Principal, @Body() body: CreateUserDto, @ReqMeta() meta: RequestMeta): Promise<UserView> {
    return this.users.create(principal, body, meta);
  }

  @Access('admin', 'hr')
  @Post('import')
  @HttpCode(200)
  @RouteConfig({ [CSV_BODY]: true })
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'Header row; columns email, displayName, orgUnitCode (required), jobRoleCode, locale, timeZone, gender, locality, externalId, managerEmail, status (optional). Upsert by e-mail. ?dryRun=true reports what would happen and writes nothing.',
    schema: { type: 'string', example: 'email,displayName,orgUnitCode,locale\nana@uprava.gov.rs,Ana Petrović,MUP-IT,sr-Latn\n' },
  })
  @ApiOperation({
    summary:
      'Import people from CSV (streamed, up to 16 MiB): {created, updated, unchanged, deactivated, reactivated, errors: [{line, message}], dryRun}; ?invite=true e-mails the new people an invitation; ?dryRun=true writes nothing',
  })
  @ApiOkResponse()
  async import(
    @CurrentUser() principal: Principal,
    @Req() request: { body?: unknown; headers: Record<string, unknown> },
    @ReqMeta() meta: RequestMeta,
    @Query() query: ImportQueryDto,
  ): Promise<ImportResult> {
    if (Number(request.headers['content-length']) > IMPORT_MAX_BYTES) throw new PayloadTooLargeError(IMPORT_MAX_BYTES);
    const body = request.body;
    if (!(body instanceof Readable) && typeof body !== 'string') {
      throw new DomainError('unsupported_media_type', 'Send the file as text/csv', 415);
    }
    return this.importer.import(principal, body, meta, { invite: query.invite === true, dryRun: query.dryRun === true });
  }

  @Access('admin', 'hr')
  @Get()
  @ApiOperation({ summary: 'People the caller manages (HR: its subtree), by unit and text' })
  @ApiOkResponse()
  async list(@CurrentUser() principal: Principal, @Query() query: UserListQuery): Promise<Page<UserView>> {
    return this.users.list(principal, query);
  }

  @Access('authenticated')
  @Get(':id')
  @ApiOperation({ summary: 'A person (themself, HR in scope, admin)' })
  @ApiOkResponse()
  async get(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<UserView> {
    return this.users.get(principal, id);
  }

  @Access('admin', 'hr')
  @Patch(':id')
  @ApiOperation({ summary: 'Change a person; moving unit or job role re-applies standing assignments; disabling ends their sessions' })
  @ApiOkResponse()
  async update(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateUserDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<UserView> {
    return this.users.update(principal, id, body, meta);
  }
}
