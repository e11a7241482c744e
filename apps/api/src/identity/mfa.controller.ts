import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import { InvitationService, MfaService, ReqMeta, type InvitationView, type MfaStatus, type RequestMeta, type TotpEnrolment } from '@lms/identity';
import { MfaCodeDto, MfaProofDto } from './dto/account.dto.js';

/** The caller's own second factor. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me/mfa')
export class MyMfaController {
  constructor(@Inject(MfaService) private readonly mfa: MfaService) {}

  @Access('authenticated')
  @Get()
  @ApiOperation({ summary: 'Whether an authenticator app is set up, recovery codes left, whether the role requires it' })
  async status(@CurrentUser() principal: Principal): Promise<MfaStatus> {
    return this.mfa.status(principal.userId);
  }

  @Access('authenticated')
  @Post('totp')
  @ApiOperation({ summary: 'Start setting up an authenticator app: secret and otpauth URI (pending until verified)' })
  async start(@CurrentUser() principal: Principal): Promise<TotpEnrolment> {
    return this.mfa.startEnrolment(principal.userId);
  }

  @Access('authenticated')
  @Post('totp/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the set-up with a code from the app → ten single-use recovery codes (shown once)' })
  async verify(@CurrentUser() principal: Principal, @Body() body: MfaCodeDto, @ReqMeta() meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    return this.mfa.confirmEnrolment(principal.userId, body.code, meta.ip, meta);
  }

  @Access('authenticated')
  @Delete('totp')
  @HttpCode(204)
  @ApiOperation({ summary: 'Turn the authenticator off, proven with a code or a recovery code (409 when the role requires it)' })
  async disable(@CurrentUser() principal: Principal, @Body() body: MfaProofDto, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.mfa.disable(principal, body ?? {}, meta.ip, meta);
  }
}

/** Account help for a person, by admins and HR who could change them. */
@ApiTags('organisation')
@ApiBearerAuth()
@Controller('users')
export class UserAccountController {
  constructor(
    @Inject(InvitationService) private readonly invitations: InvitationService,
    @Inject(MfaService) private readonly mfa: MfaService,
  ) {}

  @Access('admin', 'hr')
  @Post(':id/invitations')
  @HttpCode(201)
  @ApiOperation({ summary: 'Send a new invitation (the earlier link stops working); 409 when the person has a password already' })
  async resend(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @ReqMeta() meta: RequestMeta): Promise<InvitationView> {
    return this.invitations.resend(principal, id, meta);
  }

  @Access('admin', 'hr')
  @Delete(':id/mfa')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a person’s authenticator (lost phone); they enrol again at the next sign-in if their role requires it' })
  async reset(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.mfa.reset(principal, id, meta);
  }
}
