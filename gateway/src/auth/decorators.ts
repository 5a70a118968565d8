import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@drugtrace/chaincode/domain';
import { Caller } from './caller';

export const PUBLIC_KEY = 'drugtrace:public';
export const ROLES_KEY = 'drugtrace:roles';
export const ADMIN_KEY = 'drugtrace:admin';

/** Open to anyone, no API key. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** Only callers whose organisation has one of these roles (the chaincode checks again). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Only the organisation's administrators (users added with admin rights; the demo user1). */
export const OrgAdmin = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_KEY, true);

export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  return ctx.switchToHttp().getRequest<{ caller: Caller }>().caller;
});
