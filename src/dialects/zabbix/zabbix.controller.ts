import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { BodyAsSent } from '../../common/http/body-as-sent.decorator';
import { ZabbixService } from './zabbix.service';

/** Zabbix's JSON-RPC endpoint, with its own authentication per method (API tokens). */
@ApiTags('Zabbix')
@Controller()
export class ZabbixController {
  constructor(private readonly zabbix: ZabbixService) {}

  @Post('api_jsonrpc.php')
  @Public()
  @HttpCode(200)
  @RouteConfig({ errorDialect: 'zabbix' })
  @ApiOperation({
    operationId: 'ZabbixJsonRpc',
    summary:
      "Zabbix's JSON-RPC 2.0 API: apiinfo.version, user.login (refused: MFA), user.logout, user.checkAuthentication, user.get, user.resettotp",
    description:
      'Authentication by an API key as a Zabbix API token: `Authorization: Bearer <key>` or the `auth` member. Step-up for user.resettotp through the `x-2fa-code` header (unless the key has the step-up grant). HTTP 200 throughout; errors are JSON-RPC errors (-32700, -32600, -32601, -32602, -32500); a batch is answered as JSON-RPC batches are, notifications get no answer.',
    security: [{}, { apiKey: [] }],
  })
  @ApiSecurity('apiKey')
  @ApiConsumes('application/json-rpc', 'application/json')
  @ApiHeader({ name: 'x-2fa-code', required: false, description: "The key owner's TOTP code" })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: '#/components/schemas/ZabbixRequest' },
        { type: 'array', items: { $ref: '#/components/schemas/ZabbixRequest' } },
      ],
    },
  })
  @ApiOkResponse({
    description: 'A JSON-RPC answer (or an array of them for a batch)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ZabbixResponse' } } },
  })
  async rpc(
    @BodyAsSent() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { answer, replayed } = await this.zabbix.handle(body, req);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    if (answer === undefined) {
      await reply.code(200).header('Content-Type', 'application/json; charset=utf-8').send('');
      return;
    }
    await reply
      .code(200)
      .header('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify(answer));
  }
}
