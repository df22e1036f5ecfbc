import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';
import { ALL_PERMISSIONS } from '../auth/permission';

/**
 * A list of permission names, each one this service knows (400 naming the field otherwise),
 * documented with their enum. With stopAtFirstError, the array check (nearest) runs first.
 */
export function PermissionList(description?: string) {
  return applyDecorators(
    ApiProperty({
      type: [String],
      enum: ALL_PERMISSIONS,
      example: ['edit-other-user-totp', 'view-accounts'],
      ...(description === undefined ? {} : { description }),
    }),
    IsIn(ALL_PERMISSIONS, {
      each: true,
      message: `each permission must be one of: ${ALL_PERMISSIONS.join(', ')}`,
    }),
    ArrayMaxSize(50),
    IsArray(),
  );
}
