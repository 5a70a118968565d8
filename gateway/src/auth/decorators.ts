import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { RoleGatedAction } from '@drugtrace/chaincode/domain';
import { Caller } from './caller';

export const PUBLIC_KEY = 'drugtrace:public';
export const ACTION_KEY = 'drugtrace:action';
export const ADMIN_KEY = 'drugtrace:admin';
export const KEY_OPTIONAL = 'drugtrace:key-optional';

/** Open to anyone, no API key. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** Open to anyone, but a request that presents an API key is authenticated by it (a member's request). */
export const KeyOptional = (): MethodDecorator & ClassDecorator => SetMetadata(KEY_OPTIONAL, true);

/** Only callers whose role may take this action (the domain's ACTION_ROLES; the chaincode checks again). */
export const Allowed = (action: RoleGatedAction): MethodDecorator & ClassDecorator =>
  SetMetadata(ACTION_KEY, action);

/** Only the organisation's administrators (users added with admin rights; the demo user1). */
export const OrgAdmin = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_KEY, true);

export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  return ctx.switchToHttp().getRequest<{ caller: Caller }>().caller;
});
