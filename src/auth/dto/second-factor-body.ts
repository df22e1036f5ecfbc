import type { RequestBodyObject, SchemaObject } from '@nestjs/swagger';

const CODE: SchemaObject = {
  type: 'string',
  description: 'A TOTP code (six digits) or a recovery code (xxxxx-xxxxx)',
  pattern: '^([0-9]{6}|[A-Za-z0-9]{5}-[A-Za-z0-9]{5})$',
  example: '123456',
};

/**
 * The second factor's body in each media type, as the service reads it (named schemas that are
 * no class, so the document lists them itself: see setUpOpenApi).
 */
export const SECOND_FACTOR_SCHEMAS: Record<string, SchemaObject> = {
  SecondFactorCodeObject: {
    type: 'object',
    properties: { code: CODE },
    required: ['code'],
  },
  SecondFactorJson: {
    description:
      'The code as a JSON string, a JSON number (leading zeros may be lost), or {"code"}',
    oneOf: [
      CODE,
      { type: 'integer', minimum: 0, maximum: 999999, example: 123456 },
      { $ref: '#/components/schemas/SecondFactorCodeObject' },
    ],
  },
  SecondFactorText: { ...CODE, description: 'The code as raw text, nothing around it' },
};

export const SECOND_FACTOR_BODY: RequestBodyObject = {
  required: true,
  description: 'The code; the same in every media type, a recovery code in place of a TOTP code',
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/SecondFactorJson' } },
    'text/plain': { schema: { $ref: '#/components/schemas/SecondFactorText' } },
    'application/x-www-form-urlencoded': {
      schema: { $ref: '#/components/schemas/SecondFactorCodeObject' },
    },
  },
};
