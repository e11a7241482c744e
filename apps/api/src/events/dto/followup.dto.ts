import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { COMMITMENT_STATUSES, FOLLOWUP_MEMBER_STATUSES } from '@lms/events';
import type { CommitmentStatus } from '@lms/events';

/** Requests and answers of the cross-country follow-up groups (docs/hub.md, item 6). */

export class CreateFollowupGroupDto {
  @ApiProperty({ maxLength: 200, example: 'Digital services, three administrations' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'The joint commitment; defaults to the action of commitmentId' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  action?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A commitment of this event the caller shares; its other members are invited' })
  @IsOptional()
  @IsUUID()
  commitmentId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Participants of the event to invite (any institution or country)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  inviteeIds?: string[];
}

export class FollowupInvitationDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Participants of the event to invite' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  userIds!: string[];
}

export class MilestoneDto {
  @ApiProperty({ maxLength: 200, example: 'Shared checklist drafted' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ format: 'date', example: '2027-06-30' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueOn must be a date (YYYY-MM-DD)' })
  dueOn!: string;
}

export class MilestoneDoneDto {
  @ApiProperty({ description: 'true: done (who and when are recorded); false: not done' })
  @IsBoolean()
  done!: boolean;
}

export class FollowupStatusDto {
  @ApiProperty({ enum: COMMITMENT_STATUSES })
  @IsIn(COMMITMENT_STATUSES)
  status!: CommitmentStatus;
}

export class FollowupPostDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  body!: string;
}

export class FollowupMemberResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: FOLLOWUP_MEMBER_STATUSES }) status!: string;
  @ApiPropertyOptional({ nullable: true, description: 'The hub institution of the member’s org tree' }) institution!: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'RS' }) country!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) joinedAt!: string | null;
}

export class MilestoneResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty() done!: boolean;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) doneAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) doneBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) doneByName!: string | null;
}

export class FollowupGroupResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() eventTitle!: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) commitmentId!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) createdBy!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'The joint commitment' }) action!: string;
  @ApiProperty({ enum: COMMITMENT_STATUSES, description: 'kept once every milestone is done, or when a member says so' }) status!: string;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) keptAt!: string | null;
  @ApiProperty({ type: [FollowupMemberResponse] }) members!: FollowupMemberResponse[];
  @ApiProperty({ type: [MilestoneResponse] }) milestones!: MilestoneResponse[];
  @ApiProperty({ enum: ['active', 'invited', 'organiser'] }) myRole!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class FollowupGroupPageResponse {
  @ApiProperty({ type: [FollowupGroupResponse] }) items!: FollowupGroupResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class FollowupPostResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) userId!: string | null;
  @ApiPropertyOptional({ nullable: true }) displayName!: string | null;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class FollowupPostPageResponse {
  @ApiProperty({ type: [FollowupPostResponse] }) items!: FollowupPostResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class JointKeptRowResponse {
  @ApiProperty({ description: 'Country code, or the institution’s code' }) key!: string;
  @ApiProperty() label!: string;
  @ApiPropertyOptional({ nullable: true, example: 'RS' }) country!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Joint commitments with an active member here; null when suppressed' }) commitments!: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'Of those, kept; null when suppressed' }) kept!: number | null;
  @ApiProperty() suppressed!: boolean;
}

export class JointKeptResponse {
  @ApiProperty({ example: 5, description: 'Rows with fewer joint commitments or people are suppressed' }) minCell!: number;
  @ApiProperty() definition!: string;
  @ApiProperty({ type: [JointKeptRowResponse] }) byCountry!: JointKeptRowResponse[];
  @ApiProperty({ type: [JointKeptRowResponse] }) byInstitution!: JointKeptRowResponse[];
}
