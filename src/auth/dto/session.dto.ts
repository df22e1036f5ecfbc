import { ApiProperty } from '@nestjs/swagger';
import { Permission } from '../../common/auth/permission';

/** The caller, as the credential used tells it: what a client shows and which screens it offers. */
export class SessionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  userName!: string;
  @ApiProperty({ type: [String], description: "The account's roles" })
  roles!: string[];
  @ApiProperty({
    enum: Object.values(Permission),
    isArray: true,
    description:
      "What this credential may do: the roles' permissions for a session, the key's own for an API key",
  })
  permissions!: Permission[];
  @ApiProperty()
  mfaEnabled!: boolean;
  @ApiProperty({ enum: ['session', 'api-key'] })
  credential!: 'session' | 'api-key';
}
