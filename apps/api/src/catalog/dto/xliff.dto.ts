import { ApiProperty } from '@nestjs/swagger';
import { IsLanguageTag } from '../../identity/dto/validators.js';

/** GET /courses/:slug/versions/:version/xliff */
export class XliffExportQueryDto {
  @ApiProperty({ description: 'The language to translate into (BCP 47)', example: 'mk' })
  @IsLanguageTag()
  target!: string;
}
