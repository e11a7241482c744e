import { Body, Controller, Get, HttpCode, Inject, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, ValidationError, type Principal } from '@lms/platform';
import { AuthService, ReqMeta, UserService, type MeView, type RequestMeta } from '@lms/identity';
import { ChangePasswordDto, UpdateMySettingsDto } from './dto/auth.dto.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    @Inject(UserService) private readonly users: UserService,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  @Access('authenticated')
  @Get()
  @ApiOperation({ summary: 'The caller with roles' })
  @ApiOkResponse()
  async me(@CurrentUser() principal: Principal): Promise<MeView> {
    return this.users.me(principal);
  }

  @Access('authenticated')
  @Patch()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change my own settings: language and time zone (other fields are managed by HR)' })
  @ApiOkResponse()
  async updateSettings(@CurrentUser() principal: Principal, @Body() body: UpdateMySettingsDto, @ReqMeta() meta: RequestMeta): Promise<MeView> {
    return this.users.updateOwnSettings(principal, body, meta);
  }

  @Access('authenticated')
  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the caller’s password (other sessions end)' })
  @ApiNoContentResponse()
  async changePassword(@CurrentUser() principal: Principal, @Body() body: ChangePasswordDto, @ReqMeta() meta: RequestMeta): Promise<void> {
    if (!(await this.auth.confirmPassword(principal, body.currentPassword, meta.ip))) {
      throw new ValidationError([{ field: 'currentPassword', message: 'currentPassword is not correct' }]);
    }
    await this.users.setOwnPassword(principal, body.newPassword, meta);
  }
}
