import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@lms/platform';
import { AuthService, InvitationService, MfaService, PasswordResetService, ReqMeta, type RequestMeta, type TokenPair, type TotpEnrolment } from '@lms/identity';
import { MfaEnrolmentTokenDto, MfaEnrolmentVerifyDto, MfaStepDto, PasswordResetRequestDto, SetPasswordWithLinkDto } from './dto/account.dto.js';

/** The public account routes: password reset, accepting an invitation, the second sign-in step. */
@ApiTags('auth')
@Controller('auth')
export class AccountController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(PasswordResetService) private readonly resets: PasswordResetService,
    @Inject(InvitationService) private readonly invitations: InvitationService,
    @Inject(MfaService) private readonly mfa: MfaService,
  ) {}

  @Public()
  @Post('password-reset')
  @HttpCode(202)
  @ApiOperation({ summary: 'Ask for a password-reset link by e-mail: the same 202 whether the address exists or not (throttled: 429)' })
  @ApiAcceptedResponse({ description: 'If the address belongs to an active account, a link valid 30 minutes was e-mailed' })
  async requestReset(@Body() body: PasswordResetRequestDto, @ReqMeta() meta: RequestMeta): Promise<{ status: 'accepted' }> {
    await this.resets.request(body.email, meta);
    return { status: 'accepted' };
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the link from the e-mail; every session of the person ends (400/410 for a bad, used or expired link)' })
  async confirmReset(@Body() body: SetPasswordWithLinkDto, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.resets.confirm(body.token, body.password, meta);
  }

  @Public()
  @Post('invitations/accept')
  @HttpCode(204)
  @ApiOperation({ summary: 'Choose the first password with an invitation link (400/410 for a bad, used, replaced or expired link)' })
  async acceptInvitation(@Body() body: SetPasswordWithLinkDto, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.invitations.accept(body.token, body.password, meta);
  }

  @Public()
  @Post('mfa')
  @HttpCode(200)
  @ApiOperation({ summary: 'Second sign-in step: mfaToken and a code (or a recovery code) → the token pair (5 wrong codes in 15 minutes: 429)' })
  async secondStep(@Body() body: MfaStepDto, @ReqMeta() meta: RequestMeta): Promise<TokenPair> {
    const userId = await this.mfa.completeSignIn(body.mfaToken, body, meta.ip);
    return this.auth.startSession(userId);
  }

  @Public()
  @Post('mfa/enrol')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign-in for a role that requires MFA, not yet enrolled: a new TOTP secret and otpauth URI' })
  async startEnrolment(@Body() body: MfaEnrolmentTokenDto): Promise<TotpEnrolment> {
    return this.mfa.startEnrolment(await this.mfa.enrollingUser(body.mfaToken));
  }

  @Public()
  @Post('mfa/enrol/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the enrolment at sign-in with a first code → the token pair and ten recovery codes (shown once)' })
  async confirmEnrolment(@Body() body: MfaEnrolmentVerifyDto, @ReqMeta() meta: RequestMeta): Promise<TokenPair & { recoveryCodes: string[] }> {
    const userId = await this.mfa.enrollingUser(body.mfaToken);
    const { recoveryCodes } = await this.mfa.confirmEnrolment(userId, body.code, meta.ip, meta);
    return { ...(await this.auth.startSession(userId)), recoveryCodes };
  }
}
