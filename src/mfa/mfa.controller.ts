import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowTokenKinds, CurrentPrincipal, CurrentRequest } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { BodyAsSent } from '../common/http/body-as-sent.decorator';
import type { RequestContext } from '../common/http/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import {
  ConfirmEnrollmentDto,
  EnrollmentConfirmedResponse,
  EnrollmentResponse,
  MfaStatusResponse,
} from './dto/mfa.dto';
import { MfaService } from './mfa.service';

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
  @ApiOkResponse({ type: EnrollmentResponse })
  @ApiProblems(401, 409)
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
  @ApiOkResponse({ type: EnrollmentConfirmedResponse })
  @ApiProblems(400, 401, 409)
  confirm(
    @BodyAsSent() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<EnrollmentConfirmedResponse> {
    return this.mfa.confirmEnrollment(principal, body, context);
  }

  @Get()
  @ApiOperation({ operationId: 'GetMfaStatus', summary: "The caller's own MFA state" })
  @ApiOkResponse({ type: MfaStatusResponse })
  @ApiProblems(401)
  status(@CurrentPrincipal() principal: Principal): Promise<MfaStatusResponse> {
    return this.mfa.status(principal);
  }
}
