import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** The cursor a list page gives in `next`, to ask for the page after it. */
export class CursorQuery {
  @ApiPropertyOptional({ description: 'the `next` of the previous page (opaque); omitted: the first page' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  cursor?: string;
}
