import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '@lms/platform';
import { ENROLMENT_STATUSES } from '@lms/learning';
import type { EnrolmentListFilter } from '@lms/learning';

export const ENROLMENT_FILTERS = [...ENROLMENT_STATUSES, 'active', 'overdue'] as const;

export class MyEnrolmentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENROLMENT_FILTERS, description: 'A status, or `active` (enrolled or in progress), or `overdue`' })
  @IsOptional()
  @IsIn(ENROLMENT_FILTERS)
  status?: EnrolmentListFilter;
}
