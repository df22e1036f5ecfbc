import { Idempotent } from '../../idempotency/idempotent.decorator';
import { JustificationInput, ResetJustificationInput } from '../../mfa-reset/reset-justification';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  AllowTokenKinds,
  CurrentPrincipal,
  CurrentRequest,
  Public,
  RequirePermission,
  RequireStepUp,
  SignInRateLimited,
} from '../../common/auth/auth.decorators';
import { memberOf } from '../../common/ascii';
import { BodyAsSent } from '../../common/http/body-as-sent.decorator';
import { UnreadableBody } from '../../common/http/body-reader';
import { DomainError } from '../../common/problem/domain-error';
import { AuthService } from '../../auth/auth.service';
import { RocketChatLogin, RocketChatService, RocketChatUser } from './rocket-chat.service';
import { Permission } from '../../common/auth/permission';
import type { Principal } from '../../common/auth/principal';
import type { RequestContext } from '../../common/http/request-context';
import { API_KEY_SCHEME } from '../../common/openapi/api-problems.decorator';
import { isUuid } from '../../common/validation/uuid-param.pipe';
import { MfaResetService } from '../../mfa-reset/mfa-reset.service';

/**
 * Rocket.Chat's login body: `{"user": "...", "password", "code"?}`, also `{"username"}` and
 * `{"user": {"username"}}`; anything else is a 400 naming the field.
 */
function loginOf(body: unknown): { login: string; password: string; code?: string | number } {
  if (body instanceof UnreadableBody) throw body.error;
  const user = memberOf(body, 'user');
  const login =
    typeof user === 'string' ? user : (memberOf(user, 'username') ?? memberOf(body, 'username'));
  const password = memberOf(body, 'password');
  const code = memberOf(body, 'code');
  if (typeof login !== 'string' || login === '' || login.length > 256)
    throw DomainError.validation({ user: ['user (or username) is required.'] });
  if (typeof password !== 'string' || password === '' || password.length > 1024)
    throw DomainError.validation({ password: ['password is required.'] });
  if (code !== undefined && typeof code !== 'string' && typeof code !== 'number')
    throw DomainError.validation({ code: ['code must be the current TOTP code.'] });
  // A number is passed on as a number: the code reader pads a lost leading zero back.
  return { login, password, ...(code === undefined ? {} : { code }) };
}

export class RocketChatLoginBody {
  @ApiProperty({
    example: 'alice',
    description: 'The user name (also `username`, or `{"username"}`)',
  })
  user!: string;
  @ApiProperty({ format: 'password' })
  password!: string;
  @ApiPropertyOptional({
    example: '123456',
    description: 'The current TOTP code (or a recovery code)',
  })
  code?: string;
}

export class RocketChatUsersInfoQuery {
  @ApiPropertyOptional({ description: 'The user id' })
  @IsOptional()
  @Length(1, 256)
  @IsString()
  userId?: string;
  @ApiPropertyOptional({ description: 'Or the user name' })
  @IsOptional()
  @Length(1, 256)
  @IsString()
  username?: string;
}

export class RocketChatResetTotpBody {
  @ApiPropertyOptional({
    description:
      "The user's id, or its user name; the caller's own TOTP is reset when it is left out",
    example: 'alice',
  })
  @IsOptional()
  @Length(1, 256)
  @IsString()
  userId?: string;

  @ApiPropertyOptional({
    description: 'Why (kept in the audit log); also the `X-Reset-Reason` header',
  })
  reason?: string;

  @ApiPropertyOptional({ description: 'The help-desk ticket; also the `X-Reset-Ticket` header' })
  ticket?: string;
}

export class RocketChatSuccess {
  @ApiProperty({ example: true })
  success!: boolean;
}

export class RocketChatResetAnswer extends RocketChatSuccess {
  @ApiPropertyOptional({
    description: 'With RESET_ENROLLMENT_CODE=true: the one-time code enrolling again needs',
  })
  enrollmentCode?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  enrollmentCodeExpiresAt?: string;
}

export class RocketChatError {
  @ApiProperty({ example: false })
  success!: boolean;
  @ApiProperty({ example: 'TOTP Required [totp-required]' })
  error!: string;
  @ApiProperty({
    example: 'totp-required',
    description: 'totp-required, totp-invalid, error-not-allowed, error-invalid-user, ...',
  })
  errorType!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'For totp-required and totp-invalid: method, codeGenerated, availableMethods',
  })
  details?: Record<string, unknown>;
}

export class RocketChatUnauthorized {
  @ApiProperty({ example: 'error' })
  status!: string;
  @ApiProperty({ example: 'You must be logged in to do this.' })
  message!: string;
}

/**
 * Rocket.Chat's calls, served as Rocket.Chat serves them, over this service's own rules: the
 * same token check (API keys in `X-Auth-Token` + `X-User-Id`), permission, step-up and the one
 * reset service; only the shapes are Rocket.Chat's (errors through the one problem filter, in
 * this route's dialect).
 */
@ApiTags('Rocket.Chat')
@ApiBearerAuth()
@ApiSecurity(API_KEY_SCHEME)
@ApiSecurity('rocketChatToken')
@Controller('api/v1')
export class RocketChatController {
  constructor(
    private readonly resets: MfaResetService,
    private readonly rocketChat: RocketChatService,
    private readonly auth: AuthService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @SignInRateLimited()
  @RouteConfig({ errorDialect: 'rocket-chat-login' })
  @ApiOperation({
    operationId: 'RocketChatLogin',
    summary:
      "Rocket.Chat's login: password and TOTP code in one call; authToken + userId then go in X-Auth-Token + X-User-Id",
    security: [],
  })
  @ApiBody({ type: RocketChatLoginBody })
  @ApiOkResponse({ description: '`{"status": "success", "data": {"authToken", "userId", "me"}}`' })
  @ApiResponse({
    status: 401,
    type: RocketChatUnauthorized,
    description:
      'Wrong user or password (`error: "Unauthorized"`), or a code needed or refused (`totp-required`, `totp-invalid`, with details)',
  })
  login(
    @BodyAsSent() body: unknown,
    @CurrentRequest() context: RequestContext,
  ): Promise<RocketChatLogin> {
    const { login, password, code } = loginOf(body);
    return this.rocketChat.login(login, password, code, context);
  }

  @Post('logout')
  @HttpCode(200)
  @AllowTokenKinds('access')
  @RouteConfig({ errorDialect: 'rocket-chat' })
  @ApiOperation({
    operationId: 'RocketChatLogout',
    summary: "Rocket.Chat's logout: ends the session (a session's token only, no API key)",
    security: [{ bearer: [] }, { rocketChatToken: [] }],
  })
  @ApiOkResponse({
    description: `\`{"status": "success", "data": {"message": "You've been logged out!"}}\``,
  })
  @ApiResponse({ status: 401, type: RocketChatUnauthorized, description: 'No valid session token' })
  async logout(
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<{ status: 'success'; data: { message: string } }> {
    await this.auth.signOut(principal, context);
    return { status: 'success', data: { message: "You've been logged out!" } };
  }

  @Get('me')
  @RouteConfig({ errorDialect: 'rocket-chat' })
  @ApiOperation({ operationId: 'RocketChatMe', summary: "Rocket.Chat's me: the caller" })
  @ApiOkResponse({ description: 'The caller, as Rocket.Chat shows a user, with `success: true`' })
  @ApiResponse({ status: 401, type: RocketChatUnauthorized, description: 'Not signed in' })
  async me(@CurrentPrincipal() principal: Principal): Promise<RocketChatUser & { success: true }> {
    return { ...(await this.rocketChat.user(principal.accountId)), success: true };
  }

  @Get('users.info')
  @RequirePermission(Permission.ViewAccounts)
  @RouteConfig({ errorDialect: 'rocket-chat' })
  @ApiOperation({
    operationId: 'RocketChatUsersInfo',
    summary: "Rocket.Chat's users.info: a user by id or user name (to find an id)",
  })
  @ApiOkResponse({ description: '`{"success": true, "user": {"_id", "username", "name", ...}}`' })
  @ApiResponse({
    status: 400,
    type: RocketChatError,
    description: 'error-not-allowed, error-invalid-user',
  })
  @ApiResponse({ status: 401, type: RocketChatUnauthorized, description: 'Not signed in' })
  async usersInfo(
    @Query() query: RocketChatUsersInfoQuery,
  ): Promise<{ success: true; user: RocketChatUser }> {
    const user =
      query.userId !== undefined && isUuid(query.userId)
        ? await this.rocketChat.user(query.userId.toLowerCase())
        : await this.rocketChat.userByName(query.username ?? query.userId ?? '');
    return { success: true, user };
  }

  @Post('users.resetTOTP')
  @HttpCode(200)
  @RouteConfig({ errorDialect: 'rocket-chat' })
  // Above RequireStepUp, so that its problem+json 400 gives way to Rocket.Chat's shape.
  @ApiResponse({
    status: 400,
    type: RocketChatError,
    description:
      'Refused, as Rocket.Chat answers: totp-required / totp-invalid (step-up), error-not-allowed, error-invalid-user',
  })
  @ApiResponse({
    status: 401,
    type: RocketChatUnauthorized,
    description: 'No valid X-Auth-Token / X-User-Id',
  })
  @RequirePermission(Permission.EditOtherUserTotp)
  @RequireStepUp()
  @Idempotent({ problems: false })
  @ApiOperation({
    operationId: 'RocketChatUsersResetTotp',
    summary: "Rocket.Chat's users.resetTOTP: resets a user's TOTP (by id or user name)",
  })
  @ApiHeader({ name: 'X-User-Id', required: true, description: 'The id of the key owner' })
  @ApiBody({ type: RocketChatResetTotpBody, required: false })
  @ApiOkResponse({ type: RocketChatResetAnswer, description: 'The TOTP is reset' })
  async resetTotp(
    @Body() body: RocketChatResetTotpBody,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
    @ResetJustificationInput() justification: JustificationInput,
  ): Promise<RocketChatResetAnswer> {
    const target = body.userId ?? principal.accountId;
    const { enrollmentCode, enrollmentCodeExpiresAt } = isUuid(target)
      ? await this.resets.resetById(principal, target.toLowerCase(), context, justification)
      : await this.resets.resetByName(principal, target, context, justification);
    return {
      success: true,
      ...(enrollmentCode === undefined ? {} : { enrollmentCode, enrollmentCodeExpiresAt }),
    };
  }
}
