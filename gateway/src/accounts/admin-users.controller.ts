import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { CurrentCaller, OrgAdmin } from '../auth/decorators';
import { publicUser } from './account-store';
import { AccountsService } from './accounts.service';
import {
  AddUserRequest,
  IssuedKeyResponse,
  IssuedUserResponse,
  IssueKeyRequest,
  UserView,
} from './admin-users.dto';

/** An organisation's administrators manage its own people: the organisation is always the caller's. */
@ApiTags('admin')
@ApiBearerAuth()
@OrgAdmin()
@Controller('v1/admin/users')
export class AdminUsersController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOkResponse({ type: [UserView] })
  async list(@CurrentCaller() caller: Caller): Promise<UserView[]> {
    return (await this.accounts.listUsers(caller.org)).map(publicUser);
  }

  /** Enrols the person at the organisation's CA and issues their first API key, shown this once. */
  @Post()
  @ApiCreatedResponse({ type: IssuedUserResponse })
  add(@CurrentCaller() caller: Caller, @Body() body: AddUserRequest): Promise<IssuedUserResponse> {
    return this.accounts.addUser({ ...body, org: caller.org });
  }

  /** Keys stop working at once; the certificate is revoked at the CA and in the channel (the peers refuse it). */
  @Post(':name/revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: UserView })
  async revoke(
    @CurrentCaller() caller: Caller,
    @Param('name') name: string,
  ): Promise<Omit<UserView, 'keys'>> {
    if (name === caller.user)
      throw new DomainError('CONFLICT', 'an administrator cannot revoke their own account; ask another');
    return publicUser(await this.accounts.revokeUser(caller.org, name));
  }

  /** A further key, for a rotation: a user holds at most two usable keys. */
  @Post(':name/keys')
  @ApiCreatedResponse({ type: IssuedKeyResponse })
  issueKey(
    @CurrentCaller() caller: Caller,
    @Param('name') name: string,
    @Body() body: IssueKeyRequest,
  ): Promise<IssuedKeyResponse> {
    return this.accounts.issueKey(caller.org, name, body.expiresInDays);
  }

  @Delete(':name/keys/:keyId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revokeKey(
    @CurrentCaller() caller: Caller,
    @Param('name') name: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.accounts.revokeKey(caller.org, name, keyId);
  }
}
