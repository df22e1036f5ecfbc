import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import {
  AllowTokenKinds,
  CurrentPrincipal,
  CurrentRequest,
  Public,
  SignInRateLimited,
} from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { BodyAsSent } from '../common/http/body-as-sent.decorator';
import type { RequestContext } from '../common/http/request-context';
import { API_KEY_SCHEME, ApiProblems } from '../common/openapi/api-problems.decorator';
import { AuthService } from './auth.service';
import { SECOND_FACTOR_BODY } from './dto/second-factor-body';
import { SessionResponse } from './dto/session.dto';
import { SignInDto } from './dto/sign-in.dto';

@ApiTags('Sign-in')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signinBody')
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded', 'text/plain')
  @Public()
  @SignInRateLimited()
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    operationId: 'SignIn',
    summary: 'First factor: answers a short-lived pre-auth token (kind mfa or enroll)',
    security: [],
  })
  @ApiOkResponse({
    description:
      'The pre-auth token, as a bare JSON string: of kind `mfa` (send it to /signin2fa) or ' +
      '`enroll` (the account must enrol first)',
    schema: { type: 'string' },
  })
  @ApiProblems(
    [400, 'No login or password, or a body that cannot be read (`errors`)'],
    [
      401,
      'Wrong user name or password, a disabled or locked account: the same answer for all; after a reset that handed out an enrolment code, `enrollment-code-required` (none sent) or `enrollment-code-invalid`',
    ],
    429,
  )
  signIn(@Body() body: SignInDto, @CurrentRequest() context: RequestContext): Promise<string> {
    return this.auth
      .signIn(body.login, body.password, context, body.enrollmentCode)
      .then((t) => JSON.stringify(t));
  }

  @Post('signin2fa')
  @AllowTokenKinds('mfa')
  @SignInRateLimited()
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'SignInSecondFactor',
    summary: 'Second factor: a TOTP or recovery code answers the access token',
    requestBody: SECOND_FACTOR_BODY,
  })
  @ApiOkResponse({
    description: 'The access token, as a bare JSON string',
    schema: { type: 'string' },
  })
  @ApiProblems(
    [400, 'A body that cannot be read (`errors`); counted as a failed attempt'],
    [401, 'No valid mfa pre-auth token, or a wrong, replayed or expired code (`totp-invalid`)'],
    429,
  )
  completeSignIn(
    @BodyAsSent() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<string> {
    return this.auth.completeSignIn(principal, body, context).then((t) => JSON.stringify(t));
  }

  @Post('signout')
  @AllowTokenKinds('access')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'SignOut', summary: 'Ends the session of the token used' })
  @ApiNoContentResponse({ description: 'The session is ended' })
  @ApiProblems(401)
  signOut(
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<void> {
    return this.auth.signOut(principal, context);
  }

  @Get('api/v1/Session')
  @ApiBearerAuth()
  @ApiSecurity(API_KEY_SCHEME)
  @ApiOperation({
    operationId: 'GetSession',
    summary: 'The caller: account, roles and what the credential used may do',
  })
  @ApiOkResponse({
    type: SessionResponse,
    description: 'The caller, with the permissions of the credential used',
  })
  @ApiProblems(401)
  session(@CurrentPrincipal() principal: Principal): SessionResponse {
    return {
      id: principal.accountId,
      userName: principal.userName,
      roles: [...principal.roles].sort(),
      permissions: [...principal.permissions].sort(),
      mfaEnabled: principal.mfaEnabled,
      credential: principal.tokenKind === 'api-key' ? 'api-key' : 'session',
    };
  }
}
