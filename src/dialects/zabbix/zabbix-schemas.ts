import type { SchemaObject } from '@nestjs/swagger';

/** Zabbix's JSON-RPC request and answer (named schemas that are no class: see setUpOpenApi). */
export const ZABBIX_SCHEMAS: Record<string, SchemaObject> = {
  ZabbixRequest: {
    type: 'object',
    required: ['jsonrpc', 'method'],
    properties: {
      jsonrpc: { type: 'string', enum: ['2.0'] },
      method: { type: 'string', example: 'user.resettotp' },
      params: {
        oneOf: [
          { type: 'array', items: {} },
          { type: 'object', additionalProperties: true },
        ],
        example: ['0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90'],
      },
      auth: { type: 'string', description: 'Legacy: the API token, instead of the header' },
      id: {
        oneOf: [{ type: 'string' }, { type: 'integer' }],
        description: 'Left out: a notification',
      },
    },
  },
  ZabbixResponse: {
    type: 'object',
    required: ['jsonrpc', 'id'],
    properties: {
      jsonrpc: { type: 'string', enum: ['2.0'] },
      result: { description: 'The method\'s result, e.g. {"userids": [...]}' },
      error: {
        type: 'object',
        required: ['code', 'message', 'data'],
        properties: {
          code: { type: 'integer', example: -32602 },
          message: { type: 'string', example: 'Invalid params.' },
          data: { type: 'string', example: 'Not authorized.' },
        },
      },
      id: {
        oneOf: [{ type: 'string', nullable: true }, { type: 'integer' }],
        description: "The request's id; null when it could not be read",
      },
    },
  },
};
