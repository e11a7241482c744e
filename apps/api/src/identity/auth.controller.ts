import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, Public, type Principal } from '@lms/platform';
import { AuthService, LocalAuthGuard, MfaService, type MfaChallenge, type TokenPair } from '@lms/identity';
import { LoginDto, RefreshDto, TokenPairDto } from './dto/auth.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(MfaService) private readonly mfa: MfaService,
  ) {}

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sign in with e-mail and password (throttled: 429 with Retry-After). With a second factor: {mfaRequired, mfaToken} → POST /auth/mfa; a role that requires one and none set up: {mfaEnrolmentRequired, mfaToken} → POST /auth/mfa/enrol',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenPairDto })
  async login(@Req() request: { user: { userId: string } }): Promise<TokenPair | MfaChallenge> {
    return (await this.mfa.challengeFor(request.user.userId)) ?? this.auth.startSession(request.user.userId);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new token pair for a refresh token (rotation; reusing an old one revokes the session)' })
  @ApiOkResponse({ type: TokenPairDto })
  async refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken);
  }

  @Access('authenticated')
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke the caller’s session (refresh-token family and its access tokens)' })
  @ApiNoContentResponse()
  async logout(@CurrentUser() principal: Principal): Promise<void> {
    await this.auth.logout(principal);
  }
}
