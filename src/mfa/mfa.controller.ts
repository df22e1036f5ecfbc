import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { AllowTokenKinds, CurrentPrincipal, CurrentRequest } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { BodyAsSent } from '../common/http/body-as-sent.decorator';
import type { RequestContext } from '../common/http/request-context';
import {
  API_KEY_SCHEME,
  ApiProblems,
  ApiStepUpProblem,
} from '../common/openapi/api-problems.decorator';
import {
  ConfirmEnrollmentDto,
  EnrollmentConfirmedResponse,
  EnrollmentResponse,
  MfaStatusResponse,
} from './dto/mfa.dto';
import { MfaService } from './mfa.service';

const ENROLL_401 = 'No valid enroll pre-auth token, or access token of an account without MFA';

@ApiTags('Mfa')
@ApiBearerAuth()
@Controller('api/v1/Mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Post('Enroll')
  @HttpCode(200)
  @AllowTokenKinds('enroll', 'access')
  @ApiOperation({
    operationId: 'StartMfaEnrollment',
    summary: 'Starts (or restarts) enrolment of an authenticator app',
  })
  @ApiOkResponse({
    type: EnrollmentResponse,
    description: 'A new secret, pending until confirmed; an earlier pending one is replaced',
  })
  @ApiProblems([401, ENROLL_401], [409, 'MFA is already on'])
  enroll(
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<EnrollmentResponse> {
    return this.mfa.startEnrollment(principal, context);
  }

  @Post('Enroll/Confirm')
  @HttpCode(200)
  @AllowTokenKinds('enroll', 'access')
  @ApiOperation({
    operationId: 'ConfirmMfaEnrollment',
    summary: 'Confirms enrolment with a code; MFA is on from now',
  })
  @ApiBody({ type: ConfirmEnrollmentDto })
  @ApiOkResponse({
    type: EnrollmentConfirmedResponse,
    description: 'MFA is on: ten recovery codes (shown once) and an access token',
  })
  @ApiStepUpProblem(
    'No code (`errors.code`), or a wrong, replayed or malformed code (`totp-invalid`)',
  )
  @ApiProblems([401, ENROLL_401], [409, 'MFA is already on, or no enrolment was started'])
  confirm(
    @BodyAsSent() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<EnrollmentConfirmedResponse> {
    return this.mfa.confirmEnrollment(principal, body, context);
  }

  @Get()
  @ApiSecurity(API_KEY_SCHEME)
  @ApiOperation({ operationId: 'GetMfaStatus', summary: "The caller's own MFA state" })
  @ApiOkResponse({ type: MfaStatusResponse, description: "The caller's MFA state" })
  @ApiProblems(401)
  status(@CurrentPrincipal() principal: Principal): Promise<MfaStatusResponse> {
    return this.mfa.status(principal);
  }
}
