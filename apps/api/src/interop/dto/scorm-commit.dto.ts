import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsObject, Max, Min } from 'class-validator';

export class ScormCommitDto {
  @ApiProperty({ description: 'Increases with every commit of this SCO in this enrolment; a retry sends the same number and is applied once', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(2_000_000_000)
  sequence!: number;

  @ApiProperty({ description: 'The CMI data model as the runtime holds it (nested: { core: { lesson_status } } for SCORM 1.2, { completion_status, score: { scaled } } for 2004)', type: Object })
  @IsObject()
  cmi!: Record<string, unknown>;
}
