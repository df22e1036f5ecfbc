import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { IDEMPOTENT } from './idempotency-key';

/**
 * The route takes an `Idempotency-Key` header (the IETF httpapi draft's): a retry with the same
 * key and request gets the first answer again and changes nothing; the same key with another
 * request is 422; while the first is under way, 409. `problems: false` for a route whose errors
 * are documented in another system's shape.
 */
export const Idempotent = ({ problems = true }: { problems?: boolean } = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A unique value per intended call (a UUID); a retry with the same key and request gets the first answer again (kept 24 h, header `Idempotent-Replayed: true`) and changes nothing',
    }),
    ...(problems
      ? [
          ApiProblems(
            [
              409,
              'A call with this Idempotency-Key is still under way (`idempotency-key-in-flight`: retry shortly), or did its work but lost its answer (`idempotency-outcome-unknown`: do not retry; the audit log has what it did)',
            ],
            [422, 'This Idempotency-Key was used with another request (`idempotency-key-reused`)'],
          ),
        ]
      : []),
  );
