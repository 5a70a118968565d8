import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { RoleGatedAction } from '@drugtrace/chaincode/domain';
import { Caller } from './caller';

export const PUBLIC_KEY = 'drugtrace:public';
export const ACTION_KEY = 'drugtrace:action';

/** Open to anyone, no API key. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** Only callers whose role may take this action (the domain's ACTION_ROLES; the chaincode checks again). */
export const Allowed = (action: RoleGatedAction): MethodDecorator & ClassDecorator =>
  SetMetadata(ACTION_KEY, action);

export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  return ctx.switchToHttp().getRequest<{ caller: Caller }>().caller;
});
