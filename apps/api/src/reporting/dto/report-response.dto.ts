import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ScopeUnitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class CompletionRowDto {
  @ApiProperty({ format: 'uuid' }) orgUnitId!: string;
  @ApiProperty() orgUnitCode!: string;
  @ApiProperty() orgUnitName!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentId!: string | null;
  @ApiProperty() depth!: number;
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty() courseSlug!: string;
  @ApiProperty({ nullable: true, type: String }) courseTitle!: string | null;
  @ApiProperty({ description: 'Enrolments not withdrawn (self and assigned; each renewal cycle counts)' }) enrolled!: number;
  @ApiProperty({ description: 'Of those, from an assignment' }) assigned!: number;
  @ApiProperty() notStarted!: number;
  @ApiProperty() inProgress!: number;
  @ApiProperty() completed!: number;
  @ApiProperty({ description: 'Not completed and past the due date, as of asOf' }) overdue!: number;
  @ApiProperty({ description: 'completed / enrolled (0–1, 4 decimals)' }) completionRate!: number;
}

export class CompletionReportDto {
  @ApiProperty({ type: [CompletionRowDto] }) items!: CompletionRowDto[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the numbers were computed (reports.refresh, every 15 minutes)' }) asOf!: Date | null;
  @ApiProperty() rollup!: boolean;
  @ApiProperty({ type: [ScopeUnitDto] }) scope!: ScopeUnitDto[];
}

export class OverdueRowDto {
  @ApiProperty({ format: 'uuid' }) enrolmentId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ format: 'uuid' }) orgUnitId!: string;
  @ApiProperty() orgUnitName!: string;
  @ApiProperty() courseSlug!: string;
  @ApiProperty({ nullable: true, type: String }) courseTitle!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: "The course version's title in each of its languages (BCP 47 tag → title)" }) courseTitles!: Record<string, string>;
  @ApiProperty({ enum: ['enrolled', 'in_progress'] }) status!: string;
  @ApiProperty() progress!: number;
  @ApiProperty({ format: 'date-time' }) dueAt!: Date;
  @ApiProperty({ description: 'Days since the due date (a started day counts)' }) daysOverdue!: number;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) managerId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) managerName!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) assignmentId!: string | null;
}

export class OverdueReportDto {
  @ApiProperty({ type: [OverdueRowDto] }) items!: OverdueRowDto[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class ResultRowDto {
  @ApiProperty({ format: 'uuid' }) enrolmentId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ format: 'uuid' }) orgUnitId!: string;
  @ApiProperty() orgUnitName!: string;
  @ApiProperty() courseSlug!: string;
  @ApiProperty({ nullable: true, type: String }) courseTitle!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: "The course version's title in each of its languages (BCP 47 tag → title)" }) courseTitles!: Record<string, string>;
  @ApiProperty({ enum: ['enrolled', 'in_progress', 'completed'] }) status!: string;
  @ApiProperty() progress!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: 100, description: 'Score of the packaged (SCORM/cmi5) lessons, 0–100 (docs/interop.md)' }) packageScore!: number | null;
  @ApiProperty({ nullable: true, type: Boolean, description: 'Passed/failed as the packaged lessons reported it' }) packagePassed!: boolean | null;
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: 100, description: 'Best graded native quiz attempt, 0–100' }) quizScore!: number | null;
  @ApiProperty({ nullable: true, type: Boolean, description: 'Whether a native quiz attempt passed' }) quizPassed!: boolean | null;
}

export class ResultsReportDto {
  @ApiProperty({ type: [ResultRowDto] }) items!: ResultRowDto[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class CoverageRowDto {
  @ApiProperty({ format: 'uuid' }) orgUnitId!: string;
  @ApiProperty() orgUnitCode!: string;
  @ApiProperty() orgUnitName!: string;
  @ApiProperty() depth!: number;
  @ApiProperty() frameworkKey!: string;
  @ApiProperty() competencyCode!: string;
  @ApiProperty({ nullable: true, type: String }) competencyTitle!: string | null;
  @ApiProperty({ description: 'Active people whose job role requires the competency' }) peopleRequired!: number;
  @ApiProperty({ description: 'Of those, holding at least the required level (unexpired evidence)' }) peopleMeeting!: number;
  @ApiProperty({ description: 'peopleMeeting / peopleRequired (0–1, 4 decimals)' }) coverage!: number;
}

export class CoverageReportDto {
  @ApiProperty({ type: [CoverageRowDto] }) items!: CoverageRowDto[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
  @ApiProperty() rollup!: boolean;
  @ApiProperty({ type: [ScopeUnitDto] }) scope!: ScopeUnitDto[];
}

class OpenDataCellsDto {
  @ApiProperty({ nullable: true, type: Number, description: 'null = suppressed' }) enrolled!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'null = suppressed' }) completed!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'null = suppressed' }) notCompleted!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'completed / enrolled; null unless both are published' }) completionRate!: number | null;
}

class OpenDataRowInstitutionDto {
  @ApiProperty() code!: string;
  @ApiProperty({ description: 'in the requested language' }) name!: string;
}

class OpenDataInstitutionDto extends OpenDataRowInstitutionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
}

export class OpenDataRowDto extends OpenDataCellsDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the country the table is restricted to (null: all)' }) country!: string | null;
  @ApiProperty({ nullable: true, type: OpenDataRowInstitutionDto, description: 'the institution the table is restricted to (null: all)' })
  institution!: OpenDataRowInstitutionDto | null;
}

export class OpenDataDocumentDto {
  @ApiProperty({ enum: ['institution', 'course', 'gender', 'locality', 'year'] }) dimension!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: Date;
  @ApiProperty({ enum: ['enrolment'] }) unit!: string;
  @ApiProperty() threshold!: number;
  @ApiProperty() method!: string;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 3166-1 alpha-2; null = every country' }) country!: string | null;
  @ApiProperty({ nullable: true, type: OpenDataInstitutionDto, description: 'null = every institution' }) institution!: OpenDataInstitutionDto | null;
  @ApiProperty({ type: [OpenDataRowDto] }) rows!: OpenDataRowDto[];
  @ApiProperty({ type: OpenDataCellsDto }) total!: OpenDataCellsDto;
}
