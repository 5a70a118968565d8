import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import * as classTransformer from 'class-transformer';
import { ARRAY_MAX_SIZE, getMetadataStorage } from 'class-validator';
import { FieldError } from './problem';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The 400 for these field errors: the first `maxDetails` listed, the rest counted. */
export function invalidFields(details: FieldError[], maxDetails: number): BadRequestException {
  const shown = details.slice(0, maxDetails);
  const omitted = details.length - shown.length;
  const message = shown.map((d) => `${d.field}: ${d.messages.join(', ')}`);
  if (omitted > 0) message.push(`and ${omitted} more field error(s)`);
  return new BadRequestException({ message, errors: shown, ...(omitted > 0 && { errorsOmitted: omitted }) });
}

type ArrayLimits = { property: string; max: number }[];
/** Per DTO class: its limits never change once its decorators ran, and looking them up costs per request. */
const arrayLimitsCache = new WeakMap<object, ArrayLimits>();

/** The `@ArrayMaxSize` limits a DTO class declares on its properties. */
function arrayLimitsOf(dto: abstract new (...args: never[]) => unknown): ArrayLimits {
  let limits = arrayLimitsCache.get(dto);
  if (!limits) {
    limits = getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .filter((m) => m.name === ARRAY_MAX_SIZE)
      .map((m) => ({ property: m.propertyName, max: Number(m.constraints[0]) }));
    arrayLimitsCache.set(dto, limits);
  }
  return limits;
}

/**
 * The ValidationPipe, with the DTO's array limits enforced on the raw body first: class-transformer and
 * class-validator would otherwise build and validate every item of an oversized array (a 1 MB body holds
 * tens of thousands) before `@ArrayMaxSize` refuses it.
 */
class BoundedValidationPipe extends ValidationPipe {
  constructor(private readonly maxDetails: number) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // The class-transformer the DTOs' @Type/@Transform decorators registered with (the workspace root holds
      // an older copy, pulled in by fabric-contract-api, that Nest would otherwise load and that knows none).
      transformerPackage: classTransformer,
      exceptionFactory: (errors) => invalidFields(flatten(errors), maxDetails),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metatype && typeof value === 'object' && value !== null && this.toValidate(metadata)) {
      const raw = value as Record<string, unknown>;
      const oversized = arrayLimitsOf(metatype).filter(
        ({ property, max }) => Array.isArray(raw[property]) && (raw[property] as unknown[]).length > max,
      );
      if (oversized.length > 0) {
        const details = oversized.map(({ property, max }) => ({
          field: property,
          messages: [`${property} must contain no more than ${max} elements`],
        }));
        throw invalidFields(details, this.maxDetails);
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * Unknown fields are refused, types coerced from the DTOs; field-level errors go into the problem, at most
 * `maxDetails` of them.
 */
export function createValidationPipe(maxDetails: number): ValidationPipe {
  return new BoundedValidationPipe(maxDetails);
}
