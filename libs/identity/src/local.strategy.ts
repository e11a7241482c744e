import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { FieldError, ValidationError } from '@lms/platform';
import { AuthService } from './auth.service.js';
import { InvalidCredentialsError } from './identity.errors.js';
import { PASSWORD_MAX_LENGTH } from './password.js';
import { requestMetaOf } from './request-meta.js';
import { EMAIL_MAX_LENGTH } from './user-fields.js';

interface LoginRequest {
  body?: unknown;
  ip?: string;
  raw?: { id?: unknown };
}

/** The login body: exactly {email, password}, both non-empty strings (read from the body only, never the query). */
export function loginBodyProblems(body: unknown): FieldError[] {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return [{ field: 'body', message: 'a JSON object {email, password} is required', rule: 'isObject' }];
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (typeof b.email !== 'string' || b.email.trim() === '') errors.push({ field: 'email', message: 'email must be a non-empty string', rule: 'isNotEmpty' });
  else if (b.email.length > EMAIL_MAX_LENGTH)
    errors.push({ field: 'email', message: `email must be at most ${EMAIL_MAX_LENGTH} characters`, rule: 'maxLength', params: { max: EMAIL_MAX_LENGTH } });
  if (typeof b.password !== 'string' || b.password === '')
    errors.push({ field: 'password', message: 'password must be a non-empty string', rule: 'isNotEmpty' });
  else if (b.password.length > PASSWORD_MAX_LENGTH)
    errors.push({ field: 'password', message: `password must be at most ${PASSWORD_MAX_LENGTH} characters`, rule: 'maxLength', params: { max: PASSWORD_MAX_LENGTH } });
  for (const key of Object.keys(b))
    if (key !== 'email' && key !== 'password') errors.push({ field: key, message: `${key} is not allowed`, rule: 'whitelistValidation' });
  return errors;
}

/** Passport local strategy: e-mail + password, throttled, argon2id. Yields `{ userId }`. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  async validate(request: LoginRequest, _email: string, _password: string): Promise<{ userId: string }> {
    const problems = loginBodyProblems(request.body);
    if (problems.length) throw new ValidationError(problems);
    const body = request.body as { email: string; password: string };
    const userId = await this.auth.verifyCredentials(body.email, body.password, requestMetaOf(request).ip);
    return { userId };
  }
}

/** Guard for POST /auth/login: 400 for a malformed body, 429 when throttled, one 401 for every bad credential. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override handleRequest<TUser>(err: unknown, user: TUser, _info: unknown, context: ExecutionContext): TUser {
    if (err) throw err;
    if (!user) {
      const problems = loginBodyProblems(context.switchToHttp().getRequest<LoginRequest>().body);
      if (problems.length) throw new ValidationError(problems);
      throw new InvalidCredentialsError();
    }
    return user;
  }
}
